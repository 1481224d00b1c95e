package dev.nnkit.internal;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatLayer;
import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.StepContext;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The fully connected layer (MATH §1, §3), spec {@code dense(units=n)}:
 * forward {@code Z = W A_prev + b} with {@code b} broadcast over the {@code m} columns; backward
 * {@code dW = (1/m) dZ A_prev^T}, {@code db = (1/m) sum over columns of dZ},
 * {@code dA_prev = W^T dZ}. {@code W} is {@code (units, inputs)}, {@code b} is {@code (units, 1)}.
 * {@code W} starts from the configured initializer, {@code b} at zero. The same in every mode.
 * In a float32 network the same passes run on float copies of {@code W} and {@code b}
 * ({@link FloatLayer}); {@code db}'s column sums are accumulated in double and rounded once.
 */
public final class Dense implements Layer, FloatLayer {

    private final int units;
    private List<Parameter> parameters;
    private DMatrixRMaj w;
    private DMatrixRMaj b;
    private DMatrixRMaj dW;
    private DMatrixRMaj db;
    private List<FloatParameter> floatParameters;
    private FMatrixRMaj wf;
    private FMatrixRMaj bf;
    private FMatrixRMaj dWf;
    private FMatrixRMaj dbf;

    Dense(int units) {
        this.units = units;
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
        b = new DMatrixRMaj(units, 1);
        dW = new DMatrixRMaj(units, inputSize);
        db = new DMatrixRMaj(units, 1);
        parameters = List.of(new Parameter("W", Parameter.Role.WEIGHT, w, dW),
                new Parameter("b", Parameter.Role.BIAS, b, db));
    }

    @Override
    public void initialize(Initializer initializer, RandomGenerator random) {
        parameters();
        initializer.initialize(w, random);
        b.zero();
    }

    @Override
    public List<Parameter> parameters() {
        if (parameters == null) {
            throw new IllegalStateException(this + " has no parameters before connect(inputSize) is called");
        }
        return parameters;
    }

    @Override
    public void forward(DMatrixRMaj input, DMatrixRMaj z, StepContext context) {
        context.ops().mult(w, input, z);
        int m = z.numCols;
        double[] zd = z.data;
        for (int i = 0; i < units; i++) {
            double bias = b.data[i];
            int row = i * m;
            for (int j = 0; j < m; j++) {
                zd[row + j] += bias;
            }
        }
    }

    @Override
    public void backward(DMatrixRMaj input, DMatrixRMaj z, DMatrixRMaj dZ, DMatrixRMaj dInput, StepContext context) {
        MatrixOps products = context.ops();
        int m = dZ.numCols;
        double inverseM = 1.0 / m;
        products.multTransB(inverseM, dZ, input, dW);
        double[] dz = dZ.data;
        for (int i = 0; i < units; i++) {
            double sum = 0.0;
            int row = i * m;
            for (int j = 0; j < m; j++) {
                sum += dz[row + j];
            }
            db.data[i] = sum * inverseM;
        }
        if (context.needsInputGradient()) {
            products.multTransA(w, dZ, dInput);
        }
    }

    @Override
    public List<FloatParameter> floatParameters() {
        if (floatParameters == null) {
            parameters();
            wf = new FMatrixRMaj(w.numRows, w.numCols);
            bf = new FMatrixRMaj(units, 1);
            dWf = new FMatrixRMaj(w.numRows, w.numCols);
            dbf = new FMatrixRMaj(units, 1);
            floatParameters = List.of(new FloatParameter("W", Parameter.Role.WEIGHT, wf, dWf),
                    new FloatParameter("b", Parameter.Role.BIAS, bf, dbf));
        }
        return floatParameters;
    }

    @Override
    public void forward(FMatrixRMaj input, FMatrixRMaj z, StepContext context) {
        floatParameters();
        context.floatOps().mult(wf, input, z);
        int m = z.numCols;
        float[] zd = z.data;
        for (int i = 0; i < units; i++) {
            float bias = bf.data[i];
            int row = i * m;
            for (int j = 0; j < m; j++) {
                zd[row + j] += bias;
            }
        }
    }

    @Override
    public void backward(FMatrixRMaj input, FMatrixRMaj z, FMatrixRMaj dZ, FMatrixRMaj dInput, StepContext context) {
        floatParameters();
        FloatMatrixOps products = context.floatOps();
        int m = dZ.numCols;
        products.multTransB((float) (1.0 / m), dZ, input, dWf);
        float[] dz = dZ.data;
        for (int i = 0; i < units; i++) {
            double sum = 0.0;
            int row = i * m;
            for (int j = 0; j < m; j++) {
                sum += dz[row + j];
            }
            dbf.data[i] = (float) (sum / m);
        }
        if (context.needsInputGradient()) {
            products.multTransA(wf, dZ, dInput);
        }
    }

    @Override
    public String toString() {
        return PluginSpec.of("dense").with("units", units).toString();
    }

    /** Registers {@code dense(units=n)}. */
    public static final class Provider extends NamedProvider<Layer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Layer.class, "dense");
        }

        @Override
        public Layer create(Arguments arguments) {
            int units = arguments.requireInt("units");
            if (units <= 0) {
                throw arguments.invalid("units", units, "> 0");
            }
            return new Dense(units);
        }
    }
}
