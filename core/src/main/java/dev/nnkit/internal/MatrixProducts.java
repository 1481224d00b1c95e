package dev.nnkit.internal;

import dev.ludovic.netlib.blas.BLAS;
import dev.nnkit.spi.MatrixOps;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.slf4j.LoggerFactory;

/**
 * The one seam through which layers multiply matrices: the three products of forward and
 * backward propagation, {@code C = A B}, {@code C = A^T B} and {@code C = alpha A B^T}, on EJML's
 * row-major matrices. Two implementations:
 * <ul>
 *   <li><b>blas</b>: netlib's BLAS {@code dgemm} called on the EJML arrays directly, without copies
 *       (a row-major matrix is the column-major transpose, so {@code C = A B} is computed as
 *       {@code C^T = B^T A^T}). Used when netlib finds a native BLAS ({@code libblas.so.3}, e.g.
 *       Debian's OpenBLAS) or the Vector API ({@code --add-modules jdk.incubator.vector}).</li>
 *   <li><b>ejml</b>: EJML's {@code CommonOps_DDRM}, always available, and the choice when netlib
 *       would only fall back to its pure-Java BLAS, which is no faster.</li>
 * </ul>
 * The system property {@code nnkit.compute} ({@code auto}, {@code blas}, {@code ejml}; default
 * {@code auto}) overrides the choice; {@code nnkit.threads} sets how many threads share a product
 * on a BLAS that is not native (default: one per processor). The choice is made once and logged at debug level. Both give
 * the same products up to floating-point round-off; each is deterministic for a given thread count.
 */
abstract class MatrixProducts implements MatrixOps {

    private static volatile MatrixProducts instance;

    /**
     * The implementation chosen for this JVM, at the first call. A bad {@code nnkit.compute} or
     * {@code nnkit.threads} is refused by every call with an {@link IllegalArgumentException}.
     */
    public static MatrixProducts get() {
        MatrixProducts products = instance;
        if (products == null) {
            synchronized (MatrixProducts.class) {
                products = instance;
                if (products == null) {
                    products = choose(System.getProperty("nnkit.compute", "auto"));
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

    /** EJML's row-major kernels. */
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
    }

    /**
     * netlib {@code dgemm} on the row-major arrays, read as column-major transposes. A native BLAS
     * threads itself; any other is given the rows of {@code C} split over {@code threads} threads
     * ({@link RowSplitGemm}).
     */
    static final class Blas extends MatrixProducts {
        private final BLAS blas;
        private final RowSplitGemm split;

        /** On every core ({@code nnkit.threads} lowers it) when the BLAS is not native. */
        Blas(BLAS blas) {
            this(blas, isNative(blas) ? 1 : threads());
        }

        /** With the rows split over {@code threads} threads (1: the BLAS's own threading only). */
        Blas(BLAS blas, int threads) {
            this.blas = blas;
            this.split = new RowSplitGemm(blas, threads);
        }

        @Override
        public String name() {
            String kind = blas.getClass().getSimpleName();
            return split.parts() > 1 ? "blas (" + kind + ") on " + split.parts() + " threads" : "blas (" + kind + ")";
        }

        @Override
        public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            int m = a.numRows;
            int k = a.numCols;
            int n = b.numCols;
            requireInner(k, b.numRows, "A B");
            c.reshape(m, n);
            if (empty(m, n, k, c)) {
                return;
            }
            split.dgemm("N", "N", n, m, k, 1.0, b.data, 0, n, a.data, 0, k, 0.0, c.data, 0, n);
        }

        @Override
        public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            int k = a.numRows;
            int m = a.numCols;
            int n = b.numCols;
            requireInner(k, b.numRows, "A^T B");
            c.reshape(m, n);
            if (empty(m, n, k, c)) {
                return;
            }
            split.dgemm("N", "T", n, m, k, 1.0, b.data, 0, n, a.data, 0, m, 0.0, c.data, 0, n);
        }

        @Override
        public void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            int m = a.numRows;
            int k = a.numCols;
            int n = b.numRows;
            requireInner(k, b.numCols, "A B^T");
            c.reshape(m, n);
            if (empty(m, n, k, c)) {
                return;
            }
            split.dgemm("T", "N", n, m, k, alpha, b.data, 0, k, a.data, 0, k, 0.0, c.data, 0, n);
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

    static MatrixProducts choose(String setting) {
        String mode = setting.trim().toLowerCase(Locale.ROOT);
        MatrixProducts chosen;
        switch (mode) {
            case "ejml" -> chosen = new Ejml();
            case "blas" -> chosen = new Blas(quietBlas());
            case "auto" -> {
                BLAS blas = quietBlas();
                String kind = blas.getClass().getSimpleName();
                chosen = kind.equals("JNIBLAS") || kind.equals("VectorBLAS") ? new Blas(blas) : new Ejml();
            }
            default -> throw new IllegalArgumentException("system property nnkit.compute=" + setting
                    + " is not understood; use auto, blas or ejml");
        }
        LoggerFactory.getLogger(MatrixProducts.class).debug("matrix products: {} (nnkit.compute={})", chosen.name(), mode);
        return chosen;
    }

    /**
     * netlib's BLAS, without the warnings its loader prints through java.util.logging for every
     * implementation it could not load (the choice is logged by nnkit instead).
     */
    private static BLAS quietBlas() {
        Logger loader = Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
        Level previous = loader.getLevel();
        loader.setLevel(Level.OFF);
        try {
            return BLAS.getInstance();
        } finally {
            loader.setLevel(previous);
        }
    }
}
