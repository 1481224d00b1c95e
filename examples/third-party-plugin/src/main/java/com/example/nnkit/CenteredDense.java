package com.example.nnkit;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.StateArray;
import dev.nnkit.spi.StepContext;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * A dense layer on a centred input, spec {@code centered_dense(units=n, momentum=0.9)}. On an
 * input {@code A (k, m)} it computes
 * <pre>{@code
 * C = A - mu            (mu broadcast over the m columns)
 * U = W C
 * Z = g * U + b         (g and b broadcast over the columns, * element-wise per row)
 * }</pre>
 * with the trainable {@code W (n, k)} (role {@code WEIGHT}, from the layer's initializer),
 * {@code g (n, 1)} (a per-unit gain, role {@code SCALE}, starting at 1) and {@code b (n, 1)} (role
 * {@code BIAS}, starting at 0), and the non-trainable state {@code running_mean = mu (k, 1)},
 * starting at 0 and saved with the model. Backward, with {@code dZ = m dJ/dZ}:
 * <pre>{@code
 * dg = (1/m) sum_j (dZ * U)[:, j]     db = (1/m) sum_j dZ[:, j]
 * dU = g * dZ    dW = (1/m) dU C^T    dA = W^T dU
 * }</pre>
 * {@code mu} is state, a constant of every pass: no gradient flows through it. Only a
 * {@code TRAINING} pass changes it, after computing {@code Z} with the old value:
 * {@code mu := momentum mu + (1 - momentum) mean_j A[:, j]}. So the layer computes the same function
 * in every mode, and {@code CHECKING} (a gradient checker's pass) leaves it alone. With
 * {@code mu = 0} and {@code g = 1} it is {@code dense}. {@code units > 0}; {@code momentum} in
 * {@code [0, 1)}, default 0.9.
 */
public final class CenteredDense implements Layer {

    /** The default momentum of the running mean. */
    static final double DEFAULT_MOMENTUM = 0.9;

    private final int units;
    private final double momentum;
    private DMatrixRMaj w;
    private DMatrixRMaj g;
    private DMatrixRMaj b;
    private DMatrixRMaj mu;
    private List<Parameter> parameters;
    private List<StateArray> state;

    CenteredDense(int units, double momentum) {
        this.units = units;
        this.momentum = momentum;
    }

    @Override
    public int outputSize(int inputSize) {
        return units;
    }

    @Override
    public void connect(int inputSize) {
        if (parameters != null) {
            throw new IllegalStateException(this + " is already connected to an input of " + w.numCols);
        }
        if (inputSize <= 0) {
            throw new IllegalArgumentException(this + ": input size " + inputSize + " must be > 0");
        }
        w = new DMatrixRMaj(units, inputSize);
        g = new DMatrixRMaj(units, 1);
        b = new DMatrixRMaj(units, 1);
        mu = new DMatrixRMaj(inputSize, 1);
        parameters = List.of(new Parameter("W", Parameter.Role.WEIGHT, w, new DMatrixRMaj(units, inputSize)),
                new Parameter("g", Parameter.Role.SCALE, g, new DMatrixRMaj(units, 1)),
                new Parameter("b", Parameter.Role.BIAS, b, new DMatrixRMaj(units, 1)));
        state = List.of(new StateArray("running_mean", mu));
    }

    @Override
    public void initialize(Initializer initializer, RandomGenerator random) {
        parameters();
        initializer.initialize(w, random);
        g.fill(1.0);
        b.zero();
        mu.zero();
    }

    @Override
    public List<Parameter> parameters() {
        if (parameters == null) {
            throw new IllegalStateException(this + " has no parameters before connect(inputSize) is called");
        }
        return parameters;
    }

    @Override
    public List<StateArray> state() {
        parameters();
        return state;
    }

    @Override
    public void forward(DMatrixRMaj input, DMatrixRMaj output, StepContext context) {
        int k = input.numRows;
        int m = input.numCols;
        DMatrixRMaj c = context.buffer(0, k, m);
        DMatrixRMaj u = context.buffer(1, units, m);
        for (int i = 0; i < k; i++) {
            double shift = mu.data[i];
            for (int j = i * m, end = j + m; j < end; j++) {
                c.data[j] = input.data[j] - shift;
            }
        }
        context.ops().mult(w, c, u);
        for (int i = 0; i < units; i++) {
            double gain = g.data[i];
            double bias = b.data[i];
            for (int j = i * m, end = j + m; j < end; j++) {
                output.data[j] = gain * u.data[j] + bias;
            }
        }
        if (context.mode().updatesState() && m > 0) {
            for (int i = 0; i < k; i++) {
                double sum = 0;
                for (int j = i * m, end = j + m; j < end; j++) {
                    sum += input.data[j];
                }
                mu.data[i] = momentum * mu.data[i] + (1 - momentum) * (sum / m);
            }
        }
    }

    @Override
    public void backward(DMatrixRMaj input, DMatrixRMaj output, DMatrixRMaj dOutput, DMatrixRMaj dInput,
            StepContext context) {
        int k = input.numRows;
        int m = dOutput.numCols;
        double inverseM = 1.0 / m;
        DMatrixRMaj c = context.buffer(0, k, m);
        DMatrixRMaj u = context.buffer(1, units, m);
        DMatrixRMaj dU = context.buffer(2, units, m);
        DMatrixRMaj dg = parameters.get(1).gradient();
        DMatrixRMaj db = parameters.get(2).gradient();
        for (int i = 0; i < units; i++) {
            double gain = g.data[i];
            double sumDzU = 0;
            double sumDz = 0;
            for (int j = i * m, end = j + m; j < end; j++) {
                double dz = dOutput.data[j];
                sumDzU += dz * u.data[j];
                sumDz += dz;
                dU.data[j] = gain * dz;
            }
            dg.data[i] = sumDzU * inverseM;
            db.data[i] = sumDz * inverseM;
        }
        MatrixOps ops = context.ops();
        ops.multTransB(inverseM, dU, c, parameters.get(0).gradient());
        if (context.needsInputGradient()) {
            ops.multTransA(w, dU, dInput);
        }
    }

    @Override
    public String toString() {
        return PluginSpec.of("centered_dense").with("units", units).with("momentum", momentum).toString();
    }

    /** Registers {@code centered_dense}; arguments {@code units > 0} (required), {@code momentum} in [0, 1), default 0.9. */
    public static final class Provider extends NamedProvider<Layer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Layer.class, "centered_dense");
        }

        @Override
        public Layer create(Arguments arguments) {
            int units = arguments.requireInt("units");
            if (units <= 0) {
                throw arguments.invalid("units", units, "> 0, e.g. units=16");
            }
            double momentum = arguments.getDouble("momentum", DEFAULT_MOMENTUM);
            if (!(momentum >= 0 && momentum < 1)) {
                throw arguments.invalid("momentum", momentum, "in [0, 1), e.g. momentum=0.9");
            }
            return new CenteredDense(units, momentum);
        }
    }
}
