package dev.nnkit.internal;

/**
 * What the public package {@code dev.nnkit} needs from this one without the internals becoming
 * API (this package is not exported by the module).
 */
public final class Internals {

    private Internals() {
    }

    /** The name of the matrix-product implementation of this JVM; see {@code dev.nnkit.Compute}. */
    public static String computePath() {
        return MatrixProducts.get().name();
    }
}
