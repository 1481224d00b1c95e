package dev.nnkit.internal;

import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.MatrixOps;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * Float products for a backend that offers only double ones: the float operands are widened into
 * double scratch matrices (exactly: every float is a double), the backend's double product is
 * computed, and each entry is rounded once to float. The cost, against a float kernel: three
 * conversion passes over {@code M K + K N + M N} numbers, double memory traffic and double speed.
 * The result is the backend's double product of the float operands rounded to float, so it is at
 * least as accurate as a float kernel's and as deterministic as the backend.
 *
 * <p>The scratch matrices belong to the calling thread (concurrent predictions each get their
 * own) and only grow: after the first product of the largest shape, a product allocates nothing.
 */
final class WideningProducts implements FloatMatrixOps {

    private final MatrixOps doubles;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    WideningProducts(MatrixOps doubles) {
        this.doubles = doubles;
    }

    @Override
    public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        Scratch s = scratch.get();
        doubles.mult(widen(a, s.a), widen(b, s.b), s.c);
        narrow(s.c, c);
    }

    @Override
    public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        Scratch s = scratch.get();
        doubles.multTransA(widen(a, s.a), widen(b, s.b), s.c);
        narrow(s.c, c);
    }

    @Override
    public void multTransB(float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        Scratch s = scratch.get();
        doubles.multTransB(alpha, widen(a, s.a), widen(b, s.b), s.c);
        narrow(s.c, c);
    }

    /** {@code to} becomes {@code from}'s shape and values. */
    static DMatrixRMaj widen(FMatrixRMaj from, DMatrixRMaj to) {
        to.reshape(from.numRows, from.numCols);
        float[] f = from.data;
        double[] d = to.data;
        int n = from.getNumElements();
        for (int i = 0; i < n; i++) {
            d[i] = f[i];
        }
        return to;
    }

    /** {@code to} becomes {@code from}'s shape, each value rounded to the nearest float. */
    static void narrow(DMatrixRMaj from, FMatrixRMaj to) {
        to.reshape(from.numRows, from.numCols);
        double[] d = from.data;
        float[] f = to.data;
        int n = from.getNumElements();
        for (int i = 0; i < n; i++) {
            f[i] = (float) d[i];
        }
    }

    /** One thread's double operands and product. */
    private static final class Scratch {
        final DMatrixRMaj a = new DMatrixRMaj(1, 1);
        final DMatrixRMaj b = new DMatrixRMaj(1, 1);
        final DMatrixRMaj c = new DMatrixRMaj(1, 1);
    }
}
