package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Schedule;
import java.util.List;

/** Schedule fixtures: one correct decay, and decays broken in one way each (core's schedules are the other correct ones). */
final class KitSchedules {

    private KitSchedules() {
    }

    static List<PluginProvider<?>> providers() {
        return List.of(
                new FixtureProvider<>(Schedule.class, "kit_exponential", a -> new Exponential(a.getDouble("rate", 0.9))),
                new FixtureProvider<>(Schedule.class, "kit_counting_decay", a -> new CountingDecay(a.getDouble("rate", 0.9))),
                new FixtureProvider<>(Schedule.class, "kit_linear_decay", a -> new LinearDecay(a.getInt("steps", 1000))),
                new FixtureProvider<>(Schedule.class, "kit_late_exponential",
                        a -> new LateExponential(a.getDouble("rate", 0.9))));
    }

    /** {@code alpha0 * rate^(epoch - 1)}, correct. */
    static final class Exponential implements Schedule {
        private final double rate;

        Exponential(double rate) {
            this.rate = rate;
        }

        @Override
        public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
            return baseRate * Math.pow(rate, epoch - 1);
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_exponential").with("rate", rate).toString();
        }
    }

    /**
     * Bug: decays once per call, {@code alpha0 * rate^calls}, which looks right in one uninterrupted
     * run of one call per step, but restarts from {@code alpha0} in a resumed one.
     */
    static final class CountingDecay implements Schedule {
        private final double rate;
        private long calls;

        CountingDecay(double rate) {
            this.rate = rate;
        }

        @Override
        public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
            return baseRate * Math.pow(rate, calls++);
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_counting_decay").with("rate", rate).toString();
        }
    }

    /** Bug: {@code alpha0 (1 - (step - 1) / steps)}, which turns negative after {@code steps} steps. */
    static final class LinearDecay implements Schedule {
        private final int steps;

        LinearDecay(int steps) {
            this.steps = steps;
        }

        @Override
        public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
            return baseRate * (1.0 - (double) (step - 1) / steps);
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_linear_decay").with("steps", steps).toString();
        }
    }

    /** Bug: {@code alpha0 * rate^epoch}, epochs counted from 1: the first epoch already decayed. */
    static final class LateExponential implements Schedule {
        private final double rate;

        LateExponential(double rate) {
            this.rate = rate;
        }

        @Override
        public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
            return baseRate * Math.pow(rate, epoch);
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_late_exponential").with("rate", rate).toString();
        }
    }
}
