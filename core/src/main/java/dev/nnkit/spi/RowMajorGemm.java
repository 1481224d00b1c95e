package dev.nnkit.spi;

import org.ejml.data.DMatrixRMaj;

/**
 * The three products of {@link MatrixOps} on EJML's row-major arrays, each computed by one
 * {@code dgemm} on the arrays as they are, without copies: a compute backend that binds a BLAS
 * extends this and says only how {@code dgemm} is called. The shapes are checked here ({@code C} is
 * reshaped, inner dimensions must agree) and empty products never reach the BLAS, which refuses
 * zero leading dimensions.
 *
 * <p>A column-major BLAS computes the row-major {@code C = op(A) op(B)} as the column-major
 * {@code C^T = op(B)^T op(A)^T}: {@code dgemm(transB, transA, n, m, k, alpha, B, ldb, A, lda, 0, C, n)}.
 * A CBLAS binding can pass {@code CblasRowMajor} and the arguments unchanged.
 */
public abstract class RowMajorGemm implements MatrixOps {

    /**
     * {@code C = alpha op(A) op(B)} in row-major storage, overwriting {@code C}.
     *
     * @param transA whether {@code op(A) = A^T}
     * @param transB whether {@code op(B) = B^T}
     * @param m      rows of {@code C} and of {@code op(A)}
     * @param n      columns of {@code C} and of {@code op(B)}
     * @param k      columns of {@code op(A)}, rows of {@code op(B)}, at least 1
     * @param lda    the row length of {@code A} as stored ({@code k}, or {@code m} when transposed)
     * @param ldb    the row length of {@code B} as stored ({@code n}, or {@code k} when transposed)
     * @param ldc    the row length of {@code C}, {@code n}
     */
    protected abstract void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda,
                                 double[] b, int ldb, double[] c, int ldc);

    @Override
    public final void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
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
    public final void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
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
    public final void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numRows;
        requireInner(k, b.numCols, "A B^T");
        c.reshape(m, n);
        if (!empty(m, n, k, c)) {
            gemm(false, true, m, n, k, alpha, a.data, k, b.data, k, c.data, n);
        }
    }

    static void requireInner(int left, int right, String product) {
        if (left != right) {
            throw new IllegalArgumentException("cannot form " + product + ": inner dimensions " + left + " and "
                    + right + " differ");
        }
    }

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
