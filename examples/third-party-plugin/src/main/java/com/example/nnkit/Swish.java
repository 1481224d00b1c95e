package com.example.nnkit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import org.ejml.data.DMatrixRMaj;

/**
 * Swish (Ramachandran, Zoph &amp; Le, 2017; with {@code beta = 1} it is the SiLU of Elfwing et al.),
 * spec {@code swish(beta=1)}, element-wise on {@code (n, m)} matrices:
 * <pre>{@code
 * g(z)  = z s,                 s = sigmoid(beta z) = 1 / (1 + e^(-beta z))
 * g'(z) = s + beta z s (1 - s)
 * }</pre>
 * Smooth and non-monotonic: it dips to its minimum {@code -0.2785 / beta} at
 * {@code z = -1.2785 / beta}, tends to 0 for {@code z -> -infinity} and to {@code z} for
 * {@code z -> +infinity}; a large {@code beta} approaches ReLU, {@code beta -> 0} the line
 * {@code z / 2}. {@code beta} must be {@code > 0}; default 1.
 *
 * <p>Numerics: {@code s} and {@code 1 - s} are both computed from {@code e^(-|beta z|)}, so no
 * exponential overflows and {@code 1 - s} keeps its precision for large {@code beta z}; when
 * {@code beta z} overflows to infinity the derivative takes its limit (1 or 0). Backward reads
 * {@code Z}, not {@code A}. No state, no allocation.
 */
public final class Swish implements Activation {

    /** The default {@code beta}: SiLU. */
    static final double DEFAULT_BETA = 1.0;

    private final double beta;

    Swish(double beta) {
        this.beta = beta;
    }

    @Override
    public void forward(DMatrixRMaj z, DMatrixRMaj a) {
        requireShape("A", z, a);
        double[] zd = z.data;
        double[] ad = a.data;
        for (int k = 0, n = z.getNumElements(); k < n; k++) {
            double zk = zd[k];
            double t = beta * zk;
            double s;
            if (t >= 0) {
                s = 1.0 / (1.0 + Math.exp(-t));
            } else {
                double e = Math.exp(t);
                s = e / (1.0 + e);
            }
            ad[k] = zk * s;
        }
    }

    @Override
    public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
        requireShape("A", z, a);
        requireShape("dA", z, dA);
        requireShape("dZ", z, dZ);
        double[] zd = z.data;
        double[] dad = dA.data;
        double[] dzd = dZ.data;
        for (int k = 0, n = z.getNumElements(); k < n; k++) {
            double t = beta * zd[k];
            double slope;
            if (Double.isInfinite(t)) {
                slope = t > 0 ? 1.0 : 0.0;
            } else {
                double e = Math.exp(-Math.abs(t));
                double s = t >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                double oneMinusS = t >= 0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
                slope = s + t * s * oneMinusS;
            }
            dzd[k] = dad[k] * slope;
        }
    }

    private void requireShape(String name, DMatrixRMaj z, DMatrixRMaj other) {
        if (other.numRows != z.numRows || other.numCols != z.numCols) {
            throw new IllegalArgumentException(this + ": " + name + " is (" + other.numRows + ", " + other.numCols
                    + ") but Z is (" + z.numRows + ", " + z.numCols + "); they must have the same shape");
        }
    }

    @Override
    public String toString() {
        return PluginSpec.of("swish").with("beta", beta).toString();
    }

    /** Registers {@code swish}; argument {@code beta > 0}, default 1. */
    public static final class Provider extends NamedProvider<Activation> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Activation.class, "swish");
        }

        @Override
        public Activation create(Arguments arguments) {
            double beta = arguments.getDouble("beta", DEFAULT_BETA);
            if (!(beta > 0)) {
                throw arguments.invalid("beta", beta, "> 0, e.g. beta=1 (SiLU)");
            }
            return new Swish(beta);
        }
    }
}
