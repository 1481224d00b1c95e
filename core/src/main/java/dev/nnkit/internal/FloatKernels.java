package dev.nnkit.internal;

import org.ejml.data.FMatrixRMaj;

/**
 * Core's own single-precision products on row-major {@link FMatrixRMaj}, pure Java on one thread:
 * the float products of the {@code ejml} backend and of every product under
 * {@link MatrixProducts#SMALL} multiply-adds. EJML's float kernels ({@code CommonOps_FDRM}, the
 * artifact {@code ejml-fdense}) cannot be used: that artifact shares its packages with
 * {@code ejml-ddense}, which the module path refuses (a split package).
 *
 * <p>{@code C = A B} and {@code C = A^T B} accumulate rows of {@code C} as {@code C[i,:] += a B[p,:]}
 * (contiguous inner loops the JIT vectorizes), in increasing {@code p}; {@code C = alpha A B^T} is
 * a dot product per entry, in increasing {@code p}, then scaled. Each entry is a float sum in a
 * fixed order, so the results depend on the shape only. Outputs are reshaped; no output may be an
 * input.
 */
final class FloatKernels {

    private FloatKernels() {
    }

    /** {@code c = a b}; {@code a} (M, K), {@code b} (K, N), {@code c} reshaped to (M, N). */
    static void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numCols;
        requireInner(k, b.numRows, "A B");
        c.reshape(m, n);
        float[] ad = a.data;
        float[] bd = b.data;
        float[] cd = c.data;
        for (int i = 0; i < m; i++) {
            int row = i * n;
            java.util.Arrays.fill(cd, row, row + n, 0f);
            for (int p = 0; p < k; p++) {
                float aip = ad[i * k + p];
                int bRow = p * n;
                for (int j = 0; j < n; j++) {
                    cd[row + j] += aip * bd[bRow + j];
                }
            }
        }
    }

    /** {@code c = a^T b}; {@code a} (K, M), {@code b} (K, N), {@code c} reshaped to (M, N). */
    static void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int k = a.numRows;
        int m = a.numCols;
        int n = b.numCols;
        requireInner(k, b.numRows, "A^T B");
        c.reshape(m, n);
        float[] ad = a.data;
        float[] bd = b.data;
        float[] cd = c.data;
        java.util.Arrays.fill(cd, 0, m * n, 0f);
        for (int p = 0; p < k; p++) {
            int bRow = p * n;
            for (int i = 0; i < m; i++) {
                float api = ad[p * m + i];
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    cd[row + j] += api * bd[bRow + j];
                }
            }
        }
    }

    /** {@code c = alpha a b^T}; {@code a} (M, K), {@code b} (N, K), {@code c} reshaped to (M, N). */
    static void multTransB(float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        int m = a.numRows;
        int k = a.numCols;
        int n = b.numRows;
        requireInner(k, b.numCols, "A B^T");
        c.reshape(m, n);
        float[] ad = a.data;
        float[] bd = b.data;
        float[] cd = c.data;
        for (int i = 0; i < m; i++) {
            int aRow = i * k;
            for (int j = 0; j < n; j++) {
                int bRow = j * k;
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum += ad[aRow + p] * bd[bRow + p];
                }
                cd[i * n + j] = alpha * sum;
            }
        }
    }

    private static void requireInner(int left, int right, String product) {
        if (left != right) {
            throw new IllegalArgumentException("cannot form " + product + ": inner dimensions " + left + " and "
                    + right + " differ");
        }
    }
}
