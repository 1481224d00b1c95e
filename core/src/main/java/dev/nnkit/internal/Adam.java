package dev.nnkit.internal;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatOptimizer;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.PluginSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015), spec
 * {@code adam(learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8)}:
 * {@code v := beta1 v + (1 - beta1) dW}, {@code s := beta2 s + (1 - beta2) dW^2},
 * {@code v^ = v / (1 - beta1^t)}, {@code s^ = s / (1 - beta2^t)},
 * {@code W := W - alpha v^ / (sqrt(s^) + epsilon)}, with {@code t} the step number from 1.
 * {@code alpha} is the step's rate from the run's schedule; {@code learning_rate} is its base rate
 * {@code alpha0} (every step's rate with the default schedule, {@code constant}).
 */
public final class Adam implements Optimizer, FloatOptimizer {

    private final double baseRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final OptimizerState first = new OptimizerState();
    private final OptimizerState second = new OptimizerState();
    private final FloatOptimizerState floatFirst = new FloatOptimizerState();
    private final FloatOptimizerState floatSecond = new FloatOptimizerState();

    Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this.baseRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public void update(List<Parameter> parameters, long step, double learningRate) {
        double[][] v = first.of(parameters);
        double[][] s = second.of(parameters);
        double correction1 = 1.0 - Math.pow(beta1, step);
        double correction2 = 1.0 - Math.pow(beta2, step);
        for (int idx = 0; idx < v.length; idx++) {
            double[] w = parameters.get(idx).value().data;
            double[] g = parameters.get(idx).gradient().data;
            double[] vi = v[idx];
            double[] si = s[idx];
            for (int k = 0; k < vi.length; k++) {
                vi[k] = beta1 * vi[k] + (1.0 - beta1) * g[k];
                si[k] = beta2 * si[k] + (1.0 - beta2) * g[k] * g[k];
                w[k] -= learningRate * (vi[k] / correction1) / (Math.sqrt(si[k] / correction2) + epsilon);
            }
        }
    }

    /** The same update in float; the bias corrections are computed in double and rounded to float. */
    @Override
    public void floatUpdate(List<FloatParameter> parameters, long step, double learningRate) {
        float[][] v = floatFirst.of(parameters, first);
        float[][] s = floatSecond.of(parameters, second);
        float b1 = (float) beta1;
        float rest1 = (float) (1.0 - beta1);
        float b2 = (float) beta2;
        float rest2 = (float) (1.0 - beta2);
        float correction1 = (float) (1.0 - Math.pow(beta1, step));
        float correction2 = (float) (1.0 - Math.pow(beta2, step));
        float rate = (float) learningRate;
        float eps = (float) epsilon;
        for (int idx = 0; idx < v.length; idx++) {
            float[] w = parameters.get(idx).value().data;
            float[] g = parameters.get(idx).gradient().data;
            float[] vi = v[idx];
            float[] si = s[idx];
            for (int k = 0; k < vi.length; k++) {
                vi[k] = b1 * vi[k] + rest1 * g[k];
                si[k] = b2 * si[k] + rest2 * g[k] * g[k];
                w[k] -= rate * (vi[k] / correction1) / ((float) Math.sqrt(si[k] / correction2) + eps);
            }
        }
    }

    @Override
    public double baseLearningRate() {
        return baseRate;
    }

    @Override
    public List<double[]> state() {
        List<double[]> out = new ArrayList<>();
        boolean floats = floatFirst.inUse();
        out.addAll(floats ? floatFirst.copies() : first.copies());
        out.addAll(floats ? floatSecond.copies() : second.copies());
        return out;
    }

    @Override
    public void restoreState(List<double[]> state) {
        if (state.isEmpty()) {
            return;
        }
        if (state.size() % 2 != 0) {
            throw new IllegalArgumentException(this + " keeps 2 arrays per parameter, but " + state.size()
                    + " arrays were given");
        }
        int half = state.size() / 2;
        first.restore(state, 0, half);
        second.restore(state, half, half);
        floatFirst.reset();
        floatSecond.reset();
    }

    @Override
    public String toString() {
        return PluginSpec.of("adam").with("learning_rate", baseRate).with("beta1", beta1).with("beta2", beta2)
                .with("epsilon", epsilon).toString();
    }

    /** Registers {@code adam}. */
    public static final class Provider extends NamedProvider<Optimizer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Optimizer.class, "adam");
        }

        @Override
        public Optimizer create(Arguments arguments) {
            return new Adam(Optimizers.learningRate(arguments, 0.001),
                    Optimizers.decay(arguments, "beta1", 0.9),
                    Optimizers.decay(arguments, "beta2", 0.999),
                    Optimizers.epsilon(arguments));
        }
    }
}
