package dev.nnkit.internal;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.PluginProvider;
import org.ejml.data.DMatrixRMaj;

/**
 * Softmax cross-entropy for multi-class outputs, spec {@code softmax_cross_entropy}:
 * {@code L = -sum_k y_k log a_k} with {@code a = softmax(z)} per column, computed from the logits
 * as {@code L = sum_k y_k (logsumexp(z) - z_k)}, so it never takes {@code log(0)}. Fused gradient
 * {@code dZ = A - Y}. Labels are one-hot columns (entries 0 or 1, each column summing to 1); the
 * output activation must be {@code softmax}.
 */
public final class SoftmaxCrossEntropy implements Loss {

    @Override
    public void checkOutputActivation(Activation output) {
        Losses.requireOutput(this, output, "softmax");
    }

    @Override
    public void checkLabels(DMatrixRMaj y) {
        for (int j = 0; j < y.numCols; j++) {
            double sum = 0.0;
            for (int i = 0; i < y.numRows; i++) {
                double v = y.unsafe_get(i, j);
                if (v != 0.0 && v != 1.0) {
                    throw new IllegalArgumentException(this + ": label Y[" + i + ", " + j + "] = " + v
                            + "; labels must be one-hot columns of 0 and 1");
                }
                sum += v;
            }
            if (sum != 1.0) {
                throw new IllegalArgumentException(this + ": label column " + j + " has " + (int) sum
                        + " ones; labels must be one-hot columns with exactly one 1");
            }
        }
    }

    @Override
    public double cost(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y) {
        int n = z.numRows;
        int m = z.numCols;
        double total = 0.0;
        for (int j = 0; j < m; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, z.data[i * m + j]);
            }
            double sumExp = 0.0;
            for (int i = 0; i < n; i++) {
                sumExp += Math.exp(z.data[i * m + j] - max);
            }
            double logSumExp = max + Math.log(sumExp);
            for (int i = 0; i < n; i++) {
                double yi = y.data[i * m + j];
                if (yi != 0.0) {
                    total += yi * (logSumExp - z.data[i * m + j]);
                }
            }
        }
        return total / m;
    }

    @Override
    public void gradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y, Activation output, DMatrixRMaj dZ) {
        Losses.difference(a, y, dZ);
    }

    @Override
    public String toString() {
        return "softmax_cross_entropy";
    }

    /** Registers {@code softmax_cross_entropy}. */
    public static final class Provider implements PluginProvider<Loss> {
        @Override
        public Class<Loss> kind() {
            return Loss.class;
        }

        @Override
        public String name() {
            return "softmax_cross_entropy";
        }

        @Override
        public Loss create(Arguments arguments) {
            return new SoftmaxCrossEntropy();
        }
    }
}
