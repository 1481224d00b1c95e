package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.PluginProvider;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/** Loss fixtures, each broken in one way (core's own losses are the correct ones). */
final class KitLosses {

    private KitLosses() {
    }

    static List<PluginProvider<?>> providers() {
        return List.of(
                new FixtureProvider<>(Loss.class, "kit_shifted_mse", a -> new ShiftedSquares()),
                new FixtureProvider<>(Loss.class, "kit_forgetful_mse", a -> new ForgetfulSquares()),
                new FixtureProvider<>(Loss.class, "kit_naive_bce", a -> new NaiveCrossEntropy()));
    }

    /** Bug: {@code (1/2m) sum (a - y - 0.1)^2} with its exact gradient: the minimum is off the target. */
    static final class ShiftedSquares implements Loss {
        @Override
        public double cost(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y) {
            double sum = 0;
            for (int k = 0; k < a.getNumElements(); k++) {
                double d = a.data[k] - y.data[k] - 0.1;
                sum += d * d;
            }
            return 0.5 * sum / a.numCols;
        }

        @Override
        public void gradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y, Activation output, DMatrixRMaj dZ) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dZ.data[k] = a.data[k] - y.data[k] - 0.1;
            }
            output.backward(z, a, dZ, dZ);
        }

        @Override
        public String toString() {
            return "kit_shifted_mse";
        }
    }

    /** Bug: mean squared error whose gradient {@code A - Y} forgets the output activation's derivative. */
    static final class ForgetfulSquares implements Loss {
        @Override
        public double cost(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y) {
            double sum = 0;
            for (int k = 0; k < a.getNumElements(); k++) {
                double d = a.data[k] - y.data[k];
                sum += d * d;
            }
            return 0.5 * sum / a.numCols;
        }

        @Override
        public void gradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y, Activation output, DMatrixRMaj dZ) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dZ.data[k] = a.data[k] - y.data[k];
            }
        }

        @Override
        public String toString() {
            return "kit_forgetful_mse";
        }
    }

    /** Bug: binary cross-entropy from A, {@code -[y log a + (1-y) log(1-a)]}: log(0) when the sigmoid saturates. */
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
        public double cost(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y) {
            double sum = 0;
            for (int k = 0; k < a.getNumElements(); k++) {
                sum -= y.data[k] * Math.log(a.data[k]) + (1 - y.data[k]) * Math.log(1 - a.data[k]);
            }
            return sum / a.numCols;
        }

        @Override
        public void gradient(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y, Activation output, DMatrixRMaj dZ) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dZ.data[k] = a.data[k] - y.data[k];
            }
        }

        @Override
        public String toString() {
            return "kit_naive_bce";
        }
    }
}
