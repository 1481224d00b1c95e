package dev.nnkit.activations;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatActivation;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StandardFunction;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The logistic sigmoid (MATH §2), spec {@code sigmoid}, element-wise on {@code (n, m)} matrices:
 * {@code a = g(z) = 1 / (1 + e^-z)}, computed as {@code e^z / (1 + e^z)} for {@code z < 0} so
 * that no exponential of a large positive number is formed; the output lies in {@code [0, 1]} and
 * is finite for every finite {@code z}.
 *
 * <p>Backward: {@code dZ = dA * a (1 - a)}. The slope {@code a (1 - a)} is at most {@code 0.25},
 * reached at {@code z = 0}, and tends to 0 for large {@code |z|} (saturation, MATH §2 and §5).
 * Backward reads only {@code A}, not {@code Z}. The natural output of binary classification, paired
 * with {@code binary_cross_entropy}. Takes no arguments.
 */
public final class Sigmoid implements StandardActivation, FloatActivation {

    /** {@link StandardFunction#LOGISTIC}: losses with a fused form for it use {@code dZ = A - Y}. */
    @Override
    public StandardFunction function() {
        return StandardFunction.LOGISTIC;
    }


    Sigmoid() {
    }

    @Override
    public void forward(DMatrixRMaj z, DMatrixRMaj a) {
        Shapes.requireSameShape(this, z, "A", a);
        double[] zd = z.data;
        double[] ad = a.data;
        for (int k = 0, n = z.getNumElements(); k < n; k++) {
            double zk = zd[k];
            if (zk >= 0.0) {
                ad[k] = 1.0 / (1.0 + Math.exp(-zk));
            } else {
                double e = Math.exp(zk);
                ad[k] = e / (1.0 + e);
            }
        }
    }

    @Override
    public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
        Shapes.requireBackwardShapes(this, z, a, dA, dZ);
        double[] ad = a.data;
        double[] dad = dA.data;
        double[] dzd = dZ.data;
        for (int k = 0, n = a.getNumElements(); k < n; k++) {
            double ak = ad[k];
            dzd[k] = dad[k] * (ak * (1.0 - ak));
        }
    }

    @Override
    public void forward(FMatrixRMaj z, FMatrixRMaj a) {
        Shapes.requireSameShape(this, z, "A", a);
        float[] zd = z.data;
        float[] ad = a.data;
        for (int k = 0, n = z.getNumElements(); k < n; k++) {
            float zk = zd[k];
            if (zk >= 0f) {
                ad[k] = (float) (1.0 / (1.0 + Math.exp(-zk)));
            } else {
                double e = Math.exp(zk);
                ad[k] = (float) (e / (1.0 + e));
            }
        }
    }

    @Override
    public void backward(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj dA, FMatrixRMaj dZ) {
        Shapes.requireBackwardShapes(this, z, a, dA, dZ);
        float[] ad = a.data;
        float[] dad = dA.data;
        float[] dzd = dZ.data;
        for (int k = 0, n = a.getNumElements(); k < n; k++) {
            float ak = ad[k];
            dzd[k] = dad[k] * (ak * (1f - ak));
        }
    }

    @Override
    public String toString() {
        return "sigmoid";
    }

    /** Registers {@code sigmoid}. */
    public static final class Provider extends NamedProvider<Activation> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Activation.class, "sigmoid");
        }

        @Override
        public Activation create(Arguments arguments) {
            return new Sigmoid();
        }
    }
}
