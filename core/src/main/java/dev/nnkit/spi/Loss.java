package dev.nnkit.spi;

import org.ejml.data.DMatrixRMaj;

/**
 * The cost {@code J} of a network's output against the labels, and its gradient at the output
 * layer (SPEC §3).
 *
 * <p>Shapes: {@code Z} and {@code A} are the output layer's pre-activation and activation, and
 * {@code Y} the labels, all {@code (n[L], m)} with one example per column. {@code J} is the mean of
 * the per-example losses over the {@code m} columns.
 *
 * <p>A loss receives {@code Z} as well as {@code A} so that it can be computed from logits (never
 * {@code log(0)}), and it writes {@code dZ[L]} directly, so that a loss paired with its natural
 * output activation uses the fused, exact form ({@code dZ = A - Y} for sigmoid with binary
 * cross-entropy and for softmax with cross-entropy). An instance keeps no mutable state.
 * {@code toString()} returns the spec string.
 */
public interface Loss {

    /**
     * Refuses an output activation this loss cannot be computed with.
     *
     * @param output the output layer's activation
     * @throws IllegalArgumentException naming the activation and what the loss needs
     */
    default void checkOutputActivation(Activation output) {
    }

    /**
     * Refuses labels outside the loss's domain (e.g. binary cross-entropy needs 0 or 1).
     *
     * @param y the labels {@code Y}, {@code (n[L], m)}. Not modified.
     * @throws IllegalArgumentException naming the first bad value and its position
     */
    default void checkLabels(DMatrixRMaj y) {
    }

    /**
     * The mean cost {@code J = (1/m) sum_i L(a_i, y_i)}.
     *
     * @param z {@code Z[L]}. Not modified.
     * @param a {@code A[L] = g(Z[L])}. Not modified.
     * @param y {@code Y}. Not modified.
     */
    double cost(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y);

    /**
     * Computes {@code dZ[L]}, the per-example gradient {@code m * dJ/dZ[L]} (the {@code 1/m} is
     * applied by the layer when it forms {@code dW}).
     *
     * @param z      {@code Z[L]}. Not modified.
     * @param a      {@code A[L]}. Not modified.
     * @param y      {@code Y}. Not modified.
     * @param output the output activation {@code g[L]}, for losses that are not fused with it
     * @param dZ     output, {@code (n[L], m)}. Modified.
     */
    void gradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y, Activation output, DMatrixRMaj dZ);
}
