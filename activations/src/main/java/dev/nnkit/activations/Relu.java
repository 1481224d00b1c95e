package dev.nnkit.activations;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatActivation;
import dev.nnkit.spi.NamedProvider;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The rectified linear unit (MATH §2), spec {@code relu}, element-wise on {@code (n, m)} matrices:
 * {@code a = g(z) = max(0, z)}.
 *
 * <p>Backward: {@code dZ = dA * g'(z)} with {@code g'(z) = 1} for {@code z > 0} and {@code 0}
 * otherwise. <b>Convention:</b> {@code relu'(0) = 0} (the function has no derivative at 0; any
 * value in {@code [0, 1]} is a subgradient). The slope is read from {@code A}, since
 * {@code a > 0} exactly when {@code z > 0}, so backward is also correct after an in-place forward
 * pass. Keeping slope 1 for {@code z > 0} is why ReLU networks usually train faster than
 * sigmoid or tanh ones. Takes no arguments.
 */
public final class Relu implements Activation, FloatActivation {

    Relu() {
    }

    @Override
    public void forward(DMatrixRMaj z, DMatrixRMaj a) {
        Shapes.requireSameShape(this, z, "A", a);
        double[] zd = z.data;
        double[] ad = a.data;
        for (int k = 0, n = z.getNumElements(); k < n; k++) {
            ad[k] = Math.max(zd[k], 0.0); // branch-free (an intrinsic); NaN stays NaN
        }
    }

    @Override
    public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
        Shapes.requireBackwardShapes(this, z, a, dA, dZ);
        double[] ad = a.data;
        double[] dad = dA.data;
        double[] dzd = dZ.data;
        for (int k = 0, n = a.getNumElements(); k < n; k++) {
            // a >= +0: its bits are 0 exactly when a == 0, so this mask keeps dA where a > 0 without a
            // branch (a branch on a half-zero relu output is mispredicted every other element)
            long bits = Double.doubleToRawLongBits(ad[k]);
            long keep = (bits | -bits) >> 63;
            dzd[k] = Double.longBitsToDouble(Double.doubleToRawLongBits(dad[k]) & keep);
        }
    }

    @Override
    public void forward(FMatrixRMaj z, FMatrixRMaj a) {
        Shapes.requireSameShape(this, z, "A", a);
        float[] zd = z.data;
        float[] ad = a.data;
        for (int k = 0, n = z.getNumElements(); k < n; k++) {
            ad[k] = Math.max(zd[k], 0f);
        }
    }

    @Override
    public void backward(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj dA, FMatrixRMaj dZ) {
        Shapes.requireBackwardShapes(this, z, a, dA, dZ);
        float[] ad = a.data;
        float[] dad = dA.data;
        float[] dzd = dZ.data;
        for (int k = 0, n = a.getNumElements(); k < n; k++) {
            // the double kernel's mask on float bits: all ones exactly when a > 0
            int bits = Float.floatToRawIntBits(ad[k]);
            int keep = (bits | -bits) >> 31;
            dzd[k] = Float.intBitsToFloat(Float.floatToRawIntBits(dad[k]) & keep);
        }
    }

    @Override
    public String toString() {
        return "relu";
    }

    /** Registers {@code relu}. */
    public static final class Provider extends NamedProvider<Activation> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Activation.class, "relu");
        }

        @Override
        public Activation create(Arguments arguments) {
            return new Relu();
        }
    }
}
