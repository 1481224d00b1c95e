package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StandardFunction;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Activation fixtures: correct activations that nnkit does not ship ({@code kit_arctan},
 * {@code kit_abs}, {@code kit_scaled_identity}), the logistic and softmax outputs computed by the
 * kit's own {@link StandardFunctions} (scaffolds of the loss checks), and deliberately broken ones,
 * each broken in one way. The kit on the shipped activations is tested in the activations module
 * and the integration-tests module.
 */
final class KitActivations {

    private KitActivations() {
    }

    static List<PluginProvider<?>> providers() {
        return List.of(
                new FixtureProvider<>(Activation.class, "kit_arctan", a -> new Arctan()),
                new Abs.Provider(),
                new FixtureProvider<>(Activation.class, "kit_scaled_identity",
                        a -> new ScaledIdentity(a.getDouble("factor", 2.0))),
                new FixtureProvider<>(Activation.class, "kit_logistic", a -> new KitStandard(StandardFunction.LOGISTIC)),
                new FixtureProvider<>(Activation.class, "kit_softmax", a -> new KitStandard(StandardFunction.SOFTMAX)),
                new FixtureProvider<>(Activation.class, "kit_wrong_sigmoid", a -> new WrongDerivativeLogistic()),
                new FixtureProvider<>(Activation.class, "kit_naive_softplus", a -> new NaiveSoftplus()),
                new FixtureProvider<>(Activation.class, "kit_accumulating", a -> new Accumulating()),
                new FixtureProvider<>(Activation.class, "kit_row_softmax", a -> new RowSoftmax()),
                new FixtureProvider<>(Activation.class, "kit_shift", a -> new FirstEntryShift()),
                new FixtureProvider<>(Activation.class, "kit_wrong_softmax", a -> new WrongJacobianSoftmax()),
                new FixtureProvider<>(Activation.class, "kit_false_logistic", a -> new FalseLogistic()));
    }

    /** The arc tangent, correct and smooth: {@code a = atan(z)}, {@code g'(z) = 1 / (1 + z^2)}. */
    static class Arctan implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = Math.atan(z.data[k]);
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < z.getNumElements(); k++) {
                dZ.data[k] = dA.data[k] / (1 + z.data[k] * z.data[k]);
            }
        }

        @Override
        public String toString() {
            return "kit_arctan";
        }
    }

    /** {@code |z|}, correct, with a kink at 0; registered in the test services file as {@code kit_abs}. */
    static final class Abs implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = Math.abs(z.data[k]);
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < z.getNumElements(); k++) {
                dZ.data[k] = Math.signum(z.data[k]) * dA.data[k];
            }
        }

        @Override
        public String toString() {
            return "kit_abs";
        }

        /** Public, for ServiceLoader. */
        public static final class Provider extends FixtureProvider<Activation> {
            public Provider() {
                super(Activation.class, "kit_abs", a -> new Abs());
            }
        }
    }

    /** {@code a = factor * z}, correct: a linear output. */
    static final class ScaledIdentity implements Activation {
        private final double factor;

        ScaledIdentity(double factor) {
            this.factor = factor;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            CommonOps_DDRM.scale(factor, z, a);
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            CommonOps_DDRM.scale(factor, dA, dZ);
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_scaled_identity").with("factor", factor).toString();
        }
    }

    /**
     * The logistic function or softmax as the kit itself computes them ({@link StandardFunctions}),
     * declared: the output activation of the loss checks' fixtures, so that they need no copy of a
     * shipped activation.
     */
    static class KitStandard implements StandardActivation {
        private final StandardFunction function;

        KitStandard(StandardFunction function) {
            this.function = function;
        }

        @Override
        public StandardFunction function() {
            return function;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            a.setTo(StandardFunctions.apply(function, z));
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            dZ.setTo(StandardFunctions.backward(function, a, dA));
        }

        @Override
        public String toString() {
            return function == StandardFunction.LOGISTIC ? "kit_logistic" : "kit_softmax";
        }
    }

    /** {@code sigma(z)} by the kit's own logistic. */
    static double sigmoid(double z) {
        return StandardFunctions.apply(StandardFunction.LOGISTIC, new DMatrixRMaj(new double[][] {{z}})).get(0, 0);
    }

    /** {@code sigma(factor z)}, element-wise, by the kit's own logistic. */
    static DMatrixRMaj logistic(double factor, DMatrixRMaj z) {
        DMatrixRMaj scaled = new DMatrixRMaj(z.numRows, z.numCols);
        CommonOps_DDRM.scale(factor, z, scaled);
        return StandardFunctions.apply(StandardFunction.LOGISTIC, scaled);
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
            a.setTo(logistic(2, z));
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
            a.setTo(logistic(1, z));
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

    /** Bug: forward adds to A instead of overwriting it (the arc tangent otherwise). */
    static final class Accumulating extends Arctan {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] += Math.atan(z.data[k]);
            }
        }

        @Override
        public String toString() {
            return "kit_accumulating";
        }
    }

    /** Bug: softmax over rows, mixing the examples (columns); its derivative is right for that. */
    static final class RowSoftmax implements Activation {
        private final KitStandard columns = new KitStandard(StandardFunction.SOFTMAX);

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            DMatrixRMaj zt = new DMatrixRMaj(z.numCols, z.numRows);
            CommonOps_DDRM.transpose(z, zt);
            DMatrixRMaj at = new DMatrixRMaj(z.numCols, z.numRows);
            columns.forward(zt, at);
            CommonOps_DDRM.transpose(at, a);
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            DMatrixRMaj at = new DMatrixRMaj(a.numCols, a.numRows);
            DMatrixRMaj dAt = new DMatrixRMaj(a.numCols, a.numRows);
            DMatrixRMaj dZt = new DMatrixRMaj(a.numCols, a.numRows);
            CommonOps_DDRM.transpose(a, at);
            CommonOps_DDRM.transpose(dA, dAt);
            columns.backward(null, at, dAt, dZt);
            CommonOps_DDRM.transpose(dZt, dZ);
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
    static final class WrongJacobianSoftmax extends KitStandard {
        WrongJacobianSoftmax() {
            super(StandardFunction.SOFTMAX);
        }

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

    /** The arc tangent, correct, but its provider is in no registry: "not registered". */
    static final class UnregisteredArctan extends Arctan {
        @Override
        public String toString() {
            return "kit_unregistered";
        }
    }
}
