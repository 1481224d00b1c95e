package dev.nnkit.openblas;

import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.MatrixOps;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The three products of {@link MatrixOps} on EJML's row-major arrays, each one BLAS {@code dgemm}
 * on the arrays as they are, and the same in single precision ({@link FloatMatrixOps}), each one
 * {@code sgemm}; subclasses say how {@code dgemm} and {@code sgemm} are called.
 */
abstract class RowMajorProducts implements MatrixOps, FloatMatrixOps {

    /**
     * {@code C = alpha op(A) op(B)} in row-major storage: {@code C} is {@code (m, n)}, {@code op(A)}
     * is {@code (m, k)}, {@code op(B)} is {@code (k, n)}; {@code lda}, {@code ldb}, {@code ldc} are
     * the row lengths of the arrays as stored.
     */
    abstract void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda,
                       double[] b, int ldb, double[] c, int ldc);

    /** {@link #gemm} in single precision. */
    abstract void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                        float[] b, int ldb, float[] c, int ldc);

    @Override
    public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numCols;
        requireInner(k, b.numRows, "A B");
        c.reshape(m, n);
        if (!empty(m, n, k, c)) {
            gemm(false, false, m, n, k, 1.0, a.data, k, b.data, n, c.data, n);
        }
    }

    @Override
    public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        int k = a.numRows;
        int m = a.numCols;
        int n = b.numCols;
        requireInner(k, b.numRows, "A^T B");
        c.reshape(m, n);
        if (!empty(m, n, k, c)) {
            gemm(true, false, m, n, k, 1.0, a.data, m, b.data, n, c.data, n);
        }
    }

    @Override
    public void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numRows;
        requireInner(k, b.numCols, "A B^T");
        c.reshape(m, n);
        if (!empty(m, n, k, c)) {
            gemm(false, true, m, n, k, alpha, a.data, k, b.data, k, c.data, n);
        }
    }

    @Override
    public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
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
    public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
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
    public void multTransB(float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numRows;
        requireInner(k, b.numCols, "A B^T");
        c.reshape(m, n);
        if (!empty(m, n, k, c)) {
            sgemm(false, true, m, n, k, alpha, a.data, k, b.data, k, c.data, n);
        }
    }

    private static void requireInner(int left, int right, String product) {
        if (left != right) {
            throw new IllegalArgumentException("cannot form " + product + ": inner dimensions " + left + " and "
                    + right + " differ");
        }
    }

    /** BLAS refuses zero leading dimensions; an empty product is all zeros (or nothing). */
    private static boolean empty(int m, int n, int k, DMatrixRMaj c) {
        if (m == 0 || n == 0) {
            return true;
        }
        if (k == 0) {
            c.zero();
            return true;
        }
        return false;
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
