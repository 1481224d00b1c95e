package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.StateArray;
import dev.nnkit.spi.StepContext;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Layer fixtures: a correct stateful layer ({@code kit_center}), and dense and centering layers
 * broken in one way each (core's dense is the correct dense layer; the broken ones change the kit's
 * own dense layer).
 */
final class KitLayers {

    private KitLayers() {
    }

    static List<PluginProvider<?>> providers() {
        return List.of(
                new FixtureProvider<>(Layer.class, "kit_center", a -> new Center("kit_center", a.getDouble("momentum", 0.9))),
                new FixtureProvider<>(Layer.class, "kit_leaky_center", a -> new LeakyCenter(a.getDouble("momentum", 0.9))),
                new FixtureProvider<>(Layer.class, "kit_copying_center", a -> new CopyingCenter(a.getDouble("momentum", 0.9))),
                new FixtureProvider<>(Layer.class, "kit_bad_bias_dense", a -> new BadBiasDense(a.requireInt("units"))),
                new FixtureProvider<>(Layer.class, "kit_averaged_input_dense", a -> new AveragedInputDense(a.requireInt("units"))),
                new FixtureProvider<>(Layer.class, "kit_allocating_dense", a -> new AllocatingDense(a.requireInt("units"))),
                new FixtureProvider<>(Layer.class, "kit_eager_dense", a -> new EagerDense(a.requireInt("units"))),
                new FixtureProvider<>(Layer.class, "kit_drifting_dense", a -> new DriftingDense(a.requireInt("units"))));
    }

    /**
     * Correct: {@code Z = X - mu + b} per row, with {@code mu} the batch mean of each row in
     * TRAINING and CHECKING passes and the running mean (state {@code running_mean}) at inference;
     * TRAINING passes update {@code running := momentum running + (1 - momentum) mu}. Backward:
     * {@code db = mean_j dZ}, {@code dX = dZ - mean_j dZ} (the batch mean depends on X). The batch
     * mean lives in context buffer 0.
     */
    static class Center implements Layer {
        final String name;
        final double momentum;
        DMatrixRMaj b;
        DMatrixRMaj db;
        DMatrixRMaj running;
        List<Parameter> parameters;

        Center(String name, double momentum) {
            this.name = name;
            this.momentum = momentum;
        }

        @Override
        public int outputSize(int inputSize) {
            return inputSize;
        }

        @Override
        public void connect(int inputSize) {
            b = new DMatrixRMaj(inputSize, 1);
            db = new DMatrixRMaj(inputSize, 1);
            running = new DMatrixRMaj(inputSize, 1);
            parameters = List.of(new Parameter("b", Parameter.Role.BIAS, b, db));
        }

        @Override
        public void initialize(Initializer initializer, RandomGenerator random) {
            b.zero();
            running.zero();
        }

        @Override
        public List<Parameter> parameters() {
            return parameters;
        }

        @Override
        public List<StateArray> state() {
            return List.of(new StateArray("running_mean", running));
        }

        /** Whether this pass updates the running mean. */
        boolean updates(StepContext context) {
            return context.mode().updatesState();
        }

        @Override
        public void forward(DMatrixRMaj input, DMatrixRMaj output, StepContext context) {
            int n = input.numRows;
            int m = input.numCols;
            DMatrixRMaj mu = context.buffer(0, n, 1);
            for (int i = 0; i < n; i++) {
                double mean;
                if (context.mode().usesBatchStatistics()) {
                    double sum = 0;
                    for (int j = 0; j < m; j++) {
                        sum += input.data[i * m + j];
                    }
                    mean = sum / m;
                } else {
                    mean = running.data[i];
                }
                mu.data[i] = mean;
                for (int j = 0; j < m; j++) {
                    output.data[i * m + j] = input.data[i * m + j] - mean + b.data[i];
                }
            }
            if (updates(context)) {
                for (int i = 0; i < n; i++) {
                    running.data[i] = momentum * running.data[i] + (1 - momentum) * mu.data[i];
                }
            }
        }

