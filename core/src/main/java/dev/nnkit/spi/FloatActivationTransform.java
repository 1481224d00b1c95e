package dev.nnkit.spi;

import org.ejml.data.FMatrixRMaj;

/**
 * The single-precision passes of an {@link ActivationTransform} (dropout): a capability the
 * transform implements besides {@link ActivationTransform} when it has a float kernel, detected
 * with {@code instanceof} (the design of float32 training is in {@link FloatActivation}). Same
 * contract, modes and aliasing as {@link ActivationTransform#forward} and
 * {@link ActivationTransform#backward}, on float matrices; random masks come from
 * {@link StepContext#drawMask(FMatrixRMaj, double)}, which draws the same numbers as the double
 * mask, so a float32 run drops the same units as a float64 run with the same seeds.
 *
 * <p>A transform without this capability still works in a float32 network: core widens the
 * activations into double scratch, runs its double pass and rounds the result back, and the same
 * for the gradient: four passes over the layer's activations per step.
 */
public interface FloatActivationTransform {

    /** As {@link ActivationTransform#forward}, in float; {@code out} may be {@code a} (in {@code INFERENCE}). Modified: {@code out}. */
    void forward(FMatrixRMaj a, FMatrixRMaj out, StepContext context);

    /** As {@link ActivationTransform#backward}, in float, in place. Modified: {@code dA}. */
    void backward(FMatrixRMaj dA, StepContext context);
}
