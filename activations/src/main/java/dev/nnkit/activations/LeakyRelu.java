package dev.nnkit.activations;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatActivation;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The leaky rectified linear unit (MATH §2), spec {@code leaky_relu(alpha=0.01)}, element-wise on
 * {@code (n, m)} matrices: {@code a = g(z) = z} for {@code z > 0}, {@code alpha z} otherwise.
 * {@code alpha} must lie in the open interval {@code (0, 1)}; the default is {@code 0.01}.
 *
 * <p>Backward: {@code dZ = dA * g'(z)} with {@code g'(z) = 1} for {@code z > 0} and {@code alpha}
 * otherwise. <b>Convention:</b> {@code leaky_relu'(0) = alpha}. The slope is read from {@code A},
 * since {@code a > 0} exactly when {@code z > 0} (because {@code alpha > 0}), so backward is also
 * correct after an in-place forward pass. Unlike ReLU, the small slope for {@code z <= 0} keeps a
 * gradient flowing through units whose input is negative. {@code toString()} always includes
 * {@code alpha}, e.g. {@code leaky_relu(alpha=0.01)}.
 */
public final class LeakyRelu implements Activation, FloatActivation {

    /** The default slope for {@code z <= 0}. */
    static final double DEFAULT_ALPHA = 0.01;

    private final double alpha;

    LeakyRelu(double alpha) {
        this.alpha = alpha;
    }

    /** The slope for {@code z <= 0}, in {@code (0, 1)}. */
    double alpha() {
        return alpha;
    }

    @Override
    public void forward(DMatrixRMaj z, DMatrixRMaj a) {
        Shapes.requireSameShape(this, z, "A", a);
        double[] zd = z.data;
        double[] ad = a.data;
        for (int k = 0, n = z.getNumElements(); k < n; k++) {
            double zk = zd[k];
            ad[k] = Math.max(zk, alpha * zk); // branch-free; equal to the two cases because 0 < alpha < 1
        }
    }

    @Override
    public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
        Shapes.requireBackwardShapes(this, z, a, dA, dZ);
        double[] ad = a.data;
        double[] dad = dA.data;
        double[] dzd = dZ.data;
        for (int k = 0, n = a.getNumElements(); k < n; k++) {
            // a > 0 exactly when its bits are a positive long; the mask picks dA or alpha dA without a
            // branch, which mixed signs would mispredict every other element
            long bits = Double.doubleToRawLongBits(ad[k]);
            long positive = (-bits & ~bits) >> 63;
            long slope = Double.doubleToRawLongBits(dad[k]);
            long leak = Double.doubleToRawLongBits(alpha * dad[k]);
            dzd[k] = Double.longBitsToDouble((slope & positive) | (leak & ~positive));
        }
    }

    @Override
    public void forward(FMatrixRMaj z, FMatrixRMaj a) {
        Shapes.requireSameShape(this, z, "A", a);
        float[] zd = z.data;
        float[] ad = a.data;
        float slope = (float) alpha;
        for (int k = 0, n = z.getNumElements(); k < n; k++) {
            float zk = zd[k];
            ad[k] = Math.max(zk, slope * zk);
        }
    }

    @Override
    public void backward(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj dA, FMatrixRMaj dZ) {
        Shapes.requireBackwardShapes(this, z, a, dA, dZ);
        float[] ad = a.data;
        float[] dad = dA.data;
        float[] dzd = dZ.data;
        float slope = (float) alpha;
        for (int k = 0, n = a.getNumElements(); k < n; k++) {
            int bits = Float.floatToRawIntBits(ad[k]);
            int positive = (-bits & ~bits) >> 31;
            int keep = Float.floatToRawIntBits(dad[k]);
            int leak = Float.floatToRawIntBits(slope * dad[k]);
            dzd[k] = Float.intBitsToFloat((keep & positive) | (leak & ~positive));
        }
    }

    @Override
    public String toString() {
        return PluginSpec.of("leaky_relu").with("alpha", alpha).toString();
    }

    /** Registers {@code leaky_relu}, argument {@code alpha} in {@code (0, 1)}, default 0.01. */
    public static final class Provider extends NamedProvider<Activation> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Activation.class, "leaky_relu");
        }

        @Override
        public Activation create(Arguments arguments) {
            double alpha = arguments.getDouble("alpha", DEFAULT_ALPHA);
            if (!(alpha > 0.0 && alpha < 1.0)) {
                throw arguments.invalid("alpha", alpha,
                        "in (0, 1), e.g. alpha=0.01; it is the slope for z <= 0 (use relu for slope 0, identity for 1)");
            }
            return new LeakyRelu(alpha);
        }
    }
}
