package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StandardFunction;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Activation fixtures: correct copies of shipped activations (under their real names, for the
 * hermetic registry of {@link KitRegistry}) and deliberately broken ones, each broken in one way.
 */
final class KitActivations {

    private KitActivations() {
    }

    static List<PluginProvider<?>> providers() {
        return List.of(
                new FixtureProvider<>(Activation.class, "sigmoid", a -> new Logistic()),
                new FixtureProvider<>(Activation.class, "softmax", a -> new ColumnSoftmax()),
                new FixtureProvider<>(Activation.class, "identity", a -> new Linear()),
                new Ramp.Provider(),
                new FixtureProvider<>(Activation.class, "kit_wrong_sigmoid", a -> new WrongDerivativeLogistic()),
                new FixtureProvider<>(Activation.class, "kit_naive_softplus", a -> new NaiveSoftplus()),
                new FixtureProvider<>(Activation.class, "kit_accumulating", a -> new Accumulating()),
                new FixtureProvider<>(Activation.class, "kit_row_softmax", a -> new RowSoftmax()),
                new FixtureProvider<>(Activation.class, "kit_shift", a -> new FirstEntryShift()),
                new FixtureProvider<>(Activation.class, "kit_wrong_softmax", a -> new WrongJacobianSoftmax()),
                new FixtureProvider<>(Activation.class, "kit_false_logistic", a -> new FalseLogistic()));
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** sigmoid, correct, declaring the logistic function. */
    static final class Logistic implements StandardActivation {
        @Override
        public StandardFunction function() {
            return StandardFunction.LOGISTIC;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = sigmoid(z.data[k]);
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < a.getNumElements(); k++) {
                double ak = a.data[k];
                dZ.data[k] = dA.data[k] * ak * (1 - ak);
            }
        }

        @Override
        public String toString() {
            return "sigmoid";
        }
    }

