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
 * Gradient descent, spec {@code sgd(learning_rate=0.01, momentum=0)}.
 * Without momentum it is the plain update of MATH §3, {@code W := W - alpha dW}. With momentum
 * {@code beta} in (0, 1) it keeps an exponentially weighted average of the gradients, as in the
 * lecture notes: {@code v := beta v + (1 - beta) dW}, {@code W := W - alpha v}, with {@code v = 0}
 * at the start.
 * {@code alpha} is the step's rate from the run's schedule; {@code learning_rate} is its base rate
 * {@code alpha0} (every step's rate with the default schedule, {@code constant}).
 */
public final class Sgd implements Optimizer, FloatOptimizer {

    private final double baseRate;
    private final double momentum;
    private final OptimizerState velocity = new OptimizerState();
    private final FloatOptimizerState floatVelocity = new FloatOptimizerState();

    Sgd(double learningRate, double momentum) {
        this.baseRate = learningRate;
        this.momentum = momentum;
    }

    @Override
    public void update(List<Parameter> parameters, long step, double learningRate) {
        if (momentum == 0.0) {
            for (int idx = 0; idx < parameters.size(); idx++) { // indexed: no iterator in the step
                Parameter p = parameters.get(idx);
                double[] w = p.value().data;
                double[] g = p.gradient().data;
                for (int k = 0, n = p.value().getNumElements(); k < n; k++) {
                    w[k] -= learningRate * g[k];
                }
            }
            return;
        }
        double[][] v = velocity.of(parameters);
        for (int idx = 0; idx < v.length; idx++) {
            double[] w = parameters.get(idx).value().data;
            double[] g = parameters.get(idx).gradient().data;
            double[] vi = v[idx];
            for (int k = 0; k < vi.length; k++) {
                vi[k] = momentum * vi[k] + (1.0 - momentum) * g[k];
                w[k] -= learningRate * vi[k];
            }
        }
    }

    /** The same update in float: {@code v = beta v + (1 - beta) dW; W -= alpha v}, coefficients rounded to float. */
    @Override
    public void floatUpdate(List<FloatParameter> parameters, long step, double learningRate) {
        float rate = (float) learningRate;
        if (momentum == 0.0) {
            for (int idx = 0; idx < parameters.size(); idx++) {
                FloatParameter p = parameters.get(idx);
                float[] w = p.value().data;
                float[] g = p.gradient().data;
                for (int k = 0, n = p.value().getNumElements(); k < n; k++) {
                    w[k] -= rate * g[k];
                }
            }
            return;
        }
        float beta = (float) momentum;
        float rest = (float) (1.0 - momentum);
        float[][] v = floatVelocity.of(parameters, velocity);
        for (int idx = 0; idx < v.length; idx++) {
            float[] w = parameters.get(idx).value().data;
            float[] g = parameters.get(idx).gradient().data;
            float[] vi = v[idx];
            for (int k = 0; k < vi.length; k++) {
                vi[k] = beta * vi[k] + rest * g[k];
                w[k] -= rate * vi[k];
            }
        }
    }

    @Override
    public double baseLearningRate() {
        return baseRate;
    }

    @Override
    public List<double[]> state() {
        return floatVelocity.inUse() ? floatVelocity.copies() : velocity.copies();
    }

    @Override
    public void restoreState(List<double[]> state) {
        if (state.isEmpty()) {
            return;
        }
        if (momentum == 0.0) {
            throw new IllegalArgumentException(this + " keeps no state (momentum=0), but " + state.size()
                    + " arrays were given; they belong to an optimizer with momentum");
        }
        velocity.restore(state, 0, state.size());
        floatVelocity.reset();
    }

    @Override
    public String toString() {
        PluginSpec spec = PluginSpec.of("sgd").with("learning_rate", baseRate);
        return (momentum == 0.0 ? spec : spec.with("momentum", momentum)).toString();
    }

    /** Registers {@code sgd}. */
    public static final class Provider extends NamedProvider<Optimizer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Optimizer.class, "sgd");
        }

        @Override
        public Optimizer create(Arguments arguments) {
            double learningRate = Optimizers.learningRate(arguments, 0.01);
            double momentum = arguments.getDouble("momentum", 0.0);
            if (momentum < 0.0 || momentum >= 1.0) {
                throw arguments.invalid("momentum", momentum, "in [0, 1); 0 means plain gradient descent");
            }
            return new Sgd(learningRate, momentum);
        }
    }
}
