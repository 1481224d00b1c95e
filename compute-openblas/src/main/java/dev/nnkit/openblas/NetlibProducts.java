package dev.nnkit.openblas;

import dev.ludovic.netlib.blas.BLAS;
import dev.nnkit.spi.RowMajorFloatGemm;

/**
 * The products ({@code dgemm}, {@code sgemm}) through netlib's JNI glue, which hands the heap
 * arrays to the library without copying them ({@code GetPrimitiveArrayCritical}): a row-major
 * {@code C = op(A) op(B)} is the column-major {@code C^T = op(B)^T op(A)^T}.
 */
final class NetlibProducts extends RowMajorFloatGemm {

    private final BLAS blas;
    private final String name;

    NetlibProducts(BLAS blas, String name) {
        this.blas = blas;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda, double[] b,
              int ldb, double[] c, int ldc) {
        blas.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, 0, ldb, a, 0, lda, 0.0, c, 0, ldc);
    }

    @Override
    protected void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
               int ldb, float[] c, int ldc) {
        blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, 0, ldb, a, 0, lda, 0.0f, c, 0, ldc);
    }
}