    /** softmax per column, correct, declaring the softmax function. */
    static class ColumnSoftmax implements StandardActivation {
        @Override
        public StandardFunction function() {
            return StandardFunction.SOFTMAX;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            int n = z.numRows;
            int m = z.numCols;
            for (int j = 0; j < m; j++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, z.data[i * m + j]);
                }
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    double e = Math.exp(z.data[i * m + j] - max);
                    a.data[i * m + j] = e;
                    sum += e;
                }
                for (int i = 0; i < n; i++) {
                    a.data[i * m + j] /= sum;
                }
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            int n = a.numRows;
            int m = a.numCols;
            for (int j = 0; j < m; j++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += a.data[i * m + j] * dA.data[i * m + j];
                }
                for (int i = 0; i < n; i++) {
                    int k = i * m + j;
                    dZ.data[k] = a.data[k] * (dA.data[k] - dot);
                }
            }
        }

        @Override
        public String toString() {
            return "softmax";
        }
    }

    /** identity, correct. */
    static class Linear implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            System.arraycopy(z.data, 0, a.data, 0, z.getNumElements());
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            System.arraycopy(dA.data, 0, dZ.data, 0, dA.getNumElements());
        }

        @Override
        public String toString() {
            return "identity";
        }
    }

    /** relu, correct, with a kink at 0; registered in the test services file as {@code kit_relu}. */
    static final class Ramp implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = z.data[k] > 0 ? z.data[k] : 0.0;
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dZ.data[k] = a.data[k] > 0 ? dA.data[k] : 0.0;
            }
        }

        @Override
        public String toString() {
            return "kit_relu";
        }

        /** Public, for ServiceLoader. */
        public static final class Provider extends FixtureProvider<Activation> {
            public Provider() {
                super(Activation.class, "kit_relu", a -> new Ramp());
            }
        }
    }

    /**
     * Bug: {@code sigma(2z)} with its exact derivative {@code 2 a (1 - a)}, a fine activation, but it
     * declares the logistic function, so a fused loss would compute {@code dZ = A - Y} for the wrong one.
     */
    static final class FalseLogistic implements StandardActivation {
        @Override
        public StandardFunction function() {
            return StandardFunction.LOGISTIC;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = sigmoid(2 * z.data[k]);
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < a.getNumElements(); k++) {
                double ak = a.data[k];
                dZ.data[k] = dA.data[k] * 2 * ak * (1 - ak);
            }
        }

        @Override
        public String toString() {
            return "kit_false_logistic";
        }
    }

    /** Bug: tanh's derivative pasted into sigmoid, {@code dZ = dA (1 - a^2)} instead of {@code dA a (1 - a)}. */
    static final class WrongDerivativeLogistic implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = sigmoid(z.data[k]);
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < a.getNumElements(); k++) {
                double ak = a.data[k];
                dZ.data[k] = dA.data[k] * (1 - ak * ak);
            }
        }

        @Override
        public String toString() {
            return "kit_wrong_sigmoid";
        }
    }

    /** Bug: {@code log(1 + e^z)} overflows for large z (Infinity), and its derivative gives NaN. */
    static final class NaiveSoftplus implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = Math.log(1 + Math.exp(z.data[k]));
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < a.getNumElements(); k++) {
                double e = Math.exp(z.data[k]);
                dZ.data[k] = dA.data[k] * e / (1 + e);
            }
        }

        @Override
        public String toString() {
            return "kit_naive_softplus";
        }
    }

    /** Bug: forward adds to A instead of overwriting it (tanh otherwise). */
    static final class Accumulating implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] += Math.tanh(z.data[k]);
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < z.getNumElements(); k++) {
                double t = Math.tanh(z.data[k]);
                dZ.data[k] = dA.data[k] * (1 - t * t);
            }
        }

        @Override
        public String toString() {
            return "kit_accumulating";
        }
    }

    /** Bug: softmax over rows, mixing the examples (columns); its derivative is right for that. */
    static final class RowSoftmax implements Activation {
        private final ColumnSoftmax columns = new ColumnSoftmax();

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            DMatrixRMaj zt = new DMatrixRMaj(z.numCols, z.numRows);
            org.ejml.dense.row.CommonOps_DDRM.transpose(z, zt);
            DMatrixRMaj at = new DMatrixRMaj(z.numCols, z.numRows);
            columns.forward(zt, at);
            org.ejml.dense.row.CommonOps_DDRM.transpose(at, a);
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            DMatrixRMaj at = new DMatrixRMaj(a.numCols, a.numRows);
            DMatrixRMaj dAt = new DMatrixRMaj(a.numCols, a.numRows);
            DMatrixRMaj dZt = new DMatrixRMaj(a.numCols, a.numRows);
            org.ejml.dense.row.CommonOps_DDRM.transpose(a, at);
            org.ejml.dense.row.CommonOps_DDRM.transpose(dA, dAt);
            columns.backward(null, at, dAt, dZt);
            org.ejml.dense.row.CommonOps_DDRM.transpose(dZt, dZ);
        }

        @Override
        public String toString() {
            return "kit_row_softmax";
        }
    }

    /**
     * Bug: {@code a_i = z_i - z_0} per column, written in an order that reads an entry it already
     * overwrote when {@code a == z}; correct otherwise (derivative included).
     */
    static final class FirstEntryShift implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            int m = z.numCols;
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < z.numRows; i++) {
                    a.data[i * m + j] = z.data[i * m + j] - z.data[j];
                }
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            int m = z.numCols;
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int i = 0; i < z.numRows; i++) {
                    sum += dA.data[i * m + j];
                }
                for (int i = 0; i < z.numRows; i++) {
                    dZ.data[i * m + j] = i == 0 ? dA.data[j] - sum : dA.data[i * m + j];
                }
            }
        }

        @Override
        public String toString() {
            return "kit_shift";
        }
    }

    /** Bug: softmax whose backward treats it as element-wise, {@code dZ = dA a (1 - a)}. */
    static final class WrongJacobianSoftmax extends ColumnSoftmax {
        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dZ.data[k] = dA.data[k] * a.data[k] * (1 - a.data[k]);
            }
        }

        @Override
        public String toString() {
            return "kit_wrong_softmax";
        }
    }

    /** tanh, correct, but its provider is in no registry: "not registered". */
    static final class UnregisteredTanh implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = Math.tanh(z.data[k]);
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dZ.data[k] = dA.data[k] * (1 - a.data[k] * a.data[k]);
            }
        }

        @Override
        public String toString() {
            return "kit_tanh";
        }
    }
}
