package dev.nnkit.spi;

import org.ejml.data.DMatrixRMaj;

/**
 * The capability of a {@link Regularizer} that transforms a layer's activations {@code A[l]}
 * (MATH §7, inverted dropout: {@code A * D / keep_prob}). The network calls it after the layer's
 * activation in every pass and lets the transform read the {@linkplain StepContext#mode() mode}:
 * a training-time transform acts in {@link StepContext.Mode#TRAINING} and is the identity
 * otherwise. The network never attaches a transform to the output layer through network-wide
 * defaults, and refuses one configured there (the loss would see altered outputs).
 *
 * <p>Anything the backward pass needs (a mask) goes in {@linkplain StepContext#buffer context
 * buffers}, not in fields, so one instance can serve concurrent inference calls. Draw masks with
 * {@link StepContext#drawMask}, so that a traced step can supply and record them.
 */
public interface ActivationTransform extends Regularizer {

    /**
     * Whether this transform can change anything; {@code false} makes the network skip it (e.g.
     * {@code dropout(keep_prob=1)}). A property of the arguments, constant for the instance.
     */
    boolean isActive();

    /**
     * Transforms the activations.
     *
     * @param a       the activations {@code A[l]}, {@code (n, m)}. Not modified unless it is {@code out}.
     * @param out     output, {@code (n, m)}. Modified. The network passes a distinct matrix in
     *                {@code TRAINING} and {@code CHECKING} and {@code a} itself in {@code INFERENCE}.
     * @param context the pass's context
     */
    void forward(DMatrixRMaj a, DMatrixRMaj out, StepContext context);

    /**
     * The backward pass of the last {@link #forward} of the same context, in place: on entry the
     * gradient with respect to the transformed activations, on return with respect to {@code A[l]}
     * (dropout: {@code dA = dA * D / keep_prob}).
     *
     * @param dA      {@code (n, m)}. Modified.
     * @param context the context of the forward pass
     */
    void backward(DMatrixRMaj dA, StepContext context);
}
