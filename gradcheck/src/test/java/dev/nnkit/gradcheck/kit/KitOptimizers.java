package dev.nnkit.gradcheck.kit;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import java.util.ArrayList;
import java.util.List;

/** Optimizer fixtures: core's Adam under a fixture name, and Adam and momentum broken in one way each. */
final class KitOptimizers {

    private KitOptimizers() {
    }

    static List<PluginProvider<?>> providers() {
        return List.of(
                new FixtureProvider<>(Optimizer.class, "kit_adam", a -> new Moments("kit_adam", a.getDouble("learning_rate", 0.01))),
                new FixtureProvider<>(Optimizer.class, "kit_forgetful_adam",
                        a -> new ForgetfulMoments(a.getDouble("learning_rate", 0.01))),
                new FixtureProvider<>(Optimizer.class, "kit_ascent", a -> new Ascent(a.getDouble("learning_rate", 0.01))),
                new FixtureProvider<>(Optimizer.class, "kit_hidden_momentum",
                        a -> new HiddenMomentum(a.getDouble("learning_rate", 0.1))),
                new FixtureProvider<>(Optimizer.class, "kit_live_momentum",
                        a -> new LiveMomentum(a.getDouble("learning_rate", 0.1))),
                new FixtureProvider<>(Optimizer.class, "kit_own_rate_adam",
                        a -> new OwnRateMoments(a.getDouble("learning_rate", 0.01))));
    }

    /**
     * Core's {@code adam} under a fixture name, with a hook for one planted bug per subclass. The
     * update and the state layout (every first moment, then every second moment) are core's own.
     */
    static class Moments implements Optimizer {
        final String name;
        final double learningRate;
        final Optimizer adam;

        Moments(String name, double learningRate) {
            this.name = name;
            this.learningRate = learningRate;
            this.adam = PluginRegistry.defaults().create(Optimizer.class,
                    PluginSpec.of("adam").with("learning_rate", learningRate).toString());
        }

        @Override
        public void update(List<Parameter> parameters, long step, double learningRate) {
            adam.update(parameters, step, learningRate);
        }

        @Override
        public double baseLearningRate() {
            return learningRate;
        }

        @Override
        public List<double[]> state() {
            return adam.state();
        }

        @Override
        public void restoreState(List<double[]> state) {
            adam.restoreState(state);
        }

        @Override
        public String toString() {
            return PluginSpec.of(name).with("learning_rate", learningRate).toString();
        }
    }

    /** Bug: restoreState drops the second moments (they restart at zero). */
    static final class ForgetfulMoments extends Moments {
        ForgetfulMoments(double learningRate) {
            super("kit_forgetful_adam", learningRate);
        }

        @Override
        public void restoreState(List<double[]> state) {
            List<double[]> forgotten = new ArrayList<>();
            for (int k = 0; k < state.size(); k++) {
                forgotten.add(k < state.size() / 2 ? state.get(k) : new double[state.get(k).length]);
            }
            super.restoreState(forgotten);
        }
    }

    /**
     * Bug: steps with the spec's learning rate whatever rate the trainer passes, so every schedule
     * is ignored (the first contract of an optimizer written before schedules existed).
     */
    static final class OwnRateMoments extends Moments {
        OwnRateMoments(double learningRate) {
            super("kit_own_rate_adam", learningRate);
        }

        @Override
        public void update(List<Parameter> parameters, long step, double ignored) {
            super.update(parameters, step, learningRate);
        }
    }

    /** Bug: {@code W := W + alpha dW}, a step up the gradient. */
    static final class Ascent implements Optimizer {
        private final double learningRate;

        Ascent(double learningRate) {
            this.learningRate = learningRate;
        }

        @Override
        public void update(List<Parameter> parameters, long step, double learningRate) {
            for (Parameter p : parameters) {
                for (int k = 0; k < p.value().getNumElements(); k++) {
                    p.value().data[k] += learningRate * p.gradient().data[k];
                }
            }
        }

        @Override
        public double baseLearningRate() {
            return learningRate;
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_ascent").with("learning_rate", learningRate).toString();
        }
    }

    /** Momentum {@code v := 0.9 v + 0.1 dW}, {@code W := W - alpha v}; correct update, subclasses break its state. */
    abstract static class Momentum implements Optimizer {
        final double learningRate;
        double[][] velocity;

        Momentum(double learningRate) {
            this.learningRate = learningRate;
        }

        @Override
        public void update(List<Parameter> parameters, long step, double learningRate) {
            if (velocity == null) {
                velocity = new double[parameters.size()][];
                for (int p = 0; p < parameters.size(); p++) {
                    velocity[p] = new double[parameters.get(p).value().getNumElements()];
                }
            }
            for (int p = 0; p < parameters.size(); p++) {
                double[] w = parameters.get(p).value().data;
                double[] g = parameters.get(p).gradient().data;
                for (int k = 0; k < velocity[p].length; k++) {
                    velocity[p][k] = 0.9 * velocity[p][k] + 0.1 * g[k];
                    w[k] -= learningRate * velocity[p][k];
                }
            }
        }

        abstract String name();

        @Override
        public double baseLearningRate() {
            return learningRate;
        }

        @Override
        public String toString() {
            return PluginSpec.of(name()).with("learning_rate", learningRate).toString();
        }
    }

    /** Bug: keeps a velocity but reports no state (the default {@code state()}), so a resumed run restarts it. */
    static final class HiddenMomentum extends Momentum {
        HiddenMomentum(double learningRate) {
            super(learningRate);
        }

        @Override
        String name() {
            return "kit_hidden_momentum";
        }
    }

    /** Bug: {@code state()} hands out the live velocity arrays instead of copies. */
    static final class LiveMomentum extends Momentum {
        LiveMomentum(double learningRate) {
            super(learningRate);
        }

        @Override
        public List<double[]> state() {
            return velocity == null ? List.of() : List.of(velocity);
        }

        @Override
        public void restoreState(List<double[]> state) {
            if (state.isEmpty()) {
                return;
            }
            velocity = new double[state.size()][];
            for (int p = 0; p < state.size(); p++) {
                velocity[p] = state.get(p).clone();
            }
        }

        @Override
        String name() {
            return "kit_live_momentum";
        }
    }
}
