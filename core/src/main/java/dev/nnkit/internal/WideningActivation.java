package dev.nnkit.internal;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.FloatActivation;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The float passes of an activation that has only double ones: the float operands are widened
 * (exactly) into double scratch matrices, the double pass runs, and its output is rounded to
 * float. Cost against a float kernel: two passes of {@code n m} elements for forward, four for
 * backward, and double memory traffic; the result is the double pass's rounded once, so it meets
 * {@link FloatActivation}'s accuracy. The scratch belongs to the calling thread and only grows: a
 * warm call allocates nothing.
 */
public final class WideningActivation implements FloatActivation {

    private final Activation doubles;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private WideningActivation(Activation doubles) {
        this.doubles = doubles;
    }

    /** {@code activation}'s own float kernel when it has one, else this adapter around its double one. */
    public static FloatActivation of(Activation activation) {
        return activation instanceof FloatActivation f ? f : new WideningActivation(activation);
    }

    @Override
    public void forward(FMatrixRMaj z, FMatrixRMaj a) {
        Scratch s = scratch.get();
        WideningProducts.widen(z, s.z);
        s.a.reshape(a.numRows, a.numCols);
        doubles.forward(s.z, s.a);
        WideningProducts.narrow(s.a, a);
    }

    @Override
    public void backward(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj dA, FMatrixRMaj dZ) {
        Scratch s = scratch.get();
        WideningProducts.widen(z, s.z);
        WideningProducts.widen(a, s.a);
        WideningProducts.widen(dA, s.dA);
        s.dZ.reshape(dZ.numRows, dZ.numCols);
        doubles.backward(s.z, s.a, s.dA, s.dZ);
        WideningProducts.narrow(s.dZ, dZ);
    }

    @Override
    public String toString() {
        return doubles.toString();
    }

    /** One thread's double operands. */
    private static final class Scratch {
        final DMatrixRMaj z = new DMatrixRMaj(1, 1);
        final DMatrixRMaj a = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dA = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dZ = new DMatrixRMaj(1, 1);
    }
}
