package dev.nnkit.internal;

import dev.ludovic.netlib.blas.BLAS;
import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.RowMajorFloatGemm;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one seam through which layers multiply matrices: the three products of forward and
 * backward propagation, {@code C = A B}, {@code C = A^T B} and {@code C = alpha A B^T}, on EJML's
 * row-major matrices. {@link #get()} is what every layer uses: the products of the
 * {@link ComputeBackend} chosen for this JVM (see {@link #choose}), with products under
 * {@link #SMALL} multiply-adds computed by EJML whatever the backend, because a call into a native
 * library costs more than such a product (a 2-4-1 network never leaves Java). Core's own
 * implementations:
 * <ul>
 *   <li>{@link Blas}: netlib's BLAS {@code dgemm} called on the EJML arrays directly, without copies
 *       (a row-major matrix is the column-major transpose, so {@code C = A B} is computed as
 *       {@code C^T = B^T A^T}); the backends {@code system_blas} (a native {@code libblas.so.3}) and
 *       {@code vector} (the Vector API, rows split over threads by {@link RowSplitGemm}).</li>
 *   <li>{@link Ejml}: EJML's {@code CommonOps_DDRM}, always available; the backend {@code ejml}.</li>
 * </ul>
 * Every implementation is deterministic for a given shape and thread count; the size rule depends
 * on the shape only, so a run's results are the same from run to run.
 *
 * <p>The same three products in single precision ({@link FloatMatrixOps}): {@code sgemm} on the
 * BLAS backends, {@link FloatKernels} on EJML (and for products under {@link #SMALL}); a
 * backend whose ops offer only double products gets its float operands widened
 * ({@link WideningProducts}).
 */
abstract class MatrixProducts implements MatrixOps, FloatMatrixOps {

    /** Products of fewer multiply-adds ({@code M N K}) than this are computed by EJML on any backend. */
    static final long SMALL = 1L << 14;

    /** From this many multiply-adds on, running on EJML is worth a word to the user. */
    static final long LARGE = 1L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(MatrixProducts.class);
    private static volatile MatrixProducts instance;

    /**
     * The products of the backend chosen for this JVM, at the first call, from the system property
     * {@code nnkit.compute} (default {@code auto}); the choice is logged once at INFO. A
     * {@code nnkit.compute} that names no backend, or one not usable here, is refused by every call
     * with an {@link IllegalArgumentException} saying why.
     */
    public static MatrixProducts get() {
        MatrixProducts products = instance;
        if (products == null) {
            synchronized (MatrixProducts.class) {
                products = instance;
                if (products == null) {
                    String setting = System.getProperty("nnkit.compute", "auto");
                    products = choose(setting);
                    LOG.info("nnkit matrix products: {}{}", products.name(), setting.trim().equalsIgnoreCase("auto")
                            ? " (chosen automatically; -Dnnkit.compute=NAME overrides)" : " (-Dnnkit.compute=" + setting.trim() + ")");
                    instance = products;
                }
            }
        }
        return products;
    }

    /** The name of the implementation, e.g. {@code blas (JNIBLAS)} or {@code ejml}. */
    public abstract String name();

    /** {@code c = a b}; {@code a} is (M, K), {@code b} is (K, N), {@code c} is reshaped to (M, N). */
    public abstract void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);

    /** {@code c = a^T b}; {@code a} is (K, M), {@code b} is (K, N), {@code c} is reshaped to (M, N). */
    public abstract void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);

    /** {@code c = alpha a b^T}; {@code a} is (M, K), {@code b} is (N, K), {@code c} is reshaped to (M, N). */
    public abstract void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c);

    /** {@code c = a b} in float; {@code a} is (M, K), {@code b} is (K, N), {@code c} is reshaped to (M, N). */
    public abstract void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** {@code c = a^T b} in float; {@code a} is (K, M), {@code b} is (K, N), {@code c} is reshaped to (M, N). */
    public abstract void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** {@code c = alpha a b^T} in float; {@code a} is (M, K), {@code b} is (N, K), {@code c} is reshaped to (M, N). */
    public abstract void multTransB(float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c);

    /** EJML's row-major kernels ({@code CommonOps_DDRM}); in float, core's {@link FloatKernels}. */
    static final class Ejml extends MatrixProducts {
        @Override
        public String name() {
            return "ejml";
        }

        @Override
        public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            CommonOps_DDRM.mult(a, b, c);
        }

        @Override
        public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            CommonOps_DDRM.multTransA(a, b, c);
        }

        @Override
        public void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            CommonOps_DDRM.multTransB(alpha, a, b, c);
        }

        @Override
        public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            FloatKernels.mult(a, b, c);
        }

        @Override
        public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            FloatKernels.multTransA(a, b, c);
        }

        @Override
        public void multTransB(float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            FloatKernels.multTransB(alpha, a, b, c);
        }
    }

    /**
     * netlib {@code dgemm} on the row-major arrays, read as column-major transposes. A native BLAS
     * threads itself; any other is given the rows of {@code C} split over {@code threads} threads
     * ({@link RowSplitGemm}).
     */
    static final class Blas extends MatrixProducts {
        private final BLAS blas;
        private final RowSplitGemm split;
        private final RowMajorFloatGemm rowMajor;

        /** On every core ({@code nnkit.threads} lowers it) when the BLAS is not native. */
        Blas(BLAS blas) {
            this(blas, isNative(blas) ? 1 : threads());
        }

        /** With the rows split over {@code threads} threads (1: the BLAS's own threading only). */
        Blas(BLAS blas, int threads) {
            this.blas = blas;
            this.split = new RowSplitGemm(blas, threads);
            // column-major dgemm on the row-major arrays: C^T = op(B)^T op(A)^T
            this.rowMajor = new RowMajorFloatGemm() {
                @Override
                public String name() {
                    return Blas.this.name();
                }

                @Override
                protected void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda,
                                    double[] b, int ldb, double[] c, int ldc) {
                    split.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, 0, ldb, a, 0, lda, 0.0, c, 0, ldc);
                }

                @Override
                protected void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                                     float[] b, int ldb, float[] c, int ldc) {
                    split.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha, b, 0, ldb, a, 0, lda, 0.0f, c, 0, ldc);
                }
            };
        }

        @Override
        public String name() {
            String kind = blas.getClass().getSimpleName();
            return split.parts() > 1 ? "blas (" + kind + ") on " + split.parts() + " threads" : "blas (" + kind + ")";
        }

        @Override
        public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            rowMajor.mult(a, b, c);
        }

        @Override
        public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            rowMajor.multTransA(a, b, c);
        }

        @Override
        public void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            rowMajor.multTransB(alpha, a, b, c);
        }

        @Override
        public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            rowMajor.mult(a, b, c);
        }

        @Override
        public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            rowMajor.multTransA(a, b, c);
        }

        @Override
        public void multTransB(float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            rowMajor.multTransB(alpha, a, b, c);
        }

        static boolean isNative(BLAS blas) {
            return blas.getClass().getSimpleName().equals("JNIBLAS");
        }

        /** {@code nnkit.threads}, default the number of processors. */
        static int threads() {
            String given = System.getProperty("nnkit.threads");
            int processors = Runtime.getRuntime().availableProcessors();
            if (given == null) {
                return processors;
            }
            try {
                int threads = Integer.parseInt(given.trim());
                if (threads >= 1) {
                    return threads;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException("system property nnkit.threads=" + given
                    + " is not understood; give the number of threads for the matrix products, >= 1 (this machine has "
                    + processors + " processors)");
        }

    }

    /**
     * The products of the backend {@code setting} names, a spec string such as {@code ejml} or
     * {@code openblas}, or {@code auto}: every backend discovered by the default
     * {@link PluginRegistry} is made with no arguments and probed in order of decreasing
     * {@link ComputeBackend#rank()} (ties by name), and the first usable one wins; backends ranked
     * below it are not probed. EJML is always usable, so {@code auto} always succeeds.
     *
     * @throws IllegalArgumentException when the setting names no backend, its arguments are wrong,
     *         or the backend is not usable here (the message gives its reason)
     */
    static MatrixProducts choose(String setting) {
        return choose(setting, PluginRegistry.defaults());
    }

    /** {@link #choose(String)} among the backends of {@code registry}. */
    static MatrixProducts choose(String setting, PluginRegistry registry) {
        String spec = setting.trim();
        if (spec.equalsIgnoreCase("auto")) {
            List<Candidate> candidates = new ArrayList<>();
            for (String name : registry.names(ComputeBackend.class)) {
                try {
                    ComputeBackend backend = registry.create(ComputeBackend.class, name);
                    candidates.add(new Candidate(name, backend, backend.rank()));
                } catch (RuntimeException e) {
                    LOG.warn("compute backend '{}' is left out: {}", name, e.getMessage());
                }
            }
            candidates.sort(Comparator.comparingInt(Candidate::rank).reversed().thenComparing(Candidate::name));
            List<String> passed = new ArrayList<>();
            for (Candidate candidate : candidates) {
                ComputeBackend.Availability availability = probe(candidate.backend());
                if (availability.usable()) {
                    LOG.debug("compute backend '{}' (rank {}) chosen: {}; not usable: {}", candidate.name(),
                            candidate.rank(), availability.detail(), passed);
                    return new Sized(candidate.name(), availability.detail(), candidate.backend().ops());
                }
                passed.add(candidate.name() + ": " + availability.detail());
            }
            // only when ejml itself is missing from the registry (a hand-made one)
            return new Sized("ejml", "pure Java, always available", new Ejml());
        }
        ComputeBackend backend;
        try {
            backend = registry.create(ComputeBackend.class, spec);
        } catch (PluginException e) {
            throw new IllegalArgumentException("system property nnkit.compute=" + setting + " is not understood: "
                    + e.getMessage() + "; use auto or one of " + registry.names(ComputeBackend.class), e);
        }
        ComputeBackend.Availability availability = probe(backend);
        if (!availability.usable()) {
            throw new IllegalArgumentException("system property nnkit.compute=" + setting
                    + " names a compute backend that cannot run here: " + availability.detail()
                    + "; use auto to let nnkit choose among " + registry.names(ComputeBackend.class));
        }
        return new Sized(PluginSpec.parse(spec).name(), availability.detail(), backend.ops());
    }

    private static ComputeBackend.Availability probe(ComputeBackend backend) {
        try {
            ComputeBackend.Availability availability = backend.availability();
            return availability != null ? availability
                    : ComputeBackend.Availability.unusable(backend.getClass().getName() + ".availability() returned null");
        } catch (RuntimeException | LinkageError e) {
            return ComputeBackend.Availability.unusable(backend.getClass().getName() + ".availability() failed: " + e);
        }
    }

    private record Candidate(String name, ComputeBackend backend, int rank) {
    }

    /**
     * A backend's products, with the products under {@link #SMALL} multiply-adds on EJML. On the
     * {@code ejml} backend, the first product of at least {@link #LARGE} multiply-adds logs once,
     * at INFO, which dependency would make it native. Float products go to the backend's own
     * {@link FloatMatrixOps} when its ops implement it, else through {@link WideningProducts} to
     * its double products.
     */
    static final class Sized extends MatrixProducts {
        private final String name;
        private final MatrixOps large;
        private final FloatMatrixOps largeFloat;
        private final Ejml small = new Ejml();
        private final boolean slowFallback;
        private volatile boolean told;

        Sized(String backend, String detail, MatrixOps large) {
            this.name = backend + " (" + detail + ")";
            this.large = large;
            this.largeFloat = large instanceof FloatMatrixOps f ? f : new WideningProducts(large);
            this.slowFallback = backend.equals("ejml");
        }

        /** Whether float products reach the backend's own float kernels (rather than its double ones, widened). */
        boolean nativeFloat() {
            return !(largeFloat instanceof WideningProducts);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            pick((long) a.numRows * a.numCols * b.numCols).mult(a, b, c);
        }

        @Override
        public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            pick((long) a.numCols * a.numRows * b.numCols).multTransA(a, b, c);
        }

        @Override
        public void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            pick((long) a.numRows * a.numCols * b.numRows).multTransB(alpha, a, b, c);
        }

        @Override
        public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            pickFloat((long) a.numRows * a.numCols * b.numCols).mult(a, b, c);
        }

        @Override
        public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            pickFloat((long) a.numCols * a.numRows * b.numCols).multTransA(a, b, c);
        }

        @Override
        public void multTransB(float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            pickFloat((long) a.numRows * a.numCols * b.numRows).multTransB(alpha, a, b, c);
        }

        private FloatMatrixOps pickFloat(long multiplyAdds) {
            if (multiplyAdds < SMALL) {
                return small;
            }
            tell(multiplyAdds);
            return largeFloat;
        }

        private MatrixOps pick(long multiplyAdds) {
            if (multiplyAdds < SMALL) {
                return small;
            }
            tell(multiplyAdds);
            return large;
        }

        private void tell(long multiplyAdds) {
            if (slowFallback && !told && multiplyAdds >= LARGE) {
                told = true;
                LOG.info("nnkit multiplies matrices of this size ({} multiply-adds) in pure Java (EJML), several times"
                        + " slower than a native BLAS; add the dependency dev.nnkit:nnkit-compute-openblas (from Maven,"
                        + " no system package or JVM flag needed) for native speed", multiplyAdds);
            }
        }
    }

    /**
     * One of netlib's BLAS instances, e.g. {@code NativeBLAS::getInstance}, without the warnings its
     * loader prints through java.util.logging for every implementation it could not load (nnkit
     * says what it chose instead).
     */
    static <T> T quietly(Supplier<T> netlib) {
        java.util.logging.Logger loader = java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
        Level previous = loader.getLevel();
        loader.setLevel(Level.OFF);
        try {
            return netlib.get();
        } finally {
            loader.setLevel(previous);
        }
    }
}