        @Override
        public void backward(DMatrixRMaj input, DMatrixRMaj output, DMatrixRMaj dOutput, DMatrixRMaj dInput,
                             StepContext context) {
            int n = input.numRows;
            int m = input.numCols;
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < m; j++) {
                    sum += dOutput.data[i * m + j];
                }
                double mean = sum / m;
                db.data[i] = mean;
                if (context.needsInputGradient()) {
                    for (int j = 0; j < m; j++) {
                        dInput.data[i * m + j] = dOutput.data[i * m + j] - mean;
                    }
                }
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of(name).with("momentum", momentum).toString();
        }
    }

    /** Bug: updates the running mean in every pass with batch statistics, CHECKING included. */
    static final class LeakyCenter extends Center {
        LeakyCenter(double momentum) {
            super("kit_leaky_center", momentum);
        }

        @Override
        boolean updates(StepContext context) {
            return context.mode().usesBatchStatistics();
        }
    }

    /** Bug: {@code state()} gives copies, so what is saved and loaded is not what the layer uses. */
    static final class CopyingCenter extends Center {
        CopyingCenter(double momentum) {
            super("kit_copying_center", momentum);
        }

        @Override
        public List<StateArray> state() {
            return List.of(new StateArray("running_mean", running.copy()));
        }
    }

    /**
     * {@code Z = W X + b}, the kit's own correct dense layer ({@link KitPlugins.Dense}, registered
     * as {@code conformance_dense} in the kit's networks) under another name; subclasses break one
     * thing each.
     */
    abstract static class SimpleDense implements Layer {
        final int units;
        private final KitPlugins.Dense dense;

        SimpleDense(int units) {
            this.units = units;
            this.dense = new KitPlugins.Dense(units);
        }

        /** {@code W}, once connected. */
        DMatrixRMaj w() {
            return dense.parameters().get(0).value();
        }

        /** {@code db}, once connected. */
        DMatrixRMaj db() {
            return dense.parameters().get(1).gradient();
        }

        @Override
        public int outputSize(int inputSize) {
            return dense.outputSize(inputSize);
        }

        @Override
        public void connect(int inputSize) {
            dense.connect(inputSize);
        }

        @Override
        public void initialize(Initializer initializer, RandomGenerator random) {
            dense.initialize(initializer, random);
        }

        @Override
        public List<Parameter> parameters() {
            return dense.parameters();
        }

        @Override
        public void forward(DMatrixRMaj input, DMatrixRMaj output, StepContext context) {
            dense.forward(input, output, context);
        }

        @Override
        public void backward(DMatrixRMaj input, DMatrixRMaj output, DMatrixRMaj dOutput, DMatrixRMaj dInput,
                             StepContext context) {
            dense.backward(input, output, dOutput, dInput, context);
        }

        abstract String name();

        @Override
        public String toString() {
            return PluginSpec.of(name()).with("units", units).toString();
        }
    }

    /** Bug: {@code db = sum_j dZ}, without the {@code 1/m}. */
    static final class BadBiasDense extends SimpleDense {
        BadBiasDense(int units) {
            super(units);
        }

        @Override
        public void backward(DMatrixRMaj input, DMatrixRMaj output, DMatrixRMaj dOutput, DMatrixRMaj dInput,
                             StepContext context) {
            super.backward(input, output, dOutput, dInput, context);
            CommonOps_DDRM.scale(input.numCols, db());
        }

        @Override
        String name() {
            return "kit_bad_bias_dense";
        }
    }

    /** Bug: {@code dX = W^T dZ / m}, averaged like a parameter gradient instead of per example. */
    static final class AveragedInputDense extends SimpleDense {
        AveragedInputDense(int units) {
            super(units);
        }

        @Override
        public void backward(DMatrixRMaj input, DMatrixRMaj output, DMatrixRMaj dOutput, DMatrixRMaj dInput,
                             StepContext context) {
            super.backward(input, output, dOutput, dInput, context);
            if (context.needsInputGradient()) {
                CommonOps_DDRM.divide(dInput, input.numCols);
            }
        }

        @Override
        String name() {
            return "kit_averaged_input_dense";
        }
    }

    /** Bug: makes a new scratch matrix for {@code W X + b} in every forward pass. */
    static final class AllocatingDense extends SimpleDense {
        AllocatingDense(int units) {
            super(units);
        }

        @Override
        public void forward(DMatrixRMaj input, DMatrixRMaj output, StepContext context) {
            DMatrixRMaj product = new DMatrixRMaj(units, input.numCols);
            super.forward(input, product, context);
            System.arraycopy(product.data, 0, output.data, 0, product.getNumElements());
        }

        @Override
        String name() {
            return "kit_allocating_dense";
        }
    }

    /** Bug: computes dX even when the context says it is not needed (reshaping the empty matrix). */
    static final class EagerDense extends SimpleDense {
        EagerDense(int units) {
            super(units);
        }

        @Override
        public void backward(DMatrixRMaj input, DMatrixRMaj output, DMatrixRMaj dOutput, DMatrixRMaj dInput,
                             StepContext context) {
            super.backward(input, output, dOutput, dInput, context);
            dInput.reshape(input.numRows, input.numCols);
            context.ops().multTransA(w(), dOutput, dInput);
        }

        @Override
        String name() {
            return "kit_eager_dense";
        }
    }

    /** Bug: every inference pass adds a growing offset (a field it increments), so inference is not repeatable. */
    static final class DriftingDense extends SimpleDense {
        private int calls;

        DriftingDense(int units) {
            super(units);
        }

        @Override
        public void forward(DMatrixRMaj input, DMatrixRMaj output, StepContext context) {
            super.forward(input, output, context);
            if (context.mode() == StepContext.Mode.INFERENCE) {
                calls++;
                for (int k = 0; k < output.getNumElements(); k++) {
                    output.data[k] += 1e-3 * calls;
                }
            }
        }

        @Override
        String name() {
            return "kit_drifting_dense";
        }
    }
}
