package dev.nnkit;

import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.StateArray;
import dev.nnkit.spi.StepContext;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Plugins that exercise the step contract in core's own tests, where the plugin modules are not
 * available: an inverted dropout ({@code test_dropout}), a transform acting in every mode
 * ({@code test_gain}) and a layer with state ({@code running_shift}). They are registered only in {@link ModelFixtures#stepRegistry()}, a
 * registry built from a list, so the class path's registry and its messages stay as they were.
 */
final class StepPlugins {

    private StepPlugins() {
    }

    /**
     * {@code test_dropout(keep_prob=0.8)}: inverted dropout (MATH §7), an
     * {@link ActivationTransform} acting only in stochastic passes. Its mask is drawn with
     * {@link StepContext#drawMask} into buffer 0 and scaled there by {@code 1 / keep_prob} once, so
     * that forward is {@code out = A .* mask} and backward {@code dA := dA .* mask}: the same
     * function as the shipped dropout, computed another way.
     */
    static final class Dropout implements ActivationTransform {
        final double keepProb;

        Dropout(double keepProb) {
            this.keepProb = keepProb;
        }

        @Override
        public boolean isActive() {
            return keepProb < 1.0;
        }

        @Override
        public void forward(DMatrixRMaj a, DMatrixRMaj out, StepContext context) {
            if (!context.mode().isStochastic()) {
                if (out != a) {
                    out.setTo(a);
                }
                return;
            }
            DMatrixRMaj scaledMask = context.buffer(0, a.numRows, a.numCols);
            context.drawMask(scaledMask, keepProb);
            CommonOps_DDRM.scale(1.0 / keepProb, scaledMask);
            CommonOps_DDRM.elementMult(a, scaledMask, out);
        }

        @Override
        public void backward(DMatrixRMaj dA, StepContext context) {
            if (!context.mode().isStochastic()) {
                return;
            }
            CommonOps_DDRM.elementMult(dA, context.buffer(0, dA.numRows, dA.numCols));
        }

        @Override
        public String toString() {
            return PluginSpec.of("test_dropout").with("keep_prob", keepProb).toString();
        }
    }

    /** Registers {@code test_dropout}. */
    static final class DropoutProvider extends NamedProvider<Regularizer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public DropoutProvider() {
            super(Regularizer.class, "test_dropout");
        }

        @Override
        public Regularizer create(Arguments arguments) {
            double keepProb = arguments.getDouble("keep_prob", 0.8);
            if (!(keepProb > 0 && keepProb <= 1)) {
                throw arguments.invalid("keep_prob", keepProb, "in (0, 1]");
            }
            return new Dropout(keepProb);
        }
    }

    /**
     * {@code test_gain(factor=2)}: an activation transform that acts in every mode,
     * {@code out = factor * A} and {@code dA := factor * dA}, so that a pass that skipped transforms
     * would show.
     */
    static final class Gain implements ActivationTransform {
        final double factor;

        Gain(double factor) {
            this.factor = factor;
        }

        @Override
        public boolean isActive() {
            return true;
        }

        @Override
        public void forward(DMatrixRMaj a, DMatrixRMaj out, StepContext context) {
            for (int k = 0; k < a.getNumElements(); k++) {
                out.data[k] = factor * a.data[k];
            }
        }

        @Override
        public void backward(DMatrixRMaj dA, StepContext context) {
            for (int k = 0; k < dA.getNumElements(); k++) {
                dA.data[k] *= factor;
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of("test_gain").with("factor", factor).toString();
        }
    }

    /** Registers {@code test_gain}. */
    static final class GainProvider extends NamedProvider<Regularizer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public GainProvider() {
            super(Regularizer.class, "test_gain");
        }

        @Override
        public Regularizer create(Arguments arguments) {
            return new Gain(arguments.getDouble("factor", 2.0));
        }
    }

    /**
     * {@code running_shift(momentum=0.5)}: a layer with state, batch normalization without the
     * variance. {@code Z = gamma * (A - mu)} per row, where {@code mu} is the batch's row mean in
     * TRAINING and CHECKING passes and the running mean (state {@code running_mean}) in INFERENCE;
     * a TRAINING pass updates {@code running_mean := momentum * running_mean + (1 - momentum) * mu}.
     * Backward (batch statistics, per-example scale): {@code dgamma = (1/m) sum_j dZ (A - mu)},
     * {@code dA = gamma * (dZ - mean_j dZ)}. Parameter {@code gamma} (role SCALE) starts at 1, the
     * running mean at 0. The batch mean goes from forward to backward in context buffer 0.
     */
    static final class RunningShift implements Layer {
        final double momentum;
        private DMatrixRMaj gamma;
        private DMatrixRMaj dGamma;
        private DMatrixRMaj runningMean;
        private List<Parameter> parameters;
        private List<StateArray> state;

        RunningShift(double momentum) {
            this.momentum = momentum;
        }

        @Override
        public int outputSize(int inputSize) {
            return inputSize;
        }

        @Override
        public void connect(int inputSize) {
            gamma = new DMatrixRMaj(inputSize, 1);
            dGamma = new DMatrixRMaj(inputSize, 1);
            runningMean = new DMatrixRMaj(inputSize, 1);
            parameters = List.of(new Parameter("gamma", Parameter.Role.SCALE, gamma, dGamma));
            state = List.of(new StateArray("running_mean", runningMean));
        }

        @Override
        public void initialize(Initializer initializer, RandomGenerator random) {
            gamma.fill(1.0);
            runningMean.zero();
        }

        @Override
        public List<Parameter> parameters() {
            return parameters;
        }

        @Override
        public List<StateArray> state() {
            return state;
        }

        @Override
        public void forward(DMatrixRMaj input, DMatrixRMaj output, StepContext context) {
            int n = input.numRows;
            int m = input.numCols;
            DMatrixRMaj center = runningMean;
            if (context.mode().usesBatchStatistics()) {
                center = context.buffer(0, n, 1);
                for (int i = 0; i < n; i++) {
                    double sum = 0.0;
                    for (int j = 0; j < m; j++) {
                        sum += input.get(i, j);
                    }
                    center.data[i] = sum / m;
                }
                if (context.mode().updatesState()) {
                    for (int i = 0; i < n; i++) {
                        runningMean.data[i] = momentum * runningMean.data[i] + (1.0 - momentum) * center.data[i];
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    output.set(i, j, gamma.data[i] * (input.get(i, j) - center.data[i]));
                }
            }
        }

        @Override
        public void backward(DMatrixRMaj input, DMatrixRMaj output, DMatrixRMaj dOutput, DMatrixRMaj dInput,
                             StepContext context) {
            int n = input.numRows;
            int m = input.numCols;
            DMatrixRMaj mean = context.buffer(0, n, 1);
            for (int i = 0; i < n; i++) {
                double g = 0.0;
                double dzSum = 0.0;
                for (int j = 0; j < m; j++) {
                    g += dOutput.get(i, j) * (input.get(i, j) - mean.data[i]);
                    dzSum += dOutput.get(i, j);
                }
                dGamma.data[i] = g / m;
                if (context.needsInputGradient()) {
                    for (int j = 0; j < m; j++) {
                        dInput.set(i, j, gamma.data[i] * (dOutput.get(i, j) - dzSum / m));
                    }
                }
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of("running_shift").with("momentum", momentum).toString();
        }
    }

    /** Registers {@code running_shift}. */
    static final class RunningShiftProvider extends NamedProvider<Layer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public RunningShiftProvider() {
            super(Layer.class, "running_shift");
        }

        @Override
        public Layer create(Arguments arguments) {
            double momentum = arguments.getDouble("momentum", 0.5);
            if (!(momentum >= 0 && momentum < 1)) {
                throw arguments.invalid("momentum", momentum, "in [0, 1)");
            }
            return new RunningShift(momentum);
        }
    }

    /**
     * {@code test_double_dense(units=n)}: a fully connected layer with only a double kernel (no
     * {@code FloatLayer}), written with EJML's operations: in a float32 network it runs through
     * core's widening adapter on its own double parameters.
     */
    static final class DoubleDense implements Layer {
        private final int units;
        private DMatrixRMaj w;
        private DMatrixRMaj b;
        private DMatrixRMaj dW;
        private DMatrixRMaj db;
        private List<Parameter> parameters;

        DoubleDense(int units) {
            this.units = units;
        }

        @Override
        public int outputSize(int inputSize) {
            return units;
        }

        @Override
        public void connect(int inputSize) {
            w = new DMatrixRMaj(units, inputSize);
            b = new DMatrixRMaj(units, 1);
            dW = new DMatrixRMaj(units, inputSize);
            db = new DMatrixRMaj(units, 1);
            parameters = List.of(new Parameter("W", Parameter.Role.WEIGHT, w, dW), new Parameter("b", Parameter.Role.BIAS, b, db));
        }

        @Override
        public void initialize(Initializer initializer, RandomGenerator random) {
            initializer.initialize(w, random);
        }

        @Override
        public List<Parameter> parameters() {
            return parameters;
        }

        @Override
        public void forward(DMatrixRMaj input, DMatrixRMaj output, StepContext context) {
            CommonOps_DDRM.mult(w, input, output);
            for (int i = 0; i < units; i++) {
                for (int j = 0; j < output.numCols; j++) {
                    output.add(i, j, b.get(i, 0));
                }
            }
        }

        @Override
        public void backward(DMatrixRMaj input, DMatrixRMaj output, DMatrixRMaj dOutput, DMatrixRMaj dInput,
                             StepContext context) {
            int m = input.numCols;
            CommonOps_DDRM.multTransB(1.0 / m, dOutput, input, dW);
            for (int i = 0; i < units; i++) {
                double sum = 0;
                for (int j = 0; j < m; j++) {
                    sum += dOutput.get(i, j);
                }
                db.set(i, 0, sum / m);
            }
            if (context.needsInputGradient()) {
                CommonOps_DDRM.multTransA(w, dOutput, dInput);
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of("test_double_dense").with("units", units).toString();
        }
    }

    /** Registers {@code test_double_dense}. */
    static final class DoubleDenseProvider extends NamedProvider<Layer> {
        /** Made by a registry built from a list. */
        public DoubleDenseProvider() {
            super(Layer.class, "test_double_dense");
        }

        @Override
        public Layer create(Arguments arguments) {
            return new DoubleDense(arguments.requireInt("units"));
        }
    }
}
