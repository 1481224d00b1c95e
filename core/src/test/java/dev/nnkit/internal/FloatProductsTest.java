package dev.nnkit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.MatrixOps;
import java.lang.reflect.Method;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The float products ({@link FloatMatrixOps}) of every core implementation agree with the exact
 * product of their float operands within the bound of float summation, {@code gamma_K |A| |B|}
 * with {@code gamma_K = K u / (1 - K u)}, {@code u = 2^-24} (Higham, §3.5; one more rounding for
 * the scale {@code alpha}); the reference is computed in double, where every product of two floats
 * is exact and the sum's own error ({@code K 2^-53}) is negligible next to the bound. A backend
 * with double products only gets float products by widening, and they too allocate nothing once
 * warm.
 */
class FloatProductsTest {

    /** (m, k, n); the last three exceed {@link MatrixProducts#SMALL} and {@link RowSplitGemm#MIN_FLOPS}. */
    private static final int[][] SHAPES = {{1, 1, 1}, {1, 7, 1}, {5, 1, 3}, {3, 4, 5}, {17, 33, 9}, {64, 100, 40},
        {2, 300, 1}, {131, 61, 97}, {7, 300, 301}, {128, 784, 64}};

    private static final double U = 0x1p-24;

    private static FMatrixRMaj random(int rows, int cols, Random r) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            m.data[k] = (float) r.nextGaussian();
        }
        return m;
    }

    /** The exact sum of products and the sum of their magnitudes, in double. */
    private static double[] reference(FMatrixRMaj a, boolean transA, FMatrixRMaj b, boolean transB, int i, int j) {
        int k = transA ? a.numRows : a.numCols;
        double sum = 0;
        double abs = 0;
        for (int p = 0; p < k; p++) {
            double x = (double) (transA ? a.get(p, i) : a.get(i, p)) * (transB ? b.get(j, p) : b.get(p, j));
            sum += x;
            abs += Math.abs(x);
        }
        return new double[] {sum, abs};
    }

    private static double gamma(int k) {
        return k * U / (1 - k * U);
    }

    private interface Reference {
        double[] at(int i, int j);
    }

    private static void check(String who, String what, int k, float alpha, int m, int n, FMatrixRMaj c, Reference ref) {
        assertEquals(m, c.numRows, who + " " + what + " rows");
        assertEquals(n, c.numCols, who + " " + what + " cols");
        double bound = gamma(k + 1) * Math.abs(alpha);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double[] e = ref.at(i, j);
                double expected = alpha * e[0];
                assertEquals(expected, c.get(i, j), bound * e[1] + Float.MIN_NORMAL,
                        who + " " + what + " at (" + i + ", " + j + "), K=" + k);
            }
        }
    }

    private static void assertProducts(String who, FloatMatrixOps products) {
        Random r = new Random(5);
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            FMatrixRMaj a = random(m, k, r);
            FMatrixRMaj b = random(k, n, r);
            FMatrixRMaj c = new FMatrixRMaj(1, 1);
            c.fill(Float.NaN);
            products.mult(a, b, c);
            check(who, "A B", k, 1f, m, n, c, (i, j) -> reference(a, false, b, false, i, j));

            FMatrixRMaj at = random(k, m, r);
            products.multTransA(at, b, c);
            check(who, "A^T B", k, 1f, m, n, c, (i, j) -> reference(at, true, b, false, i, j));

            FMatrixRMaj bt = random(n, k, r);
            products.multTransB(0.3f, a, bt, c);
            check(who, "0.3 A B^T", k, 0.3f, m, n, c, (i, j) -> reference(a, false, bt, true, i, j));
        }
    }

    @Test
    void theBoundIsTightEnoughToNoticeOneMissingTerm() {
        // K u |A||B| is about 5e-5 of the magnitudes' sum for K = 784: leaving out the largest of the 784 terms fails it
        FMatrixRMaj a = random(3, 784, new Random(1));
        FMatrixRMaj b = random(784, 2, new Random(2));
        FMatrixRMaj c = new FMatrixRMaj(1, 1);
        FloatKernels.mult(a, b, c);
        check("kernels", "A B", 784, 1f, 3, 2, c, (i, j) -> reference(a, false, b, false, i, j));
        float largest = 0;
        for (int p = 0; p < 784; p++) {
            float x = a.get(0, p) * b.get(p, 0);
            largest = Math.abs(x) > Math.abs(largest) ? x : largest;
        }
        c.data[0] -= largest;
        assertThrows(AssertionError.class,
                () -> check("one term short", "A B", 784, 1f, 3, 2, c, (i, j) -> reference(a, false, b, false, i, j)));
    }

    @Test
    void coresFloatKernelsAreWithinTheBound() {
        assertProducts("ejml", new MatrixProducts.Ejml());
    }

    @Test
    void coresFloatKernelsSumEachEntryInIncreasingOrderHoweverTheyGroupRowsAndColumns() {
        // the documented order: products rounded to float, added one by one in increasing p; the blocking by four
        // rows (A B, A^T B) or four columns (A B^T) must not change a bit, on shapes with and without remainders
        Random r = new Random(31);
        for (int[] s : new int[][] {{1, 5, 1}, {4, 3, 4}, {5, 7, 6}, {9, 17, 11}, {8, 64, 12}}) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            FMatrixRMaj a = random(m, k, r);
            FMatrixRMaj b = random(k, n, r);
            FMatrixRMaj at = random(k, m, r);
            FMatrixRMaj bt = random(n, k, r);
            FMatrixRMaj ab = new FMatrixRMaj(1, 1);
            FMatrixRMaj atb = new FMatrixRMaj(1, 1);
            FMatrixRMaj abt = new FMatrixRMaj(1, 1);
            FloatKernels.mult(a, b, ab);
            FloatKernels.multTransA(at, b, atb);
            FloatKernels.multTransB(0.3f, a, bt, abt);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float x = 0f;
                    float y = 0f;
                    float z = 0f;
                    for (int p = 0; p < k; p++) {
                        x += a.get(i, p) * b.get(p, j);
                        y += at.get(p, i) * b.get(p, j);
                        z += a.get(i, p) * bt.get(j, p);
                    }
                    assertEquals(Float.floatToIntBits(x), Float.floatToIntBits(ab.get(i, j)), "A B at " + i + ", " + j);
                    assertEquals(Float.floatToIntBits(y), Float.floatToIntBits(atb.get(i, j)), "A^T B at " + i + ", " + j);
                    assertEquals(Float.floatToIntBits(0.3f * z), Float.floatToIntBits(abt.get(i, j)),
                            "A B^T at " + i + ", " + j);
                }
            }
        }
    }

    @Test
    void sgemmOnThePureJavaBlasIsWithinTheBoundOnOneAndTwoThreads() {
        assertProducts("blas 1 thread", new MatrixProducts.Blas(JavaBLAS.getInstance(), 1));
        assertProducts("blas 2 threads", new MatrixProducts.Blas(JavaBLAS.getInstance(), 2));
    }

    @Test
    void theSystemBlasSgemmIsWithinTheBoundWhenInstalled() {
        ComputeBackend.Availability availability = new SystemBlasBackend().availability();
        assumeTrue(availability.usable(), availability.detail());
        assertProducts("system blas", new MatrixProducts.Blas(NativeBLAS.getInstance(), 1));
    }

    @Test
    void thisMachinesChoiceHasNativeFloatProductsWithinTheBound() {
        MatrixProducts chosen = MatrixProducts.choose("auto");
        assertProducts(chosen.name(), chosen);
        assertTrue(((MatrixProducts.Sized) chosen).nativeFloat(), chosen.name() + " has float kernels of its own");
        assertProducts("ejml sized", MatrixProducts.choose("ejml"));
    }

    @Test
    void theSameProductIsBitIdenticalFromCallToCall() {
        for (MatrixProducts products : new MatrixProducts[] {new MatrixProducts.Ejml(),
            new MatrixProducts.Blas(JavaBLAS.getInstance(), 2)}) {
            Random r = new Random(9);
            FMatrixRMaj a = random(128, 300, r);
            FMatrixRMaj b = random(300, 64, r);
            FMatrixRMaj first = new FMatrixRMaj(1, 1);
            FMatrixRMaj second = new FMatrixRMaj(1, 1);
            products.mult(a, b, first);
            for (int run = 0; run < 3; run++) {
                products.mult(a, b, second);
                assertArrayEquals(first.data, second.data, 0f, products.name());
            }
        }
    }

    /** Double products only, counting the calls, on EJML. */
    private static final class DoubleOnly implements MatrixOps {
        private final MatrixProducts.Ejml ejml = new MatrixProducts.Ejml();
        int calls;

        @Override
        public String name() {
            return "double only";
        }

        @Override
        public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            calls++;
            ejml.mult(a, b, c);
        }

        @Override
        public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            calls++;
            ejml.multTransA(a, b, c);
        }

        @Override
        public void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            calls++;
            ejml.multTransB(alpha, a, b, c);
        }
    }

    @Test
    void aBackendWithDoubleProductsOnlyMultipliesFloatsThroughThem() {
        DoubleOnly doubles = new DoubleOnly();
        MatrixProducts.Sized sized = new MatrixProducts.Sized("double_only", "test", doubles);
        assertFalse(sized.nativeFloat());
        assertProducts("widened", sized);
        // 3 products per shape; the shapes at or above SMALL multiply-adds reach the backend
        int large = 0;
        for (int[] s : SHAPES) {
            large += (long) s[0] * s[1] * s[2] >= MatrixProducts.SMALL ? 3 : 0;
        }
        assertEquals(large, doubles.calls, "products of at least 2^14 multiply-adds go to the backend, smaller ones stay in core");
        assertTrue(new MatrixProducts.Sized("blas", "test", new MatrixProducts.Blas(JavaBLAS.getInstance(), 1)).nativeFloat());
    }

    @Test
    void aWrongInnerDimensionIsNamed() {
        FMatrixRMaj a = new FMatrixRMaj(2, 3);
        FMatrixRMaj b = new FMatrixRMaj(4, 5);
        FMatrixRMaj c = new FMatrixRMaj(1, 1);
        for (MatrixProducts products : new MatrixProducts[] {new MatrixProducts.Ejml(),
            new MatrixProducts.Blas(JavaBLAS.getInstance(), 1)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> products.mult(a, b, c));
            assertEquals("cannot form A B: inner dimensions 3 and 4 differ", e.getMessage());
        }
    }

    @Test
    void anEmptyInnerDimensionGivesZeros() {
        for (MatrixProducts products : new MatrixProducts[] {new MatrixProducts.Ejml(),
            new MatrixProducts.Blas(JavaBLAS.getInstance(), 1)}) {
            FMatrixRMaj c = new FMatrixRMaj(3, 2);
            c.fill(Float.NaN);
            products.mult(new FMatrixRMaj(3, 0), new FMatrixRMaj(0, 2), c);
            assertArrayEquals(new float[6], c.data, 0f, products.name());
        }
    }

    @Test
    void warmFloatProductsAllocateNothingOnEveryPath() throws ReflectiveOperationException {
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
        assumeTrue(hotspot.isInstance(threads), "allocation counter not available");
        Method bytes = hotspot.getMethod("getCurrentThreadAllocatedBytes");
        Random r = new Random(4);
        FMatrixRMaj a = random(64, 200, r);
        FMatrixRMaj b = random(200, 48, r);
        FMatrixRMaj bt = random(48, 200, r);
        FMatrixRMaj a2 = random(200, 64, r);
        FMatrixRMaj c = new FMatrixRMaj(64, 48);
        FloatMatrixOps[] paths = {new MatrixProducts.Ejml(), new MatrixProducts.Blas(JavaBLAS.getInstance(), 2),
            new MatrixProducts.Sized("double_only", "test", new DoubleOnly())};
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) { // the first rounds warm up (class loading, compilation)
            long idle = (Long) bytes.invoke(threads);
            long before = (Long) bytes.invoke(threads);
            long counting = before - idle; // what reading the counter allocates (its boxed result)
            for (int step = 0; step < 100; step++) {
                for (FloatMatrixOps p : paths) {
                    p.mult(a, b, c);
                    p.multTransA(a2, b, c);
                    p.multTransB(0.5f, a, bt, c);
                }
            }
            fewest = Math.min(fewest, (Long) bytes.invoke(threads) - before - counting);
        }
        assertEquals(0, fewest, "bytes allocated by 900 warm float products");
    }
}
