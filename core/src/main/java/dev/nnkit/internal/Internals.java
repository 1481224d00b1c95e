package dev.nnkit.internal;

import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.MatrixOps;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

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

    /** The single-precision products chosen for this JVM (the backend's {@code sgemm}, or its double products widened). */
    public static FloatMatrixOps floatMatrixOps() {
        return MatrixProducts.get();
    }

    /** {@code to} becomes {@code from}'s shape and values (exact). */
    public static DMatrixRMaj widen(FMatrixRMaj from, DMatrixRMaj to) {
        return WideningProducts.widen(from, to);
    }

    /** {@code to} becomes {@code from}'s shape, each value rounded to the nearest float. */
    public static FMatrixRMaj narrow(DMatrixRMaj from, FMatrixRMaj to) {
        WideningProducts.narrow(from, to);
        return to;
    }

    /** Whether the backend in use multiplies float matrices itself ({@code sgemm}) rather than through its double products. */
    public static boolean nativeFloatProducts() {
        return !(MatrixProducts.get() instanceof MatrixProducts.Sized sized) || sized.nativeFloat();
    }

    /** The name of the matrix-product implementation of this JVM; see {@code dev.nnkit.Compute}. */
    public static String computePath() {
        return MatrixProducts.get().name();
    }
}
