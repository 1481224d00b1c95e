package dev.nnkit.spi;

import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * A regularizer attached to one layer (SPEC §7). It acts in one or both of two places:
 *
 * <ul>
 *   <li><b>on the weights</b>, through a penalty added to the cost and its gradient added to
 *       {@code dW} (L2: {@code (lambda / 2m) ||W||_F^2} and {@code (lambda / m) W}). Biases are never
 *       given to a regularizer.</li>
 *   <li><b>on the layer's activations during training</b> (inverted dropout): it transforms
 *       {@code A[l]} on the way forward and the gradient {@code dA[l]} on the way back. At
 *       inference, and while gradients are checked, this part is skipped entirely.</li>
 * </ul>
 *
 * <p>A fresh instance is created for every layer it is attached to, so an instance may keep
 * per-layer state (a dropout mask) between {@link #forwardTraining} and {@link #backwardTraining}
 * of one step. {@code toString()} returns the spec string, e.g. {@code l2(lambda=0.7)}.
 */
public interface Regularizer {

    /**
     * The penalty this regularizer adds to the cost for one weight matrix.
     *
     * @param w the weights {@code W[l]}. Not modified.
     * @param m the number of examples in the batch the cost is averaged over
     * @return the penalty, {@code >= 0}; {@code 0} for a regularizer that does not act on weights
     */
    default double penalty(DMatrixRMaj w, int m) {
        return 0.0;
    }

    /**
     * Adds the gradient of {@link #penalty} with respect to {@code w} to {@code dW}.
     *
     * @param w  the weights {@code W[l]}. Not modified.
     * @param m  the number of examples in the batch
     * @param dW the gradient of the cost with respect to {@code W[l]}, same shape. Modified.
     */
    default void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
    }

    /**
     * Whether this regularizer transforms activations during training. When it does, the network
     * calls {@link #forwardTraining} and {@link #backwardTraining} at every training step, and never
     * attaches it to the output layer through network-wide defaults. A stochastic regularizer is
     * switched off by skipping these two calls.
     */
    default boolean actsOnActivations() {
        return false;
    }

    /**
     * Transforms the activations of a training step, e.g. {@code out = A * D / keep_prob} with a
     * freshly drawn mask {@code D}.
     *
     * @param a      the activations {@code A[l]}, {@code (n, m)}. Not modified.
     * @param out    output, {@code (n, m)}. Modified; never the same object as {@code a}.
     * @param random the training run's source of randomness
     */
    default void forwardTraining(DMatrixRMaj a, DMatrixRMaj out, RandomGenerator random) {
        throw new UnsupportedOperationException(this + " does not act on activations");
    }

    /**
     * Applies the backward pass of the last {@link #forwardTraining} call in place, e.g.
     * {@code dA = dA * D / keep_prob} with the same mask {@code D}.
     *
     * @param dA the gradient with respect to the transformed activations, {@code (n, m)}.
     *           Modified: on return it is the gradient with respect to the untransformed ones.
     */
    default void backwardTraining(DMatrixRMaj dA) {
        throw new UnsupportedOperationException(this + " does not act on activations");
    }
}
