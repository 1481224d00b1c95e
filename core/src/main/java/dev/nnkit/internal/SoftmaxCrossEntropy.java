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
 * Softmax cross-entropy for multi-class outputs, spec {@code softmax_cross_entropy}:
 * {@code L = -sum_k y_k log a_k} with {@code a = softmax(z)} per column, computed from the logits
 * as {@code L = sum_k y_k (logsumexp(z) - z_k)}, so it never takes {@code log(0)}, with the fused
 * gradient {@code dZ = A - Y}, whenever the output activation declares the
 * {@linkplain StandardFunction#SOFTMAX softmax} function (the {@code softmax} of nnkit-activations does). With any
 * other output activation the general path computes {@code L = -sum_k y_k log a_k} and
 * {@code dA_k = -y_k / a_k}, with {@code a} clamped below at {@code 1e-15}. Labels are one-hot
 * columns (entries 0 or 1, each column summing to 1).
 */
public final class SoftmaxCrossEntropy implements FusedLoss, FloatLoss, FloatFusedLoss {

    private static final double CLAMP = 1e-15;

    @Override
    public StandardFunction fusedWith() {
        return StandardFunction.SOFTMAX;
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
    public double fusedCost(DMatrixRMaj z, DMatrixRMaj y) {
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
    public void fusedGradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dZ) {
        Losses.difference(a, y, dZ);
    }

    @Override
    public double cost(DMatrixRMaj a, DMatrixRMaj y) {
        double total = 0.0;
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            double yk = y.data[k];
            if (yk != 0.0) {
                total -= yk * Math.log(Math.max(CLAMP, a.data[k]));
            }
        }
        return total / a.numCols;
    }

    @Override
    public void gradient(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dA) {
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            double yk = y.data[k];
            dA.data[k] = yk == 0.0 ? 0.0 : -yk / Math.max(CLAMP, a.data[k]);
        }
    }

    /** The float clamp of the general path: {@code 10^-15} rounded to float (a normal float, so {@code -1 / a} stays finite). */
    private static final float CLAMP_32 = (float) CLAMP;

    @Override
    public double fusedCost(FMatrixRMaj z, FMatrixRMaj y) {
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
    public void fusedGradient(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj y, FMatrixRMaj dZ) {
        Losses.difference(a, y, dZ);
    }

    @Override
    public double cost(FMatrixRMaj a, FMatrixRMaj y) {
        double total = 0.0;
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            double yk = y.data[k];
            if (yk != 0.0) {
                total -= yk * Math.log(Math.max(CLAMP_32, a.data[k]));
            }
        }
        return total / a.numCols;
    }

    @Override
    public void gradient(FMatrixRMaj a, FMatrixRMaj y, FMatrixRMaj dA) {
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            float yk = y.data[k];
            dA.data[k] = yk == 0f ? 0f : -yk / Math.max(CLAMP_32, a.data[k]);
        }
    }

    @Override
    public String toString() {
        return "softmax_cross_entropy";
    }

    /** Registers {@code softmax_cross_entropy}. */
    public static final class Provider extends NamedProvider<Loss> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Loss.class, "softmax_cross_entropy");
        }

        @Override
        public Loss create(Arguments arguments) {
            return new SoftmaxCrossEntropy();
        }
    }
}
