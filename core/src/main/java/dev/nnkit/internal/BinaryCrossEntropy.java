package dev.nnkit.internal;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatFusedLoss;
import dev.nnkit.spi.FloatLoss;
import dev.nnkit.spi.FusedLoss;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.StandardFunction;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * Binary cross-entropy with a sigmoid output (MATH §3), spec {@code binary_cross_entropy}:
 * {@code L(a, y) = -[y log a + (1 - y) log(1 - a)]}, {@code J = (1/m) sum L}, computed from the
 * logits {@code z} as {@code L = softplus(z) - y z} (with {@code softplus(z) = max(z, 0) +
 * log(1 + e^-|z|)}), which never takes {@code log(0)}, with the fused gradient {@code dZ = A - Y},
 * whenever the output activation declares the {@linkplain StandardFunction#LOGISTIC logistic}
 * function (the {@code sigmoid} of nnkit-activations does). With any other output activation in {@code (0, 1)} the
 * general path computes {@code L} from {@code a} and {@code dA = (a - y) / (a (1 - a))}, with
 * {@code a} clamped to {@code [1e-15, 1 - 1e-15]} so that a saturated output gives a large finite
 * number rather than an infinity. Labels must be 0 or 1.
 */
public final class BinaryCrossEntropy implements FusedLoss, FloatLoss, FloatFusedLoss {

    /** How close to 0 or 1 the general path lets an output come before clamping it. */
    static final double CLAMP = 1e-15;

    @Override
    public StandardFunction fusedWith() {
        return StandardFunction.LOGISTIC;
    }

    @Override
    public void checkLabels(DMatrixRMaj y) {
        double[] d = y.data;
        for (int k = 0; k < y.getNumElements(); k++) {
            if (d[k] != 0.0 && d[k] != 1.0) {
                throw new IllegalArgumentException(this + ": label Y[" + (k / y.numCols) + ", " + (k % y.numCols)
                        + "] = " + d[k] + "; binary labels must be 0 or 1");
            }
        }
    }

    @Override
    public double fusedCost(DMatrixRMaj z, DMatrixRMaj y) {
        double sum = 0.0;
        int n = z.getNumElements();
        for (int k = 0; k < n; k++) {
            double zk = z.data[k];
            sum += Math.max(zk, 0.0) + Math.log1p(Math.exp(-Math.abs(zk))) - y.data[k] * zk;
        }
        return sum / z.numCols;
    }

    @Override
    public void fusedGradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dZ) {
        Losses.difference(a, y, dZ);
    }

    @Override
    public double cost(DMatrixRMaj a, DMatrixRMaj y) {
        double sum = 0.0;
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            double ak = clamp(a.data[k]);
            double yk = y.data[k];
            sum -= yk * Math.log(ak) + (1.0 - yk) * Math.log1p(-ak);
        }
        return sum / a.numCols;
    }

    @Override
    public void gradient(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dA) {
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            double ak = clamp(a.data[k]);
            dA.data[k] = (ak - y.data[k]) / (ak * (1.0 - ak));
        }
    }

    private static double clamp(double a) {
        return Math.min(1.0 - CLAMP, Math.max(CLAMP, a));
    }

    /**
     * The float clamp of the general path, {@code 2^-24}: {@code 1 - 2^-24} is the float nearest
     * below 1 ({@link #CLAMP}'s {@code 1 - 10^-15} rounds to 1 in float, where {@code a (1 - a)}
     * would be 0).
     */
    static final float CLAMP_32 = 0x1p-24f;

    @Override
    public double fusedCost(FMatrixRMaj z, FMatrixRMaj y) {
        double sum = 0.0;
        int n = z.getNumElements();
        for (int k = 0; k < n; k++) {
            double zk = z.data[k];
            sum += Math.max(zk, 0.0) + Math.log1p(Math.exp(-Math.abs(zk))) - y.data[k] * zk;
        }
        return sum / z.numCols;
    }

    @Override
    public void fusedGradient(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj y, FMatrixRMaj dZ) {
        Losses.difference(a, y, dZ);
    }

    @Override
    public double cost(FMatrixRMaj a, FMatrixRMaj y) {
        double sum = 0.0;
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            double ak = clamp(a.data[k]);
            double yk = y.data[k];
            sum -= yk * Math.log(ak) + (1.0 - yk) * Math.log1p(-ak);
        }
        return sum / a.numCols;
    }

    @Override
    public void gradient(FMatrixRMaj a, FMatrixRMaj y, FMatrixRMaj dA) {
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            float ak = clamp(a.data[k]);
            dA.data[k] = (ak - y.data[k]) / (ak * (1f - ak));
        }
    }

    private static float clamp(float a) {
        return Math.min(1f - CLAMP_32, Math.max(CLAMP_32, a));
    }

    @Override
    public String toString() {
        return "binary_cross_entropy";
    }

    /** Registers {@code binary_cross_entropy}. */
    public static final class Provider extends NamedProvider<Loss> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Loss.class, "binary_cross_entropy");
        }

        @Override
        public Loss create(Arguments arguments) {
            return new BinaryCrossEntropy();
        }
    }
}
