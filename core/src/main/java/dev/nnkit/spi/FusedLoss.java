package dev.nnkit.spi;

import org.ejml.data.DMatrixRMaj;

/**
 * The capability of a {@link Loss} that has an exact fused form with one output function: the cost
 * computed from the logits {@code Z[L]} (never {@code log(0)}) and {@code dZ[L]} written directly
 * ({@code dZ = A - Y} for binary cross-entropy with the logistic sigmoid and for cross-entropy
 * with softmax). The network uses it when the output activation is a {@link StandardActivation}
 * whose {@link StandardActivation#function()} equals {@link #fusedWith()}; with any other output
 * activation it uses the general path of {@link Loss}.
 */
public interface FusedLoss extends Loss {

    /** The output function this loss fuses with. */
    StandardFunction fusedWith();

    /**
     * The mean cost from the logits, for an output activation computing {@link #fusedWith()}.
     *
     * @param z {@code Z[L]}. Not modified.
     * @param y {@code Y}. Not modified.
     */
    double fusedCost(DMatrixRMaj z, DMatrixRMaj y);

    /**
     * The per-example {@code dZ[L] = m dJ/dZ[L]}, for an output activation computing {@link #fusedWith()}.
     *
     * @param z  {@code Z[L]}. Not modified.
     * @param a  {@code A[L]}. Not modified.
     * @param y  {@code Y}. Not modified.
     * @param dZ output, {@code (n[L], m)}. Modified.
     */
    void fusedGradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dZ);
}
