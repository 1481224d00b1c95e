package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.FusedLoss;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.StandardFunction;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/** Loss fixtures, each broken in one way (core's own losses are the correct ones). */
final class KitLosses {

    private KitLosses() {
    }

    static List<PluginProvider<?>> providers() {
        return List.of(
                new FixtureProvider<>(Loss.class, "kit_shifted_mse", a -> new ShiftedSquares()),
                new FixtureProvider<>(Loss.class, "kit_averaged_mse", a -> new AveragedGradientSquares()),
                new FixtureProvider<>(Loss.class, "kit_naive_bce", a -> new NaiveCrossEntropy()),
                new FixtureProvider<>(Loss.class, "kit_summed_bce", a -> new SummedFusedCrossEntropy()),
                new FixtureProvider<>(Loss.class, "kit_halved_bce", a -> new HalvedFusedCrossEntropy()));
    }

    static double squares(DMatrixRMaj a, DMatrixRMaj y, double shift) {
        double sum = 0;
        for (int k = 0; k < a.getNumElements(); k++) {
            double d = a.data[k] - y.data[k] - shift;
            sum += d * d;
        }
        return 0.5 * sum / a.numCols;
    }

    /** Bug: {@code (1/2m) sum (a - y - 0.1)^2} with its exact gradient: the minimum is off the target. */
    static final class ShiftedSquares implements Loss {
        @Override
        public double cost(DMatrixRMaj a, DMatrixRMaj y) {
            return squares(a, y, 0.1);
        }

        @Override
        public void gradient(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dA) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dA.data[k] = a.data[k] - y.data[k] - 0.1;
            }
        }

        @Override
        public String toString() {
            return "kit_shifted_mse";
        }
    }

    /**
     * Bug: mean squared error whose gradient is {@code dJ/dA = (A - Y) / m} instead of the SPI's
     * per-example {@code m dJ/dA = A - Y} (the layers apply the {@code 1/m}, so it would be applied twice).
     */
    static final class AveragedGradientSquares implements Loss {
        @Override
        public double cost(DMatrixRMaj a, DMatrixRMaj y) {
            return squares(a, y, 0);
        }

        @Override
        public void gradient(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dA) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dA.data[k] = (a.data[k] - y.data[k]) / a.numCols;
            }
        }

        @Override
        public String toString() {
            return "kit_averaged_mse";
        }
    }

    /** Bug: binary cross-entropy from A only, {@code -[y log a + (1-y) log(1-a)]}: log(0) when the sigmoid saturates. */
    static final class NaiveCrossEntropy implements Loss {
        @Override
        public void checkLabels(DMatrixRMaj y) {
            for (int k = 0; k < y.getNumElements(); k++) {
                if (y.data[k] != 0 && y.data[k] != 1) {
                    throw new IllegalArgumentException("kit_naive_bce: labels must be 0 or 1, got " + y.data[k]);
                }
            }
        }

        @Override
        public double cost(DMatrixRMaj a, DMatrixRMaj y) {
            double sum = 0;
            for (int k = 0; k < a.getNumElements(); k++) {
                sum -= y.data[k] * Math.log(a.data[k]) + (1 - y.data[k]) * Math.log(1 - a.data[k]);
            }
            return sum / a.numCols;
        }

        @Override
        public void gradient(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dA) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dA.data[k] = (a.data[k] - y.data[k]) / (a.data[k] * (1 - a.data[k]));
            }
        }

        @Override
        public String toString() {
            return "kit_naive_bce";
        }
    }

    /** Binary cross-entropy with a correct general path and a correct fused gradient; subclasses break the fused form. */
    abstract static class FusedCrossEntropy implements FusedLoss {
        @Override
        public StandardFunction fusedWith() {
            return StandardFunction.LOGISTIC;
        }

        @Override
        public void checkLabels(DMatrixRMaj y) {
            new NaiveCrossEntropy().checkLabels(y);
        }

        @Override
        public double cost(DMatrixRMaj a, DMatrixRMaj y) {
            return new NaiveCrossEntropy().cost(a, y);
        }

        @Override
        public void gradient(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dA) {
            new NaiveCrossEntropy().gradient(a, y, dA);
        }

        /** {@code sum_k max(z, 0) + log(1 + e^-|z|) - y z}, the sum over all entries. */
        static double logitSum(DMatrixRMaj z, DMatrixRMaj y) {
            double sum = 0;
            for (int k = 0; k < z.getNumElements(); k++) {
                double zk = z.data[k];
                sum += Math.max(zk, 0) + Math.log1p(Math.exp(-Math.abs(zk))) - y.data[k] * zk;
            }
            return sum;
        }

        @Override
        public double fusedCost(DMatrixRMaj z, DMatrixRMaj y) {
            return logitSum(z, y) / z.numCols;
        }

        @Override
        public void fusedGradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dZ) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dZ.data[k] = a.data[k] - y.data[k];
            }
        }
    }

    /** Bug: the fused cost is the sum over the examples, not the mean; the general cost is right. */
    static final class SummedFusedCrossEntropy extends FusedCrossEntropy {
        @Override
        public double fusedCost(DMatrixRMaj z, DMatrixRMaj y) {
            return logitSum(z, y);
        }

        @Override
        public String toString() {
            return "kit_summed_bce";
        }
    }

    /** Bug: the fused gradient is {@code (A - Y) / 2}; the fused cost and the general path are right. */
    static final class HalvedFusedCrossEntropy extends FusedCrossEntropy {
        @Override
        public void fusedGradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dZ) {
            super.fusedGradient(z, a, y, dZ);
            for (int k = 0; k < dZ.getNumElements(); k++) {
                dZ.data[k] *= 0.5;
            }
        }

        @Override
        public String toString() {
            return "kit_halved_bce";
        }
    }
}
