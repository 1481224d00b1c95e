package dev.nnkit.spi;

import org.ejml.data.FMatrixRMaj;

/**
 * The single-precision fused path of a {@link FusedLoss} (the cost from {@code Z} directly and
 * {@code dZ = A - Y}): a capability detected with {@code instanceof}, with the rules of
 * {@link FloatLoss}. A fused loss without it still works in a float32 network: core widens its
 * operands into double scratch and rounds {@code dZ} back.
 */
public interface FloatFusedLoss {

    /** As {@link FusedLoss#fusedCost}, on float matrices, {@code (n, m)}. Not modified: both. */
    double fusedCost(FMatrixRMaj z, FMatrixRMaj y);

    /** As {@link FusedLoss#fusedGradient}, on float matrices, {@code (n, m)}. Modified: {@code dZ}. */
    void fusedGradient(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj y, FMatrixRMaj dZ);
}
