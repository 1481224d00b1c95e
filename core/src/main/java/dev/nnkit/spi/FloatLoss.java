package dev.nnkit.spi;

import org.ejml.data.FMatrixRMaj;

/**
 * The single-precision general path of a {@link Loss}: a capability the loss implements besides
 * {@link Loss} when it has a float kernel, detected with {@code instanceof} (the design of float32
 * training is in {@link FloatActivation}). Same shapes and meaning as {@link Loss#cost} and
 * {@link Loss#gradient}, on float matrices; labels have been checked by
 * {@link Loss#checkLabels} before they were rounded to float (0 and 1 are exact in float).
 *
 * <p>The gradient is written in float; the cost, a scalar that only reports progress, may be
 * accumulated in double (one widening per element, in a register). A clamp that keeps a
 * logarithm or a quotient finite must be representable in float (e.g. {@code 1 - 10^-15} is 1 in
 * float). A loss without this capability still works in a float32 network: core widens {@code A}
 * and {@code Y} into double scratch and rounds {@code dA} back, three passes over the batch.
 */
public interface FloatLoss {

    /** The cost {@code J} of {@code a} against {@code y}, both {@code (n, m)}, as {@link Loss#cost}. Not modified: both. */
    double cost(FMatrixRMaj a, FMatrixRMaj y);

    /** {@code dA = dJ/dA} as {@link Loss#gradient}; all {@code (n, m)}. Modified: {@code dA}. */
    void gradient(FMatrixRMaj a, FMatrixRMaj y, FMatrixRMaj dA);
}
