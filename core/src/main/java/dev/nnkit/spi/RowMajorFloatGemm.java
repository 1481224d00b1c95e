package dev.nnkit.spi;

import org.ejml.data.FMatrixRMaj;

/**
 * A {@link RowMajorGemm} whose BLAS also multiplies in single precision: the three products of
 * {@link FloatMatrixOps} on EJML's row-major float arrays, each one {@code sgemm} on the arrays as
 * they are. A backend that binds a BLAS with {@code sgemm} extends this instead of
 * {@link RowMajorGemm} and says how both {@code dgemm} and {@code sgemm} are called; the shape
 * checks and the mapping of a row-major product onto a column-major BLAS are the same as in
 * {@link RowMajorGemm}.
 */
public abstract class RowMajorFloatGemm extends RowMajorGemm implements FloatMatrixOps {

    /**
     * {@code C = alpha op(A) op(B)} in row-major storage and single precision, overwriting
     * {@code C}; the arguments mean what they mean in {@link #gemm}.
     */
    protected abstract void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                                  float[] b, int ldb, float[] c, int ldc);

    @Override
    public final void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numCols;
        requireInner(k, b.numRows, "A B");
        c.reshape(m, n);
        if (!empty(m, n, k, c)) {
            sgemm(false, false, m, n, k, 1.0f, a.data, k, b.data, n, c.data, n);
        }
    }

    @Override
    public final void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int k = a.numRows;
        int m = a.numCols;
        int n = b.numCols;
        requireInner(k, b.numRows, "A^T B");
        c.reshape(m, n);
        if (!empty(m, n, k, c)) {
            sgemm(true, false, m, n, k, 1.0f, a.data, m, b.data, n, c.data, n);
        }
    }

    @Override
    public final void multTransB(float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numRows;
        requireInner(k, b.numCols, "A B^T");
        c.reshape(m, n);
        if (!empty(m, n, k, c)) {
            sgemm(false, true, m, n, k, alpha, a.data, k, b.data, k, c.data, n);
        }
    }

    private static boolean empty(int m, int n, int k, FMatrixRMaj c) {
        if (m == 0 || n == 0) {
            return true;
        }
        if (k == 0) {
            c.zero();
            return true;
        }
        return false;
    }
}
