package dev.nnkit.internal;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.PluginProvider;
import org.ejml.data.DMatrixRMaj;

/**
 * Binary cross-entropy with a sigmoid output (SPEC §3), spec {@code binary_cross_entropy}:
 * {@code L(a, y) = -[y log a + (1 - y) log(1 - a)]}, {@code J = (1/m) sum L}, computed from the
 * logits {@code z} as {@code L = softplus(z) - y z} (with {@code softplus(z) = max(z, 0) +
 * log(1 + e^-|z|)}), which never takes {@code log(0)}. Fused gradient {@code dZ = A - Y}.
 * Labels must be 0 or 1; the output activation must be {@code sigmoid}.
 */
public final class BinaryCrossEntropy implements Loss {

    @Override
    public void checkOutputActivation(Activation output) {
        Losses.requireOutput(this, output, "sigmoid");
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
    public double cost(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y) {
        double sum = 0.0;
        int n = z.getNumElements();
        for (int k = 0; k < n; k++) {
            double zk = z.data[k];
            sum += Math.max(zk, 0.0) + Math.log1p(Math.exp(-Math.abs(zk))) - y.data[k] * zk;
        }
        return sum / z.numCols;
    }

    @Override
    public void gradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y, Activation output, DMatrixRMaj dZ) {
        Losses.difference(a, y, dZ);
    }

    @Override
    public String toString() {
        return "binary_cross_entropy";
    }

    /** Registers {@code binary_cross_entropy}. */
    public static final class Provider implements PluginProvider<Loss> {
        @Override
        public Class<Loss> kind() {
            return Loss.class;
        }

        @Override
        public String name() {
            return "binary_cross_entropy";
        }

        @Override
        public Loss create(Arguments arguments) {
            return new BinaryCrossEntropy();
        }
    }
}
