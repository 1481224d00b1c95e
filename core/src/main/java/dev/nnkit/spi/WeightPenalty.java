package dev.nnkit.spi;

import org.ejml.data.DMatrixRMaj;

/**
 * The capability of a {@link Regularizer} that penalizes weights (MATH §7): a penalty added to
 * the cost for each {@link Parameter.Role#WEIGHT} array of its layer, and its gradient added to
 * that array's gradient. L2: {@code (lambda / 2m) ||W||_F^2} and {@code (lambda / m) W}. Applied in
 * every mode: the cost a gradient checker differentiates includes it. Keeps no mutable state.
 */
public interface WeightPenalty extends Regularizer {

    /**
     * The penalty for one weight matrix.
     *
     * @param w the weights {@code W[l]}. Not modified.
     * @param m the number of examples in the batch the cost is averaged over
     * @return the penalty, {@code >= 0}
     */
    double penalty(DMatrixRMaj w, int m);

    /**
     * Adds the gradient of {@link #penalty} with respect to {@code w} to {@code dW}.
     *
     * @param w  the weights {@code W[l]}. Not modified.
     * @param m  the number of examples in the batch
     * @param dW the gradient of the cost with respect to {@code W[l]}, same shape. Modified.
     */
    void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW);
}
