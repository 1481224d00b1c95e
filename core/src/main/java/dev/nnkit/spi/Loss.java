package dev.nnkit.spi;

import org.ejml.data.DMatrixRMaj;

/**
 * The cost {@code J} of a network's output against the labels, and its gradient at the output
 * (MATH §3). Shapes: {@code A} (the output layer's activation) and {@code Y} (the labels) are
 * {@code (n[L], m)}, one example per column; {@code J} is the mean of the per-example losses.
 *
 * <p>This is the general path, which works with any output activation: the network computes
 * {@code dA[L]} here and passes it through the output activation's own backward. A loss that has
 * an exact closed form together with a particular output function (binary cross-entropy with the
 * logistic sigmoid, cross-entropy with softmax: {@code dZ = A - Y}) also implements
 * {@link FusedLoss}; the network then takes the fused path whenever the output activation declares
 * that function ({@link StandardActivation}). An instance keeps no mutable state.
 * {@code toString()} returns the spec string.
 */
public interface Loss {

    /**
     * Refuses labels outside the loss's domain (e.g. binary cross-entropy needs 0 or 1). The
     * default accepts every finite label.
     *
     * @param y the labels {@code Y}, {@code (n[L], m)}. Not modified.
     * @throws IllegalArgumentException naming the first bad value and its position
     */
    default void checkLabels(DMatrixRMaj y) {
    }

    /**
     * The mean cost {@code J = (1/m) sum_i L(a_i, y_i)} from the output activations.
     *
     * @param a {@code A[L]}. Not modified.
     * @param y {@code Y}. Not modified.
     */
    double cost(DMatrixRMaj a, DMatrixRMaj y);

    /**
     * Computes the per-example gradient {@code dA[L] = m dJ/dA[L]} (the {@code 1/m} is applied by
     * the layers when they form parameter gradients).
     *
     * @param a  {@code A[L]}. Not modified.
     * @param y  {@code Y}. Not modified.
     * @param dA output, {@code (n[L], m)}. Modified.
     */
    void gradient(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dA);
}
