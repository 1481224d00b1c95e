package dev.nnkit.regularizers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Inverted dropout (SPEC §7), spec {@code dropout(keep_prob=0.8)}. At every training step it draws
 * a fresh mask over the layer's activations {@code A[l]}, {@code (n, m)}:
 * <pre>{@code
 * forward:  D = (random.nextDouble() < keep_prob)   element-wise, 1 or 0
 *           out = A * D / keep_prob
 * backward: dA = dA * D / keep_prob                 the same D as the last forward
 * }</pre>
 * Each unit is kept with probability {@code keep_prob}; dividing by {@code keep_prob} keeps the
 * expected activation unchanged, so at inference (where the network never calls this plugin)
 * nothing is dropped and nothing is rescaled. The product is taken literally: a dropped negative
 * entry becomes {@code -0.0}, and a NaN stays NaN so that the network's NaN check still sees it.
 *
 * <p>{@code keep_prob} must be in {@code (0, 1]}, default 0.8. {@code keep_prob = 1} means
 * "dropout off": {@link #actsOnActivations()} then returns {@code false} and the network never
 * calls {@link #forwardTraining} or {@link #backwardTraining} (if called anyway they are the
 * identity). The penalty on weights is 0.
 *
 * <p>State: the mask of the last forward call is kept in a buffer that is reused and grown only
 * when a larger shape arrives, so the steady state allocates nothing. The registry makes a fresh
 * instance for every layer; one instance must not be shared between layers or threads.
 */
public final class Dropout implements Regularizer {

    /** The keep probability used when the spec gives none. */
    static final double DEFAULT_KEEP_PROB = 0.8;

    private final double keepProb;
    /** The mask {@code D} of the last forward call, 1.0 (kept) or 0.0 (dropped), row-major. */
    private double[] mask = new double[0];
    /** Shape of the last forward call; -1 before the first. */
    private int maskRows = -1;
    private int maskCols = -1;

    Dropout(double keepProb) {
        this.keepProb = keepProb;
    }

    /** The probability {@code keep_prob} in {@code (0, 1]} that a unit is kept. */
    public double keepProb() {
        return keepProb;
    }

    /** {@code true} when {@code keep_prob < 1}; {@code keep_prob = 1} switches dropout off. */
    @Override
    public boolean actsOnActivations() {
        return keepProb < 1.0;
    }

    @Override
    public void forwardTraining(DMatrixRMaj a, DMatrixRMaj out, RandomGenerator random) {
        if (a.numRows != out.numRows || a.numCols != out.numCols) {
            throw new IllegalArgumentException(this + ": A is (" + a.numRows + ", " + a.numCols + ") but out is ("
                    + out.numRows + ", " + out.numCols + "); they must have the same shape");
        }
        int n = a.getNumElements();
        if (mask.length < n) {
            mask = new double[n];
        }
        maskRows = a.numRows;
        maskCols = a.numCols;
        double[] d = mask;
        double[] ad = a.data;
        double[] od = out.data;
        for (int k = 0; k < n; k++) {
            d[k] = random.nextDouble() < keepProb ? 1.0 : 0.0;
            od[k] = ad[k] * d[k] / keepProb;
        }
    }

    @Override
    public void backwardTraining(DMatrixRMaj dA) {
        if (maskRows < 0) {
            throw new IllegalStateException(this + ": backwardTraining was called before any forwardTraining; "
                    + "there is no mask to apply");
        }
        if (dA.numRows != maskRows || dA.numCols != maskCols) {
            throw new IllegalStateException(this + ": backwardTraining got dA of shape (" + dA.numRows + ", "
                    + dA.numCols + ") but the last forwardTraining had shape (" + maskRows + ", " + maskCols
                    + "); backward must follow the forward of the same step");
        }
        double[] d = mask;
        double[] gd = dA.data;
        for (int k = 0, n = dA.getNumElements(); k < n; k++) {
            gd[k] = gd[k] * d[k] / keepProb;
        }
    }

    @Override
    public String toString() {
        return PluginSpec.of("dropout").with("keep_prob", keepProb).toString();
    }

    /** Registers {@code dropout}; argument {@code keep_prob}, default 0.8, in {@code (0, 1]}. */
    public static final class Provider implements PluginProvider<Regularizer> {
        @Override
        public Class<Regularizer> kind() {
            return Regularizer.class;
        }

        @Override
        public String name() {
            return "dropout";
        }

        @Override
        public Regularizer create(Arguments arguments) {
            double keepProb = arguments.getDouble("keep_prob", DEFAULT_KEEP_PROB);
            if (!(keepProb > 0.0 && keepProb <= 1.0)) {
                throw arguments.invalid("keep_prob", keepProb, "in (0, 1]; 1 switches dropout off, e.g. keep_prob=0.8");
            }
            return new Dropout(keepProb);
        }
    }
}
