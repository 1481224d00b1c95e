package dev.nnkit.internal;

import dev.ludovic.netlib.blas.BLAS;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A column-major {@code dgemm} (or {@code sgemm}) whose output columns are split into equal parts, one per thread:
 * the calling thread computes the first part and parked helper threads the others. For a BLAS that
 * runs on one thread (the Vector API or pure Java); a native BLAS threads itself.
 *
 * <p>The split depends only on the shape and the number of parts, and every output entry is
 * computed by one thread from the same inputs, so results are the same from run to run for a
 * given number of threads. Products under {@link #MIN_FLOPS} run on the calling thread alone, as
 * do products started while another thread is using the helpers (e.g. concurrent predictions).
 * A split product allocates nothing: the helpers are started once and handed their part through
 * fields. A product returns only when every part has finished, also when one of them threw; the
 * first exception or error is then rethrown on the calling thread.
 */
final class RowSplitGemm {

    /** Below this many floating-point operations ({@code 2 M N K}), handing work over costs more than it saves. */
    static final long MIN_FLOPS = 1L << 20;

    private final BLAS blas;
    private final Helper[] helpers;
    private final AtomicBoolean inUse = new AtomicBoolean();

    /** @param parts the number of threads a large product uses, the caller included; at least 1 */
    RowSplitGemm(BLAS blas, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts=" + parts + "; it must be >= 1");
        }
        this.blas = blas;
        this.helpers = new Helper[parts - 1];
    }

    /** The number of threads a large product uses. */
    int parts() {
        return helpers.length + 1;
    }

    /**
     * {@code C = alpha op(A) op(B) + beta C} in column-major storage, as BLAS {@code dgemm} with
     * offsets; {@code C} is {@code (m, n)} and its {@code n} columns are what gets split.
     */
    void dgemm(String transA, String transB, int m, int n, int k, double alpha, double[] a, int offA, int lda,
               double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        int parts = (int) Math.min(helpers.length + 1L, n);
        if (parts < 2 || 2L * m * n * k < MIN_FLOPS || !inUse.compareAndSet(false, true)) {
            blas.dgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
            return;
        }
        split(parts, transA, transB, m, n, k, alpha, a, null, offA, lda, b, null, offB, ldb, beta, c, null, offC, ldc);
    }

    /** {@link #dgemm} in single precision: BLAS {@code sgemm}, split the same way. */
    void sgemm(String transA, String transB, int m, int n, int k, float alpha, float[] a, int offA, int lda,
               float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        int parts = (int) Math.min(helpers.length + 1L, n);
        if (parts < 2 || 2L * m * n * k < MIN_FLOPS || !inUse.compareAndSet(false, true)) {
            blas.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
            return;
        }
        split(parts, transA, transB, m, n, k, alpha, null, a, offA, lda, null, b, offB, ldb, beta, null, c, offC, ldc);
    }

    /** Runs a product split in {@code parts}; exactly one of each pair of double and float arrays is given. */
    private void split(int parts, String transA, String transB, int m, int n, int k, double alpha, double[] a,
                       float[] fa, int offA, int lda, double[] b, float[] fb, int offB, int ldb, double beta,
                       double[] c, float[] fc, int offC, int ldc) {
        int handed = 0;
        Throwable failure = null;
        try {
            Thread caller = Thread.currentThread();
            for (int p = 1; p < parts; p++) {
                int from = start(n, parts, p);
                int count = start(n, parts, p + 1) - from;
                // column j of op(B) starts at j * ldb when B is not transposed, at row j when it is
                int bColumn = transB.equalsIgnoreCase("N") ? from * ldb : from;
                helper(p - 1).hand(caller, transA, transB, m, count, k, alpha, a, fa, offA, lda, b, fb, offB + bColumn,
                        ldb, beta, c, fc, offC + from * ldc, ldc);
                handed = p;
            }
            int mine = start(n, parts, 1);
            if (fa == null) {
                blas.dgemm(transA, transB, m, mine, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
            } else {
                blas.sgemm(transA, transB, m, mine, k, (float) alpha, fa, offA, lda, fb, offB, ldb, (float) beta, fc,
                        offC, ldc);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            // every part handed out must be finished before the helpers are free for the next product
            for (int p = 1; p <= handed; p++) {
                Throwable f = helpers[p - 1].await();
                failure = failure == null ? f : failure;
            }
            inUse.set(false);
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** The first column of part {@code p} of {@code parts} over {@code n} columns. */
    static int start(int n, int parts, int p) {
        return (int) ((long) n * p / parts);
    }

    private Helper helper(int index) {
        if (helpers[index] == null) {
            helpers[index] = new Helper(blas, index + 1);
        }
        return helpers[index];
    }

    /** A daemon thread that computes one part of a product at a time, parked in between. */
    private static final class Helper implements Runnable {
        private final BLAS blas;
        private final Thread thread;
        private volatile boolean assigned;
        private volatile boolean finished;
        private Thread caller;
        private Throwable failure;
        private String transA;
        private String transB;
        private int m;
        private int n;
        private int k;
        private double alpha;
        private double[] a;
        private int offA;
        private int lda;
        private double[] b;
        private int offB;
        private int ldb;
        private double beta;
        private double[] c;
        private float[] fa;
        private float[] fb;
        private float[] fc;
        private int offC;
        private int ldc;

        Helper(BLAS blas, int number) {
            this.blas = blas;
            this.thread = new Thread(this, "nnkit-gemm-" + number);
            thread.setDaemon(true);
            thread.start();
        }

        /** Hands over a part; {@code a, b, c} for a double product, {@code fa, fb, fc} for a float one. */
        void hand(Thread caller, String transA, String transB, int m, int n, int k, double alpha, double[] a,
                  float[] fa, int offA, int lda, double[] b, float[] fb, int offB, int ldb, double beta, double[] c,
                  float[] fc, int offC, int ldc) {
            this.caller = caller;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.offA = offA;
            this.lda = lda;
            this.b = b;
            this.offB = offB;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.fa = fa;
            this.fb = fb;
            this.fc = fc;
            this.offC = offC;
            this.ldc = ldc;
            this.failure = null;
            finished = false;
            assigned = true; // publishes the fields above to the helper
            LockSupport.unpark(thread);
        }

        /** Waits for the part to finish; returns what it threw, if anything. Keeps an interrupt for later. */
        Throwable await() {
            boolean interrupted = false;
            for (int spins = 0; !finished; spins++) {
                if (spins < 20_000) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                    // park returns at once while the interrupt flag is set: clear it, restore it after
                    interrupted |= Thread.interrupted();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            a = null; // do not keep the caller's matrices reachable between products
            b = null;
            c = null;
            fa = null;
            fb = null;
            fc = null;
            return failure;
        }

        @Override
        public void run() {
            while (true) {
                while (!assigned) {
                    LockSupport.park(this);
                }
                assigned = false;
                try {
                    if (fa == null) {
                        blas.dgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
                    } else {
                        blas.sgemm(transA, transB, m, n, k, (float) alpha, fa, offA, lda, fb, offB, ldb, (float) beta,
                                fc, offC, ldc);
                    }
                } catch (RuntimeException | Error e) {
                    failure = e; // rethrown on the caller's thread, as it would have been there
                }
                finished = true; // publishes the part of C and the failure to the caller
                LockSupport.unpark(caller);
            }
        }
    }
}
