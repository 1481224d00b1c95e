package dev.nnkit.openblas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.MatrixOps;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The bundled OpenBLAS multiplies float matrices itself ({@code sgemm}) through both bindings:
 * within the bound of float summation {@code gamma_K |A| |B|}, {@code gamma_K = K u / (1 - K u)},
 * {@code u = 2^-24} (one more rounding for the scale {@code alpha}) of the exact product of the
 * float operands (computed in double, where the products of two floats are exact), the same on
 * every call, allocating nothing on the heap.
 */
class OpenBlasFloatTest {

    /** (m, k, n): tiny, odd and the MLP's own shapes (784-256-128-10, batch 128). */
    private static final int[][] SHAPES = {{1, 1, 1}, {3, 4, 5}, {17, 33, 9}, {131, 61, 97}, {256, 784, 128},
        {10, 128, 128}};

    private static List<String> specs() {
        List<String> specs = new ArrayList<>(List.of("openblas", "openblas(binding=javacpp)"));
        if (OpenBlasBackend.netlibGlue()) {
            specs.add("openblas(binding=netlib)");
        }
        return specs;
    }

    private static FloatMatrixOps usable(String spec) {
        ComputeBackend backend = PluginRegistry.defaults().create(ComputeBackend.class, spec);
        ComputeBackend.Availability availability = backend.availability();
        assumeTrue(availability.usable(), availability.detail());
        MatrixOps ops = backend.ops();
        assertTrue(ops instanceof FloatMatrixOps, spec + " offers float products");
        return (FloatMatrixOps) ops;
    }

    private static FMatrixRMaj random(int rows, int cols, Random r) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            m.data[k] = (float) r.nextGaussian();
        }
        return m;
    }

    private static void check(String what, float alpha, FMatrixRMaj a, boolean transA, FMatrixRMaj b, boolean transB,
                              FMatrixRMaj c) {
        int k = transA ? a.numRows : a.numCols;
        int m = transA ? a.numCols : a.numRows;
        int n = transB ? b.numRows : b.numCols;
        assertEquals(m, c.numRows, what + " rows");
        assertEquals(n, c.numCols, what + " cols");
        double u = 0x1p-24;
        double gamma = (k + 1) * u / (1 - (k + 1) * u);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double x = (double) (transA ? a.get(p, i) : a.get(i, p)) * (transB ? b.get(j, p) : b.get(p, j));
                    sum += x;
                    abs += Math.abs(x);
                }
                assertEquals(alpha * sum, c.get(i, j), gamma * Math.abs(alpha) * abs + Float.MIN_NORMAL,
                        what + " at (" + i + ", " + j + "), K=" + k);
            }
        }
    }

    @Test
    void everyBindingMultipliesFloatsWithinTheBound() {
        for (String spec : specs()) {
            FloatMatrixOps ops = usable(spec);
            Random r = new Random(11);
            for (int[] s : SHAPES) {
                FMatrixRMaj a = random(s[0], s[1], r);
                FMatrixRMaj b = random(s[1], s[2], r);
                FMatrixRMaj c = new FMatrixRMaj(1, 1);
                ops.mult(a, b, c);
                check(spec + " A B", 1f, a, false, b, false, c);
                FMatrixRMaj at = random(s[1], s[0], r);
                ops.multTransA(at, b, c);
                check(spec + " A^T B", 1f, at, true, b, false, c);
                FMatrixRMaj bt = random(s[2], s[1], r);
                ops.multTransB(0.3f, a, bt, c);
                check(spec + " 0.3 A B^T", 0.3f, a, false, bt, true, c);
            }
        }
    }

    @Test
    void aFloatProductIsTheSameOnEveryCallAndAllocatesNothingOnTheHeap() throws ReflectiveOperationException {
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
        assumeTrue(hotspot.isInstance(threads), "allocation counter not available");
        Method allocatedBytes = hotspot.getMethod("getCurrentThreadAllocatedBytes");
        for (int k = 0; k < 100; k++) { // past reflection's warm-up, which generates classes
            allocatedBytes.invoke(threads);
        }
        for (String spec : specs()) {
            FloatMatrixOps ops = usable(spec);
            Random r = new Random(2);
            FMatrixRMaj w = random(256, 784, r);
            FMatrixRMaj x = random(784, 128, r);
            FMatrixRMaj first = new FMatrixRMaj(256, 128);
            FMatrixRMaj again = new FMatrixRMaj(256, 256); // room for every product below: no reallocation
            ops.mult(w, x, first);
            long allocated = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up (class loading, compilation)
                long idle = (Long) allocatedBytes.invoke(threads);
                long before = (Long) allocatedBytes.invoke(threads);
                long counting = before - idle; // what reading the counter allocates (its boxed result)
                for (int i = 0; i < 50; i++) {
                    ops.mult(w, x, again);
                    ops.multTransA(x, x, again); // (128, 128)
                    ops.multTransB(1.0f, w, w, again); // (256, 256)
                    ops.mult(w, x, again);
                }
                allocated = (Long) allocatedBytes.invoke(threads) - before - counting;
            }
            assertEquals(0, allocated, spec + ": bytes allocated by 200 float products");
            assertArrayEquals(first.data, java.util.Arrays.copyOf(again.data, first.data.length), 0f,
                    spec + ": the same float product twice");
        }
    }
}
