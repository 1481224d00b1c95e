package dev.nnkit.internal;

import dev.nnkit.spi.MatrixOps;

/**
 * What the public package {@code dev.nnkit} needs from this one without the internals becoming
 * API (this package is not exported by the module).
 */
public final class Internals {

    private Internals() {
    }

    /** The matrix products chosen for this JVM. */
    public static MatrixOps matrixOps() {
        return MatrixProducts.get();
    }

    /** The name of the matrix-product implementation of this JVM; see {@code dev.nnkit.Compute}. */
    public static String computePath() {
        return MatrixProducts.get().name();
    }
}
