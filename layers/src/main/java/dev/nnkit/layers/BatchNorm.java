package dev.nnkit.layers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatLayer;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.StateArray;
import dev.nnkit.spi.StepContext;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * Batch normalization (Ioffe and Szegedy, 2015), spec {@code batch_norm(momentum=0.9, epsilon=1e-5)}.
 * Each of the {@code n} rows (units) of the input {@code X}, {@code (n, m)}, is normalized over the
 * {@code m} columns (examples) of the batch, then scaled and shifted; the output has {@code n} rows.
 * With {@code j} running over the columns and every operation row by row:
 * <pre>{@code
 * TRAINING, CHECKING (batch statistics):
 *   mu    = (1/m) sum_j X_j
 *   var   = (1/m) sum_j (X_j - mu)^2                      biased: the variance the batch is normalized with
 *   sigma = sqrt(var + epsilon)
 *   Xhat  = (X - mu) / sigma
 *   Y     = gamma * Xhat + beta
 * TRAINING only, after the above:
 *   running_mean     = momentum * running_mean     + (1 - momentum) * mu
 *   running_variance = momentum * running_variance + (1 - momentum) * var * m / (m - 1)   unbiased
 * INFERENCE:
 *   Y     = gamma * (X - running_mean) / sqrt(running_variance + epsilon) + beta
 *
 * backward, given dY = m dJ/dY (per-example gradients, as every nnkit layer gets):
 *   dgamma = (1/m) sum_j dY_j * Xhat_j
 *   dbeta  = (1/m) sum_j dY_j
 *   dX     = (gamma / sigma) * (dY - (1/m) sum_j dY_j - Xhat * (1/m) sum_j dY_j * Xhat_j)   batch statistics
 *   dX     = (gamma / sqrt(running_variance + epsilon)) * dY                               INFERENCE
 * }</pre>
 * {@code momentum} is the weight of the old running value (0.9 keeps 90% of it at each step; the
 * Keras convention, where PyTorch's {@code momentum=0.1} means the same thing). The running
 * variance averages the unbiased batch variance {@code var * m / (m - 1)}, an estimate of the
 * population's variance, as PyTorch does; the batch itself is normalized with the biased one.
 *
 * <p>{@code gamma} ({@link Parameter.Role#SCALE}) starts at 1 and {@code beta}
 * ({@link Parameter.Role#BIAS}) at 0, so neither is touched by weight penalties; the state arrays
 * {@code running_mean} and {@code running_variance} start at 0 and 1 and are saved with the model.
 * The configured initializer is not used. A batch of one example cannot be normalized with its own
 * statistics (its variance is 0) and is refused in {@code TRAINING} and {@code CHECKING}; inference
 * takes any number of examples, one at a time included.
 *
 * <p>{@code momentum} must be in {@code [0, 1)}, default 0.9; {@code epsilon} finite and
 * {@code > 0}, default {@code 1e-5}. {@code Xhat} and {@code 1/sigma} are kept from forward to
 * backward in the step context's buffers 0 and 1; no field changes in a pass except the running
 * statistics in {@code TRAINING}, so inference may run on several threads at once, and the
 * steady-state step allocates nothing.
 *
 * <p>In a float32 network the same passes run on float matrices ({@link FloatLayer}) with float
 * copies of {@code gamma} and {@code beta} and their gradients ({@link #floatParameters()}, which
 * the network keeps equal to the double ones). The row sums ({@code mu}, {@code var},
 * {@code sum dY}, {@code sum dY Xhat}) accumulate in double; the element-wise arithmetic is float,
 * with {@code mu}, {@code 1/sigma} and the means of the backward pass rounded to float once per
 * row (a loop that converts every element between float and double is several times slower than
 * either); {@code Xhat} is kept as floats in float buffer 0 and {@code 1/sigma} in double buffer 1.
 * The running statistics stay double and are updated in {@code TRAINING} by the same formulas.
 */
public final class BatchNorm implements Layer, FloatLayer {

    /** The momentum used when the spec gives none. */
    static final double DEFAULT_MOMENTUM = 0.9;
    /** The epsilon used when the spec gives none. */
    static final double DEFAULT_EPSILON = 1e-5;

    private final double momentum;
    private final double epsilon;
    private int size;
    private DMatrixRMaj gamma;
    private DMatrixRMaj beta;
    private DMatrixRMaj runningMean;
    private DMatrixRMaj runningVariance;
    private List<Parameter> parameters;
    private List<StateArray> state;
    private List<FloatParameter> floatParameters;
    private FMatrixRMaj gammaF;
    private FMatrixRMaj betaF;

    BatchNorm(double momentum, double epsilon) {
        this.momentum = momentum;
        this.epsilon = epsilon;
    }

    /** The weight of the old running value in each update, in {@code [0, 1)}. */
    public double momentum() {
        return momentum;
    }

    /** The constant added to the variance before the square root, {@code > 0}. */
    public double epsilon() {
        return epsilon;
    }

    /** The input size: batch normalization keeps the number of units. */
    @Override
    public int outputSize(int inputSize) {
        return inputSize;
    }

    /** {@code 4 n}: gamma, beta, the running mean and the running variance. */
    @Override
    public long parameterCount(int inputSize) {
        return 4L * inputSize;
    }

    @Override
    public void connect(int inputSize) {
        if (parameters != null) {
            throw new IllegalStateException(this + " is already connected to an input of " + size);
        }
        if (inputSize <= 0) {
            throw new IllegalArgumentException(this + ": input size " + inputSize + " must be > 0");
        }
        size = inputSize;
        gamma = new DMatrixRMaj(inputSize, 1);
        beta = new DMatrixRMaj(inputSize, 1);
        runningMean = new DMatrixRMaj(inputSize, 1);
        runningVariance = new DMatrixRMaj(inputSize, 1);
        parameters = List.of(new Parameter("gamma", Parameter.Role.SCALE, gamma, new DMatrixRMaj(inputSize, 1)),
                new Parameter("beta", Parameter.Role.BIAS, beta, new DMatrixRMaj(inputSize, 1)));
        state = List.of(new StateArray("running_mean", runningMean),
                new StateArray("running_variance", runningVariance));
    }

    /** {@code gamma = 1}, {@code beta = 0}, {@code running_mean = 0}, {@code running_variance = 1}; draws nothing. */
    @Override
    public void initialize(Initializer initializer, RandomGenerator random) {
        parameters();
        Arrays.fill(gamma.data, 0, size, 1.0);
        beta.zero();
        runningMean.zero();
        Arrays.fill(runningVariance.data, 0, size, 1.0);
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
        if (state == null) {
            throw new IllegalStateException(this + " has no state before connect(inputSize) is called");
        }
        return state;
    }

    @Override
    public void forward(DMatrixRMaj input, DMatrixRMaj output, StepContext context) {
        checkShapes("input", input, output);
        int m = input.numCols;
        double[] x = input.data;
        double[] y = output.data;
        double[] g = gamma.data;
        double[] b = beta.data;
        if (!context.mode().usesBatchStatistics()) {
            double[] mean = runningMean.data;
            double[] variance = runningVariance.data;
            for (int i = 0; i < size; i++) {
                double inverseSigma = 1.0 / Math.sqrt(variance[i] + epsilon);
                double mu = mean[i];
                for (int k = i * m, end = k + m; k < end; k++) {
                    y[k] = g[i] * ((x[k] - mu) * inverseSigma) + b[i];
                }
            }
            return;
        }
        checkBatch(m, context);
        DMatrixRMaj xhatBuffer = context.buffer(0, size, m);
        DMatrixRMaj inverseSigmaBuffer = context.buffer(1, size, 1);
        double[] xhat = xhatBuffer.data;
        double[] inverseSigmas = inverseSigmaBuffer.data;
        boolean update = context.mode().updatesState();
        for (int i = 0; i < size; i++) {
            int row = i * m;
            double sum = 0.0;
            for (int k = row, end = row + m; k < end; k++) {
                sum += x[k];
            }
            double mu = sum / m;
            double squares = 0.0;
            for (int k = row, end = row + m; k < end; k++) {
                double centered = x[k] - mu;
                xhat[k] = centered;
                squares += centered * centered;
            }
            double variance = squares / m;
            double inverseSigma = 1.0 / Math.sqrt(variance + epsilon);
            inverseSigmas[i] = inverseSigma;
            for (int k = row, end = row + m; k < end; k++) {
                double normalized = xhat[k] * inverseSigma;
                xhat[k] = normalized;
                y[k] = g[i] * normalized + b[i];
            }
            if (update) {
                runningMean.data[i] = momentum * runningMean.data[i] + (1.0 - momentum) * mu;
                runningVariance.data[i] = momentum * runningVariance.data[i]
                        + (1.0 - momentum) * (squares / (m - 1));
            }
        }
    }

    @Override
    public void backward(DMatrixRMaj input, DMatrixRMaj output, DMatrixRMaj dOutput, DMatrixRMaj dInput,
                         StepContext context) {
        checkShapes("dOutput", dOutput, output);
        int m = dOutput.numCols;
        boolean inputGradient = context.needsInputGradient();
        if (inputGradient && (dInput.numRows != size || dInput.numCols != m)) {
            throw new IllegalArgumentException(this + ": dInput is (" + dInput.numRows + ", " + dInput.numCols
                    + ") but must be (" + size + ", " + m + ")");
        }
        double[] dy = dOutput.data;
        double[] dGamma = parameters.get(0).gradient().data;
        double[] dBeta = parameters.get(1).gradient().data;
        double[] g = gamma.data;
        double[] dx = dInput.data;
        double inverseM = 1.0 / m;
        if (!context.mode().usesBatchStatistics()) {
            // the inference map is affine per unit: Y = gamma * (X - running_mean) / s + beta
            double[] x = input.data;
            for (int i = 0; i < size; i++) {
                double inverseSigma = 1.0 / Math.sqrt(runningVariance.data[i] + epsilon);
                double mu = runningMean.data[i];
                double sumDy = 0.0;
                double sumDyXhat = 0.0;
                for (int k = i * m, end = k + m; k < end; k++) {
                    sumDy += dy[k];
                    sumDyXhat += dy[k] * ((x[k] - mu) * inverseSigma);
                }
                dGamma[i] = sumDyXhat * inverseM;
                dBeta[i] = sumDy * inverseM;
                if (inputGradient) {
                    double scale = g[i] * inverseSigma;
                    for (int k = i * m, end = k + m; k < end; k++) {
                        dx[k] = scale * dy[k];
                    }
                }
            }
            return;
        }
        double[] xhat = context.buffer(0, size, m).data;
        double[] inverseSigmas = context.buffer(1, size, 1).data;
        for (int i = 0; i < size; i++) {
            int row = i * m;
            double sumDy = 0.0;
            double sumDyXhat = 0.0;
            for (int k = row, end = row + m; k < end; k++) {
                sumDy += dy[k];
                sumDyXhat += dy[k] * xhat[k];
            }
            double meanDy = sumDy * inverseM;
            double meanDyXhat = sumDyXhat * inverseM;
            dGamma[i] = meanDyXhat;
            dBeta[i] = meanDy;
            if (inputGradient) {
                double scale = g[i] * inverseSigmas[i];
                for (int k = row, end = row + m; k < end; k++) {
                    dx[k] = scale * (dy[k] - meanDy - xhat[k] * meanDyXhat);
                }
            }
        }
    }

    /** Float {@code gamma} and {@code beta} with their float gradients, {@code (n, 1)} each, in the order of {@link #parameters()}. */
    @Override
    public List<FloatParameter> floatParameters() {
        if (floatParameters == null) {
            parameters();
            gammaF = new FMatrixRMaj(size, 1);
            betaF = new FMatrixRMaj(size, 1);
            floatParameters = List.of(new FloatParameter("gamma", Parameter.Role.SCALE, gammaF, new FMatrixRMaj(size, 1)),
                    new FloatParameter("beta", Parameter.Role.BIAS, betaF, new FMatrixRMaj(size, 1)));
        }
        return floatParameters;
    }

    @Override
    public void forward(FMatrixRMaj input, FMatrixRMaj output, StepContext context) {
        checkShapes("input", input.numRows, input.numCols, output.numRows, output.numCols);
        floatParameters();
        int m = input.numCols;
        float[] x = input.data;
        float[] y = output.data;
        float[] g = gammaF.data;
        float[] b = betaF.data;
        if (!context.mode().usesBatchStatistics()) {
            double[] mean = runningMean.data;
            double[] variance = runningVariance.data;
            for (int i = 0; i < size; i++) {
                float inverseSigma = (float) (1.0 / Math.sqrt(variance[i] + epsilon));
                float mu = (float) mean[i];
                float gi = g[i];
                float bi = b[i];
                for (int k = i * m, end = k + m; k < end; k++) {
                    y[k] = gi * ((x[k] - mu) * inverseSigma) + bi;
                }
            }
            return;
        }
        checkBatch(m, context);
        float[] xhat = context.floatBuffer(0, size, m).data;
        double[] inverseSigmas = context.buffer(1, size, 1).data;
        boolean update = context.mode().updatesState();
        for (int i = 0; i < size; i++) {
            int row = i * m;
            double sum = 0.0;
            for (int k = row, end = row + m; k < end; k++) {
                sum += x[k];
            }
            double mu = sum / m;
            double squares = 0.0;
            for (int k = row, end = row + m; k < end; k++) {
                double centered = x[k] - mu;
                squares += centered * centered;
            }
            double variance = squares / m;
            double inverseSigma = 1.0 / Math.sqrt(variance + epsilon);
            inverseSigmas[i] = inverseSigma;
            float muF = (float) mu;
            float inverseSigmaF = (float) inverseSigma;
            float gi = g[i];
            float bi = b[i];
            for (int k = row, end = row + m; k < end; k++) {
                float normalized = (x[k] - muF) * inverseSigmaF;
                xhat[k] = normalized;
                y[k] = gi * normalized + bi;
            }
            if (update) {
                runningMean.data[i] = momentum * runningMean.data[i] + (1.0 - momentum) * mu;
                runningVariance.data[i] = momentum * runningVariance.data[i]
                        + (1.0 - momentum) * (squares / (m - 1));
            }
        }
    }

    @Override
    public void backward(FMatrixRMaj input, FMatrixRMaj output, FMatrixRMaj dOutput, FMatrixRMaj dInput,
                         StepContext context) {
        checkShapes("dOutput", dOutput.numRows, dOutput.numCols, output.numRows, output.numCols);
        floatParameters();
        int m = dOutput.numCols;
        boolean inputGradient = context.needsInputGradient();
        if (inputGradient && (dInput.numRows != size || dInput.numCols != m)) {
            throw new IllegalArgumentException(this + ": dInput is (" + dInput.numRows + ", " + dInput.numCols
                    + ") but must be (" + size + ", " + m + ")");
        }
        float[] dy = dOutput.data;
        float[] dGamma = floatParameters.get(0).gradient().data;
        float[] dBeta = floatParameters.get(1).gradient().data;
        float[] g = gammaF.data;
        float[] dx = dInput.data;
        double inverseM = 1.0 / m;
        boolean batch = context.mode().usesBatchStatistics();
        float[] x = input.data;
        float[] xhat = batch ? context.floatBuffer(0, size, m).data : null;
        double[] inverseSigmas = batch ? context.buffer(1, size, 1).data : null;
        for (int i = 0; i < size; i++) {
            int row = i * m;
            double inverseSigma;
            double sumDy = 0.0;
            double sumDyXhat = 0.0;
            if (batch) {
                inverseSigma = inverseSigmas[i];
                for (int k = row, end = row + m; k < end; k++) {
                    sumDy += dy[k];
                    sumDyXhat += (double) dy[k] * xhat[k];
                }
            } else {
                // the inference map is affine per unit: Y = gamma * (X - running_mean) / s + beta
                inverseSigma = 1.0 / Math.sqrt(runningVariance.data[i] + epsilon);
                double mu = runningMean.data[i];
                for (int k = row, end = row + m; k < end; k++) {
                    sumDy += dy[k];
                    sumDyXhat += dy[k] * ((x[k] - mu) * inverseSigma);
                }
            }
            double meanDy = sumDy * inverseM;
            double meanDyXhat = sumDyXhat * inverseM;
            dGamma[i] = (float) meanDyXhat;
            dBeta[i] = (float) meanDy;
            if (inputGradient) {
                float scale = (float) (g[i] * inverseSigma);
                if (batch) {
                    float meanDyF = (float) meanDy;
                    float meanDyXhatF = (float) meanDyXhat;
                    for (int k = row, end = row + m; k < end; k++) {
                        dx[k] = scale * (dy[k] - meanDyF - xhat[k] * meanDyXhatF);
                    }
                } else {
                    for (int k = row, end = row + m; k < end; k++) {
                        dx[k] = scale * dy[k];
                    }
                }
            }
        }
    }

    /** Refuses a batch-statistics pass on fewer than 2 examples. */
    private void checkBatch(int m, StepContext context) {
        if (m < 2) {
            throw new IllegalArgumentException(this + ": a " + context.mode() + " pass on a batch of " + m
                    + " example" + (m == 1 ? "" : "s") + "; batch statistics need at least 2 (the variance of one"
                    + " example is 0). Use a batch size >= 2, and one that does not leave a last mini-batch of 1"
                    + " (data size mod batch size != 1)");
        }
    }

    /** Refuses a pass before {@link #connect}, a first matrix without {@code n} rows and an output of another shape. */
    private void checkShapes(String what, DMatrixRMaj first, DMatrixRMaj output) {
        checkShapes(what, first.numRows, first.numCols, output.numRows, output.numCols);
    }

    private void checkShapes(String what, int rows, int cols, int outputRows, int outputCols) {
        if (parameters == null) {
            throw new IllegalStateException(this + " cannot run before connect(inputSize) is called");
        }
        if (rows != size) {
            throw new IllegalArgumentException(this + ": " + what + " has " + rows + " rows but the layer"
                    + " was connected to " + size + " units");
        }
        if (outputRows != rows || outputCols != cols) {
            throw new IllegalArgumentException(this + ": " + what + " is (" + rows + ", " + cols
                    + ") but the output is (" + outputRows + ", " + outputCols + "); they must have the same shape");
        }
    }

    @Override
    public String toString() {
        return PluginSpec.of("batch_norm").with("momentum", momentum).with("epsilon", epsilon).toString();
    }

    /**
     * Registers {@code batch_norm}; arguments {@code momentum}, default 0.9, in {@code [0, 1)}, and
     * {@code epsilon}, default {@code 1e-5}, {@code > 0}.
     */
    public static final class Provider extends NamedProvider<Layer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Layer.class, "batch_norm");
        }

        @Override
        public Layer create(Arguments arguments) {
            double momentum = arguments.getDouble("momentum", DEFAULT_MOMENTUM);
            if (!(momentum >= 0.0 && momentum < 1.0)) {
                throw arguments.invalid("momentum", momentum,
                        "in [0, 1): the weight of the old running average, e.g. momentum=0.9");
            }
            double epsilon = arguments.getDouble("epsilon", DEFAULT_EPSILON);
            if (!(epsilon > 0.0)) {
                throw arguments.invalid("epsilon", epsilon,
                        "> 0: it keeps sqrt(variance + epsilon) away from 0, e.g. epsilon=1e-5");
            }
            return new BatchNorm(momentum, epsilon);
        }
    }
}
