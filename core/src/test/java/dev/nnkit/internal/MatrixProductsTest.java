package dev.nnkit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.PluginProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The BLAS path computes the same three products as EJML, up to round-off, with the row-major to
 * column-major mapping checked on the pure-Java BLAS (always present) and on whatever BLAS this
 * machine provides (a system native BLAS when installed); the choice among backends follows the
 * ranks, probes only what it must, and keeps small products on EJML.
 */
class MatrixProductsTest {

    /** (m, k, n); the last two exceed {@link RowSplitGemm#MIN_FLOPS}, so they are split over threads. */
    private static final int[][] SHAPES = {{1, 1, 1}, {1, 7, 1}, {5, 1, 3}, {3, 4, 5}, {17, 33, 9}, {64, 100, 40},
        {2, 300, 1}, {131, 61, 97}, {7, 300, 301}};

    private static DMatrixRMaj random(int rows, int cols, Random r) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            m.data[k] = r.nextGaussian();
        }
        return m;
    }

    /** Reference products from their definition, independent of both implementations. */
    private static double product(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, int i, int j) {
        int k = transA ? a.numRows : a.numCols;
        double sum = 0;
        for (int p = 0; p < k; p++) {
            sum += (transA ? a.get(p, i) : a.get(i, p)) * (transB ? b.get(j, p) : b.get(p, j));
        }
        return sum;
    }

    private static void assertProducts(MatrixProducts products) {
        Random r = new Random(3);
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            DMatrixRMaj a = random(m, k, r);
            DMatrixRMaj b = random(k, n, r);
            DMatrixRMaj c = new DMatrixRMaj(1, 1);
            c.fill(Double.NaN);
            products.mult(a, b, c);
            check(products, "A B", m, n, c, (i, j) -> product(a, false, b, false, i, j));

            DMatrixRMaj at = random(k, m, r);
            products.multTransA(at, b, c);
            check(products, "A^T B", m, n, c, (i, j) -> product(at, true, b, false, i, j));

            DMatrixRMaj bt = random(n, k, r);
            products.multTransB(0.25, a, bt, c);
            check(products, "0.25 A B^T", m, n, c, (i, j) -> 0.25 * product(a, false, bt, true, i, j));
        }
    }

    private interface Entry {
        double at(int i, int j);
    }

    private static void check(MatrixProducts products, String what, int m, int n, DMatrixRMaj c, Entry expected) {
        assertEquals(m, c.numRows, products.name() + " " + what + " rows");
        assertEquals(n, c.numCols, products.name() + " " + what + " cols");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double e = expected.at(i, j);
                assertEquals(e, c.get(i, j), 1e-12 * (1 + Math.abs(e)), products.name() + " " + what + " at (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void ejmlComputesTheThreeProducts() {
        assertProducts(new MatrixProducts.Ejml());
    }

    @Test
    void theBlasMappingOfRowMajorArraysIsRightOnThePureJavaBlas() {
        assertProducts(new MatrixProducts.Blas(JavaBLAS.getInstance()));
    }

    @Test
    void theSystemBlasAgreesWithEjmlWhenInstalled() {
        // runs where a native libblas.so.3 is installed (e.g. Debian's libopenblas0-pthread), skipped elsewhere
        ComputeBackend.Availability availability = new SystemBlasBackend().availability();
        assumeTrue(availability.usable(), availability.detail());
        assertProducts(new MatrixProducts.Blas(NativeBLAS.getInstance(), 1));
        MatrixProducts chosen = MatrixProducts.choose("system_blas");
        assertTrue(chosen.name().startsWith("system_blas (netlib JNI"), chosen.name());
        assertProducts(chosen);
    }

    @Test
    void thisMachinesChoiceAgreesWithEjml() {
        assertProducts(MatrixProducts.get());
        assertProducts(MatrixProducts.choose("auto"));
    }

    @Test
    void theChoiceCanBeForcedAndABadSettingIsNamed() {
        assertEquals("ejml (EJML, pure Java, 1 thread)", MatrixProducts.choose("ejml").name());
        assertEquals("ejml (EJML, pure Java, 1 thread)", MatrixProducts.choose(" ejml ").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatrixProducts.choose("gpu"));
        assertTrue(e.getMessage().startsWith("system property nnkit.compute=gpu is not understood: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; use auto or one of [ejml, system_blas, vector]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MatrixProducts.choose("vector(threads=0)"));
        assertTrue(e.getMessage().contains("threads"), e.getMessage());
        for (String setting : List.of("auto", " Auto ")) {
            MatrixProducts.choose(setting);
        }
    }

    /** A backend of a given rank and availability that records whether it was probed and used. */
    private static final class FakeBackend implements ComputeBackend {
        final int rank;
        final boolean usable;
        boolean probed;
        int products;

        FakeBackend(int rank, boolean usable) {
            this.rank = rank;
            this.usable = usable;
        }

        @Override
        public int rank() {
            return rank;
        }

        @Override
        public Availability availability() {
            probed = true;
            return usable ? Availability.usable("fake, usable") : Availability.unusable("fake library missing");
        }

        @Override
        public MatrixOps ops() {
            MatrixProducts.Ejml ejml = new MatrixProducts.Ejml();
            return new MatrixOps() {
                @Override
                public String name() {
                    return "fake";
                }

                @Override
                public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
                    products++;
                    ejml.mult(a, b, c);
                }

                @Override
                public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
                    products++;
                    ejml.multTransA(a, b, c);
                }

                @Override
                public void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
                    products++;
                    ejml.multTransB(alpha, a, b, c);
                }
            };
        }
    }

    private static PluginProvider<ComputeBackend> provider(String name, ComputeBackend backend) {
        return new PluginProvider<>() {
            @Override
            public Class<ComputeBackend> kind() {
                return ComputeBackend.class;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public ComputeBackend create(Arguments arguments) {
                return backend;
            }
        };
    }

    @Test
    void autoTakesTheUsableBackendOfHighestRankAndNeverProbesTheOnesBelowIt() {
        FakeBackend best = new FakeBackend(300, false);
        FakeBackend tieB = new FakeBackend(200, true);
        FakeBackend tieA = new FakeBackend(200, true);
        FakeBackend low = new FakeBackend(100, true);
        PluginRegistry registry = PluginRegistry.of(List.of(provider("best", best), provider("tie_b", tieB),
                provider("tie_a", tieA), provider("low", low), new EjmlBackend.Provider()));
        MatrixProducts chosen = MatrixProducts.choose("auto", registry);
        assertEquals("tie_a (fake, usable)", chosen.name());
        assertTrue(best.probed);
        assertTrue(tieA.probed);
        assertEquals(false, tieB.probed, "a tie is broken by name, and the loser is not probed");
        assertEquals(false, low.probed);
        assertProducts(chosen);
    }

    @Test
    void aForcedBackendThatCannotRunHereIsRefusedWithItsReason() {
        PluginRegistry registry = PluginRegistry.of(List.of(provider("missing", new FakeBackend(1, false)),
                new EjmlBackend.Provider()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatrixProducts.choose("missing", registry));
        assertEquals("system property nnkit.compute=missing names a compute backend that cannot run here: fake library"
                + " missing; use auto to let nnkit choose among [ejml, missing]", e.getMessage());
    }

    @Test
    void smallProductsStayOnEjmlWhateverTheBackend() {
        FakeBackend fake = new FakeBackend(1, true);
        MatrixProducts chosen = MatrixProducts.choose("fake", PluginRegistry.of(List.of(provider("fake", fake))));
        Random r = new Random(5);
        DMatrixRMaj c = new DMatrixRMaj(1, 1);
        // a 2-4-1 network's products, batch 4: a few dozen multiply-adds each
        chosen.mult(random(4, 2, r), random(2, 4, r), c);
        chosen.multTransA(random(4, 1, r), random(4, 4, r), c);
        chosen.multTransB(1.0, random(1, 4, r), random(2, 4, r), c);
        assertEquals(0, fake.products);
        // 32 * 32 * 16 = 2^14 multiply-adds: the backend's
        chosen.mult(random(32, 16, r), random(16, 32, r), c);
        chosen.multTransA(random(16, 32, r), random(16, 32, r), c);
        chosen.multTransB(1.0, random(32, 16, r), random(32, 16, r), c);
        assertEquals(3, fake.products);
        assertEquals(1L << 14, MatrixProducts.SMALL);
    }

    @Test
    void splittingTheRowsOverThreadsGivesTheSameProductsEveryTime() {
        Random r = new Random(8);
        DMatrixRMaj a = random(131, 61, r);
        DMatrixRMaj b = random(61, 97, r);
        for (int threads : new int[] {2, 3, 5}) {
            MatrixProducts split = new MatrixProducts.Blas(JavaBLAS.getInstance(), threads);
            assertTrue(split.name().endsWith(" on " + threads + " threads"), split.name());
            assertProducts(split);
            DMatrixRMaj first = new DMatrixRMaj(1, 1);
            DMatrixRMaj again = new DMatrixRMaj(1, 1);
            split.mult(a, b, first);
            for (int run = 0; run < 20; run++) {
                split.mult(a, b, again);
                assertArrayEquals(first.data, again.data, 0.0, "run " + run + " on " + threads + " threads");
            }
        }
    }

    @Test
    void productsStartedFromManyThreadsAtOnceAreAllRight() throws Exception {
        MatrixProducts split = new MatrixProducts.Blas(JavaBLAS.getInstance(), 2);
        MatrixProducts single = new MatrixProducts.Blas(JavaBLAS.getInstance(), 1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                runs.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int round = 0; round < 30; round++) {
                        DMatrixRMaj a = random(90, 70, r);
                        DMatrixRMaj b = random(70, 80, r);
                        DMatrixRMaj got = new DMatrixRMaj(1, 1);
                        DMatrixRMaj expected = new DMatrixRMaj(1, 1);
                        split.mult(a, b, got);
                        single.mult(a, b, expected);
                        for (int k = 0; k < expected.getNumElements(); k++) {
                            assertEquals(expected.data[k], got.data[k], 1e-12 * (1 + Math.abs(expected.data[k])));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailureInAHelperThreadReachesTheCaller() {
        RowSplitGemm gemm = new RowSplitGemm(JavaBLAS.getInstance(), 2);
        double[] a = new double[200 * 100];
        double[] b = new double[100 * 120];
        double[] c = new double[200 * 60]; // room for the caller's 60 columns only
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> gemm.dgemm("N", "N", 200, 120, 100, 1.0, a, 0, 200, b, 0, 100, 0.0, c, 0, 200));
        assertTrue(e instanceof IndexOutOfBoundsException || e.getMessage() != null, e.toString());
        // the helpers are free again: the next product works
        double[] whole = new double[200 * 120];
        gemm.dgemm("N", "N", 200, 120, 100, 1.0, a, 0, 200, b, 0, 100, 0.0, whole, 0, 200);
    }

    /** Spins (no clock) until {@code done} holds. */
    private static void spinUntil(java.util.function.BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            Thread.onSpinWait();
        }
    }

    @Test
    void whenTheCallersPartFailsTheProductWaitsForTheHelpersAndTheNextOneIsWhole() {
        BLAS reference = JavaBLAS.getInstance();
        Thread caller = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean failNext = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger helperParts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean helperStarted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean secondStarted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean resultRead = new java.util.concurrent.atomic.AtomicBoolean();
        // Events, not time, order the threads. The caller's part of the first product (output
        // offset 0) fails once the helper is inside its part. A helper part finishes only when the
        // caller is parked waiting for it (the product waits, as it must) or when the caller has
        // moved on without waiting (to the next product, or to reading the result): then the
        // result shows what the caller got.
        BLAS flaky = (BLAS) java.lang.reflect.Proxy.newProxyInstance(BLAS.class.getClassLoader(), new Class<?>[] {BLAS.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("dgemm") && args.length == 16) {
                        boolean callersPart = (int) args[14] == 0;
                        if (callersPart && failNext.getAndSet(false)) {
                            spinUntil(helperStarted::get);
                            throw new IllegalStateException("the caller's part failed");
                        }
                        if (callersPart) {
                            secondStarted.set(true);
                        } else {
                            java.util.concurrent.atomic.AtomicBoolean movedOn =
                                    helperParts.getAndIncrement() == 0 ? secondStarted : resultRead;
                            helperStarted.set(true);
                            spinUntil(() -> caller.getState() == Thread.State.WAITING || movedOn.get());
                        }
                    }
                    try {
                        return method.invoke(reference, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        RowSplitGemm gemm = new RowSplitGemm(flaky, 2);
        Random r = new Random(6);
        double[] a = random(128, 128, r).data;
        double[] b = random(128, 128, r).data;
        double[] first = new double[128 * 128];
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> gemm.dgemm("N", "N", 128, 128, 128, 1.0, a, 0, 128, b, 0, 128, 0.0, first, 0, 128));
        assertEquals("the caller's part failed", e.getMessage());
        double[] second = new double[128 * 128];
        java.util.Arrays.fill(second, Double.NaN);
        gemm.dgemm("N", "N", 128, 128, 128, 1.0, a, 0, 128, b, 0, 128, 0.0, second, 0, 128);
        double[] returned = second.clone();
        resultRead.set(true);
        double[] expected = new double[128 * 128];
        reference.dgemm("N", "N", 128, 128, 128, 1.0, a, 0, 128, b, 0, 128, 0.0, expected, 0, 128);
        assertArrayEquals(expected, returned, 0.0, "every entry of the next product, none left from the failed one");
    }

    @Test
    void anInterruptedCallerStillGetsTheWholeProductAndKeepsItsInterrupt() {
        MatrixProducts split = new MatrixProducts.Blas(JavaBLAS.getInstance(), 2);
        MatrixProducts single = new MatrixProducts.Blas(JavaBLAS.getInstance(), 1);
        Random r = new Random(7);
        DMatrixRMaj a = random(200, 150, r);
        DMatrixRMaj b = random(150, 120, r);
        DMatrixRMaj got = new DMatrixRMaj(1, 1);
        DMatrixRMaj expected = new DMatrixRMaj(1, 1);
        single.mult(a, b, expected);
        Thread.currentThread().interrupt();
        try {
            split.mult(a, b, got);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        assertArrayEquals(expected.data, got.data, 1e-12);
    }

    @Test
    void aBadThreadCountIsNamed() {
        String before = System.getProperty("nnkit.threads");
        try {
            System.setProperty("nnkit.threads", "0");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, MatrixProducts.Blas::threads);
            assertTrue(e.getMessage().startsWith("system property nnkit.threads=0 is not understood"), e.getMessage());
            System.setProperty("nnkit.threads", " 3 ");
            assertEquals(3, MatrixProducts.Blas.threads());
        } finally {
            if (before == null) {
                System.clearProperty("nnkit.threads");
            } else {
                System.setProperty("nnkit.threads", before);
            }
        }
    }

    @Test
    void mismatchedInnerDimensionsAreRefused() {
        MatrixProducts blas = new MatrixProducts.Blas(JavaBLAS.getInstance());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> blas.mult(new DMatrixRMaj(2, 3), new DMatrixRMaj(4, 2), new DMatrixRMaj(1, 1)));
        assertEquals("cannot form A B: inner dimensions 3 and 4 differ", e.getMessage());
    }
}
