package dev.nnkit.internal;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatOptimizer;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.PluginSpec;
import java.util.List;

/**
 * RMSprop, spec {@code rmsprop(learning_rate=0.001, rho=0.9, epsilon=1e-8)}:
 * {@code s := rho s + (1 - rho) dW^2}, {@code W := W - alpha dW / (sqrt(s) + epsilon)}.
 * {@code alpha} is the step's rate from the run's schedule; {@code learning_rate} is its base rate
 * {@code alpha0} (every step's rate with the default schedule, {@code constant}).
 */
public final class RmsProp implements Optimizer, FloatOptimizer {

    private final double baseRate;
    private final double rho;
    private final double epsilon;
    private final OptimizerState squares = new OptimizerState();
    private final FloatOptimizerState floatSquares = new FloatOptimizerState();

    RmsProp(double learningRate, double rho, double epsilon) {
        this.baseRate = learningRate;
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override
    public void update(List<Parameter> parameters, long step, double learningRate) {
        double[][] s = squares.of(parameters);
        for (int idx = 0; idx < s.length; idx++) {
            double[] w = parameters.get(idx).value().data;
            double[] g = parameters.get(idx).gradient().data;
            double[] si = s[idx];
            for (int k = 0; k < si.length; k++) {
                si[k] = rho * si[k] + (1.0 - rho) * g[k] * g[k];
                w[k] -= learningRate * g[k] / (Math.sqrt(si[k]) + epsilon);
            }
        }
    }

    /** The same update in float, coefficients rounded to float. */
    @Override
    public void floatUpdate(List<FloatParameter> parameters, long step, double learningRate) {
        float rate = (float) learningRate;
        float decay = (float) rho;
        float rest = (float) (1.0 - rho);
        float eps = (float) epsilon;
        float[][] s = floatSquares.of(parameters, squares);
        for (int idx = 0; idx < s.length; idx++) {
            float[] w = parameters.get(idx).value().data;
            float[] g = parameters.get(idx).gradient().data;
            float[] si = s[idx];
            for (int k = 0; k < si.length; k++) {
                si[k] = decay * si[k] + rest * g[k] * g[k];
                w[k] -= rate * g[k] / ((float) Math.sqrt(si[k]) + eps);
            }
        }
    }

    @Override
    public double baseLearningRate() {
        return baseRate;
    }

    @Override
    public List<double[]> state() {
        return floatSquares.inUse() ? floatSquares.copies() : squares.copies();
    }

    @Override
    public void restoreState(List<double[]> state) {
        if (state.isEmpty()) {
            return;
        }
        squares.restore(state, 0, state.size());
        floatSquares.reset();
    }

    @Override
    public String toString() {
        return PluginSpec.of("rmsprop").with("learning_rate", baseRate).with("rho", rho).with("epsilon", epsilon)
                .toString();
    }

    /** Registers {@code rmsprop}. */
    public static final class Provider extends NamedProvider<Optimizer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Optimizer.class, "rmsprop");
        }

        @Override
        public Optimizer create(Arguments arguments) {
            return new RmsProp(Optimizers.learningRate(arguments, 0.001), Optimizers.decay(arguments, "rho", 0.9),
                    Optimizers.epsilon(arguments));
        }
    }
}
