package dev.nnkit.openblas;

import dev.nnkit.spi.RowMajorFloatGemm;
import org.bytedeco.openblas.global.openblas_nolapack;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;


/**
 * The products through JavaCPP's own binding, {@code cblas_dgemm} (and {@code cblas_sgemm}) with heap arrays. That binding
 * passes arrays with JNI's {@code Get/Release<Type>ArrayElements}, which on HotSpot copies each
 * array into native memory and back at every call (measured in BENCHMARKS.md); used where netlib
 * has no JNI glue (macOS, Windows) or when asked for with {@code openblas(binding=javacpp)}.
 */
final class JavaCppProducts extends RowMajorFloatGemm {

    private final String name;

    JavaCppProducts(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda, double[] b,
              int ldb, double[] c, int ldc) {
        openblas_nolapack.cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, 0.0, c, ldc);
    }

    @Override
    protected void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
               int ldb, float[] c, int ldc) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, 0.0f, c, ldc);
    }
}
