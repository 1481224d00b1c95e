package dev.nnkit.regularizers;

import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatActivationTransform;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.StepContext;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * Inverted dropout (MATH §7), spec {@code dropout(keep_prob=0.8)}. In every
 * {@link StepContext.Mode#TRAINING TRAINING} pass it draws a fresh mask over the layer's
 * activations {@code A[l]}, {@code (n, m)}, with {@link StepContext#drawMask}:
 * <pre>{@code
 * forward:  D = (random.nextDouble() < keep_prob)   element-wise, 1 or 0, row-major order
 *           out = A * D / keep_prob
 * backward: dA = dA * D / keep_prob                 the same D as the forward of the step
 * }</pre>
 * Each unit is kept with probability {@code keep_prob}; dividing by {@code keep_prob} keeps the
 * expected activation unchanged, so in every other mode (inference, gradient checking) nothing is
 * dropped and nothing is rescaled: forward copies, backward leaves {@code dA} as it is. The product
 * is taken literally: a dropped negative entry becomes {@code -0.0}, and a NaN stays NaN so that
 * the network's NaN check still sees it.
 *
 * <p>{@code keep_prob} must be in {@code (0, 1]}, default 0.8; {@code keep_prob = 1} means "dropout
 * off" ({@link #isActive()} is {@code false} and the network skips it). The mask lives in the
 * step context's buffer 0 of this part, not in the instance, so one instance may serve concurrent
 * inference calls and the steady state allocates nothing.
 *
 * <p>In a float32 network the same passes run on float matrices ({@link FloatActivationTransform}):
 * the mask is a float buffer 0 filled by {@link StepContext#drawMask(FMatrixRMaj, double)}, which
 * draws the same numbers as the double mask, so a float32 run drops the same units as a float64 run
 * with the same seeds; each kept entry is {@code A * (1 / keep_prob)} in float arithmetic, with
 * {@code 1 / keep_prob} rounded to float, within two float roundoffs of the double pass's value on
 * the same input.
 */
public final class Dropout implements ActivationTransform, FloatActivationTransform {

    /** The keep probability used when the spec gives none. */
    static final double DEFAULT_KEEP_PROB = 0.8;

    private final double keepProb;

    Dropout(double keepProb) {
        this.keepProb = keepProb;
    }

    /** The probability {@code keep_prob} in {@code (0, 1]} that a unit is kept. */
    public double keepProb() {
        return keepProb;
    }

    /** {@code true} when {@code keep_prob < 1}; {@code keep_prob = 1} switches dropout off. */
    @Override
    public boolean isActive() {
        return keepProb < 1.0;
    }

    @Override
    public void forward(DMatrixRMaj a, DMatrixRMaj out, StepContext context) {
        if (a.numRows != out.numRows || a.numCols != out.numCols) {
            throw new IllegalArgumentException(this + ": A is (" + a.numRows + ", " + a.numCols + ") but out is ("
                    + out.numRows + ", " + out.numCols + "); they must have the same shape");
        }
        if (!context.mode().isStochastic()) {
            if (out != a) {
                out.setTo(a);
            }
            return;
        }
        DMatrixRMaj mask = context.buffer(0, a.numRows, a.numCols);
        context.drawMask(mask, keepProb);
        double[] d = mask.data;
        double[] ad = a.data;
        double[] od = out.data;
        for (int k = 0, n = a.getNumElements(); k < n; k++) {
            od[k] = ad[k] * d[k] / keepProb;
        }
    }

    @Override
    public void backward(DMatrixRMaj dA, StepContext context) {
        if (!context.mode().isStochastic()) {
            return;
        }
        DMatrixRMaj mask = context.buffer(0, dA.numRows, dA.numCols);
        double[] d = mask.data;
        double[] gd = dA.data;
        for (int k = 0, n = dA.getNumElements(); k < n; k++) {
            gd[k] = gd[k] * d[k] / keepProb;
        }
    }

    @Override
    public void forward(FMatrixRMaj a, FMatrixRMaj out, StepContext context) {
        if (a.numRows != out.numRows || a.numCols != out.numCols) {
            throw new IllegalArgumentException(this + ": A is (" + a.numRows + ", " + a.numCols + ") but out is ("
                    + out.numRows + ", " + out.numCols + "); they must have the same shape");
        }
        if (!context.mode().isStochastic()) {
            if (out != a) {
                out.setTo(a);
            }
            return;
        }
        FMatrixRMaj mask = context.floatBuffer(0, a.numRows, a.numCols);
        context.drawMask(mask, keepProb);
        float[] d = mask.data;
        float[] ad = a.data;
        float[] od = out.data;
        float scale = (float) (1.0 / keepProb);
        for (int k = 0, n = a.getNumElements(); k < n; k++) {
            od[k] = ad[k] * d[k] * scale;
        }
    }

    @Override
    public void backward(FMatrixRMaj dA, StepContext context) {
        if (!context.mode().isStochastic()) {
            return;
        }
        FMatrixRMaj mask = context.floatBuffer(0, dA.numRows, dA.numCols);
        float[] d = mask.data;
        float[] gd = dA.data;
        float scale = (float) (1.0 / keepProb);
        for (int k = 0, n = dA.getNumElements(); k < n; k++) {
            gd[k] = gd[k] * d[k] * scale;
        }
    }

    @Override
    public String toString() {
        return PluginSpec.of("dropout").with("keep_prob", keepProb).toString();
    }

    /** Registers {@code dropout}; argument {@code keep_prob}, default 0.8, in {@code (0, 1]}. */
    public static final class Provider extends NamedProvider<Regularizer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Regularizer.class, "dropout");
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
