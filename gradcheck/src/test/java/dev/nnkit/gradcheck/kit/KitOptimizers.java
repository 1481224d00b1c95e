package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import java.util.ArrayList;
import java.util.List;

/** Optimizer fixtures: Adam and momentum broken in one way each (core's optimizers are the correct ones). */
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
     * Adam with {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code epsilon = 1e-8}, correct: state
     * is every first moment, then every second moment; restoreState refuses an odd count.
     */
    static class Moments implements Optimizer {
        final String name;
        final double learningRate;
        double[][] first;
        double[][] second;

        Moments(String name, double learningRate) {
            this.name = name;
            this.learningRate = learningRate;
        }

        @Override
        public void update(List<Parameter> parameters, long step, double learningRate) {
            if (first == null) {
                first = new double[parameters.size()][];
                second = new double[parameters.size()][];
                for (int p = 0; p < parameters.size(); p++) {
                    first[p] = new double[parameters.get(p).value().getNumElements()];
                    second[p] = new double[first[p].length];
                }
            }
            if (first.length != parameters.size()) {
                throw new IllegalStateException(name + " holds moments of " + first.length + " parameters, not "
                        + parameters.size());
            }
            double c1 = 1 - Math.pow(0.9, step);
            double c2 = 1 - Math.pow(0.999, step);
            for (int p = 0; p < parameters.size(); p++) {
                double[] w = parameters.get(p).value().data;
                double[] g = parameters.get(p).gradient().data;
                if (first[p].length != parameters.get(p).value().getNumElements()
                        || second[p].length != first[p].length) {
                    throw new IllegalStateException(name + ": the moments of parameter " + p + " do not fit");
                }
                for (int k = 0; k < first[p].length; k++) {
                    first[p][k] = 0.9 * first[p][k] + 0.1 * g[k];
                    second[p][k] = 0.999 * second[p][k] + 0.001 * g[k] * g[k];
                    w[k] -= learningRate * (first[p][k] / c1) / (Math.sqrt(second[p][k] / c2) + 1e-8);
                }
            }
        }

        @Override
        public double baseLearningRate() {
            return learningRate;
        }

        @Override
        public List<double[]> state() {
            List<double[]> out = new ArrayList<>();
            if (first != null) {
                for (double[] a : first) {
                    out.add(a.clone());
                }
                for (double[] a : second) {
                    out.add(a.clone());
                }
            }
            return out;
        }

        @Override
        public void restoreState(List<double[]> state) {
            if (state.isEmpty()) {
                return;
            }
            if (state.size() % 2 != 0) {
                throw new IllegalArgumentException(name + " keeps 2 arrays per parameter, not " + state.size());
            }
            int half = state.size() / 2;
            first = new double[half][];
            second = new double[half][];
            for (int p = 0; p < half; p++) {
                first[p] = state.get(p).clone();
                second[p] = restoredSecond(state.get(half + p));
            }
        }

        /** The second moment of one parameter, from its saved array. */
        double[] restoredSecond(double[] saved) {
            return saved.clone();
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
        double[] restoredSecond(double[] saved) {
            return new double[saved.length];
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
