package dev.nnkit.openblas;

import dev.nnkit.spi.MatrixOps;
import org.ejml.data.DMatrixRMaj;

/**
 * The three products of {@link MatrixOps} on EJML's row-major arrays, each one BLAS {@code dgemm}
 * on the arrays as they are; subclasses say how {@code dgemm} is called.
 */
abstract class RowMajorProducts implements MatrixOps {

    /**
     * {@code C = alpha op(A) op(B)} in row-major storage: {@code C} is {@code (m, n)}, {@code op(A)}
     * is {@code (m, k)}, {@code op(B)} is {@code (k, n)}; {@code lda}, {@code ldb}, {@code ldc} are
     * the row lengths of the arrays as stored.
     */
    abstract void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda,
                       double[] b, int ldb, double[] c, int ldc);

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
}
