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
 * (contiguous inner loops, four rows of {@code C} per pass over {@code B}), in increasing
 * {@code p}; {@code C = alpha A B^T} is a dot product per entry, in increasing {@code p} (four
 * entries at a time, as independent sums), then scaled. Each entry is a float sum in a fixed
 * order, the same however the rows and columns are grouped, so the results depend on the shape
 * only. Outputs are reshaped; no output may be an
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
        java.util.Arrays.fill(cd, 0, m * n, 0f);
        int i = 0;
        for (; i + 4 <= m; i += 4) { // four rows of C per pass over B: B's rows are read a quarter as often
            int r0 = i * n;
            int r1 = r0 + n;
            int r2 = r1 + n;
            int r3 = r2 + n;
            for (int p = 0; p < k; p++) {
                float a0 = ad[i * k + p];
                float a1 = ad[(i + 1) * k + p];
                float a2 = ad[(i + 2) * k + p];
                float a3 = ad[(i + 3) * k + p];
                int bRow = p * n;
                for (int j = 0; j < n; j++) {
                    float bj = bd[bRow + j];
                    cd[r0 + j] += a0 * bj;
                    cd[r1 + j] += a1 * bj;
                    cd[r2 + j] += a2 * bj;
                    cd[r3 + j] += a3 * bj;
                }
            }
        }
        for (; i < m; i++) {
            int row = i * n;
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
            int j = 0;
            for (; j + 4 <= n; j += 4) { // four independent sums, each still in increasing p
                int b0 = j * k;
                int b1 = b0 + k;
                int b2 = b1 + k;
                int b3 = b2 + k;
                float s0 = 0f;
                float s1 = 0f;
                float s2 = 0f;
                float s3 = 0f;
                for (int p = 0; p < k; p++) {
                    float x = ad[aRow + p];
                    s0 += x * bd[b0 + p];
                    s1 += x * bd[b1 + p];
                    s2 += x * bd[b2 + p];
                    s3 += x * bd[b3 + p];
                }
                cd[i * n + j] = alpha * s0;
                cd[i * n + j + 1] = alpha * s1;
                cd[i * n + j + 2] = alpha * s2;
                cd[i * n + j + 3] = alpha * s3;
            }
            for (; j < n; j++) {
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
