package dev.nnkit.openblas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.Compute;
import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.PluginException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The bundled OpenBLAS loads from the jars alone, is the backend nnkit picks when it is on the
 * class path, and computes the three products of the layers like their definition, through both
 * bindings, the same on every call, without allocating on the heap.
 */
class OpenBlasBackendTest {

    /** (m, k, n): tiny, odd and the MLP's own shapes (784-256-128-10, batch 128). */
    private static final int[][] SHAPES = {{1, 1, 1}, {3, 4, 5}, {17, 33, 9}, {131, 61, 97}, {256, 784, 128},
        {10, 128, 128}};

    private static final List<String> PLATFORMS_WITH_A_PROFILE = List.of("linux-x86_64", "linux-arm64",
            "macosx-x86_64", "macosx-arm64", "windows-x86_64");

    private static ComputeBackend backend(String spec) {
        return PluginRegistry.defaults().create(ComputeBackend.class, spec);
    }

    private static MatrixOps usable(String spec) {
        ComputeBackend backend = backend(spec);
        ComputeBackend.Availability availability = backend.availability();
        assertTrue(availability.usable(), availability.detail());
        return backend.ops();
    }

    private static DMatrixRMaj random(int rows, int cols, Random r) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            m.data[k] = r.nextGaussian();
        }
        return m;
    }

    /** op(A) op(B) at (i, j) from the definition of the product. */
    private static double product(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, int i, int j) {
        int k = transA ? a.numRows : a.numCols;
        double sum = 0;
        for (int p = 0; p < k; p++) {
            sum += (transA ? a.get(p, i) : a.get(i, p)) * (transB ? b.get(j, p) : b.get(p, j));
        }
        return sum;
    }

    private interface Entry {
        double at(int i, int j);
    }

    private static void check(String what, int m, int n, DMatrixRMaj c, Entry expected) {
        assertEquals(m, c.numRows, what + " rows");
        assertEquals(n, c.numCols, what + " cols");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double e = expected.at(i, j);
                assertEquals(e, c.get(i, j), 1e-12 * (1 + Math.abs(e)), what + " at (" + i + ", " + j + ")");
            }
        }
    }

    private static void assertProducts(MatrixOps ops) {
        Random r = new Random(11);
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            String shape = ops.name() + " (" + m + ", " + k + ", " + n + ") ";
            DMatrixRMaj a = random(m, k, r);
            DMatrixRMaj b = random(k, n, r);
            DMatrixRMaj c = new DMatrixRMaj(1, 1);
            ops.mult(a, b, c);
            check(shape + "A B", m, n, c, (i, j) -> product(a, false, b, false, i, j));
            DMatrixRMaj at = random(k, m, r);
            ops.multTransA(at, b, c);
            check(shape + "A^T B", m, n, c, (i, j) -> product(at, true, b, false, i, j));
            DMatrixRMaj bt = random(n, k, r);
            ops.multTransB(-0.5, a, bt, c);
            check(shape + "-0.5 A B^T", m, n, c, (i, j) -> -0.5 * product(a, false, bt, true, i, j));
        }
    }

    @Test
    void theBundledLibraryLoadsFromTheJarsAlone() {
        String platform = org.bytedeco.javacpp.Loader.getPlatform();
        assumeTrue(PLATFORMS_WITH_A_PROFILE.contains(platform), "no native jar is added for " + platform);
        ComputeBackend.Availability availability = backend("openblas").availability();
        assertTrue(availability.usable(), availability.detail());
        assertTrue(availability.detail().startsWith("OpenBLAS 0.3.31 bundled (" + platform + ")"), availability.detail());
        if (OpenBlasBackend.netlibGlue()) {
            assertTrue(availability.detail().endsWith("heap arrays without copies (netlib JNI)"), availability.detail());
        }
    }

    @Test
    void withTheModuleOnTheClassPathNnkitChoosesItAndLoadsNoOtherBlas() throws java.io.IOException {
        assertEquals("openblas", Compute.backend(), Compute.path());
        java.nio.file.Path maps = java.nio.file.Path.of("/proc/self/maps");
        assumeTrue(java.nio.file.Files.isReadable(maps), "no /proc/self/maps on this OS");
        for (String line : java.nio.file.Files.readAllLines(maps)) {
            // BLAS code mapped: the bundled library (under JavaCPP's cache) and the glue of netlib and
            // JavaCPP, never a system BLAS such as .../openblas-pthread/libblas.so.3
            if (line.toLowerCase(java.util.Locale.ROOT).contains("blas")) {
                assertTrue(line.contains(".javacpp") || line.contains("netlibblasjni"), "a second BLAS is mapped: " + line);
            }
        }
    }

    @Test
    void bothBindingsComputeTheProductsOfTheirDefinition() {
        assertProducts(usable("openblas"));
        assertProducts(usable("openblas(binding=javacpp)"));
        if (OpenBlasBackend.netlibGlue()) {
            assertProducts(usable("openblas(binding=netlib)"));
        }
    }

    @Test
    void aProductIsTheSameOnEveryCallAndAllocatesNothingOnTheHeap() throws ReflectiveOperationException {
        // HotSpot's per-thread allocation counter, reached reflectively: the tests are compiled in
        // module dev.nnkit.openblas, which does not read jdk.management
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
        assumeTrue(hotspot.isInstance(threads), "allocation counter not available");
        Method allocatedBytes = hotspot.getMethod("getCurrentThreadAllocatedBytes");
        for (int k = 0; k < 100; k++) { // past reflection's warm-up, which generates classes
            allocatedBytes.invoke(threads);
        }
        for (String spec : List.of("openblas", "openblas(binding=javacpp)")) {
            MatrixOps ops = usable(spec);
            Random r = new Random(2);
            DMatrixRMaj w = random(256, 784, r);
            DMatrixRMaj x = random(784, 128, r);
            DMatrixRMaj first = new DMatrixRMaj(256, 128);
            DMatrixRMaj again = new DMatrixRMaj(256, 256); // room for every product below: no reallocation
            ops.mult(w, x, first);
            long allocated = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up (class loading, compilation)
                long idle = (Long) allocatedBytes.invoke(threads);
                long before = (Long) allocatedBytes.invoke(threads);
                long counting = before - idle; // what reading the counter allocates (its boxed result)
                for (int i = 0; i < 50; i++) {
                    ops.mult(w, x, again);
                    ops.multTransA(x, x, again); // (128, 128)
                    ops.multTransB(1.0, w, w, again); // (256, 256)
                    ops.mult(w, x, again);
                }
                allocated = (Long) allocatedBytes.invoke(threads) - before - counting;
            }
            assertEquals(0, allocated, spec + ": bytes allocated by 200 products");
            assertArrayEquals(first.data, java.util.Arrays.copyOf(again.data, first.data.length), spec + ": the same product twice");
        }
    }

    @Test
    void theThreadCountIsOneUnlessSaidAndIsReported() {
        assumeTrue(System.getenv("OPENBLAS_NUM_THREADS") == null, "OPENBLAS_NUM_THREADS is set");
        assertTrue(backend("openblas").availability().detail().contains(", 1 thread, "));
        ComputeBackend two = backend("openblas(threads=2)");
        assertTrue(two.availability().detail().contains(", 2 threads, "), two.availability().detail());
        assertProducts(two.ops());
        assertTrue(backend("openblas").availability().detail().contains(", 1 thread, "));
        PluginException e = assertThrows(PluginException.class, () -> backend("openblas(threads=0)"));
        assertTrue(e.getMessage().contains("threads") && e.getMessage().contains(">= 1"), e.getMessage());
    }

    @Test
    void aBadBindingIsNamed() {
        PluginException e = assertThrows(PluginException.class, () -> backend("openblas(binding=cuda)"));
        assertTrue(e.getMessage().contains("binding") && e.getMessage().contains("cuda")
                && e.getMessage().contains("auto, netlib or javacpp"), e.getMessage());
    }

    @Test
    void mismatchedInnerDimensionsAreRefused() {
        MatrixOps ops = usable("openblas");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ops.multTransB(1.0, new DMatrixRMaj(2, 3), new DMatrixRMaj(4, 2), new DMatrixRMaj(1, 1)));
        assertEquals("cannot form A B^T: inner dimensions 3 and 2 differ", e.getMessage());
    }
}
