package dev.nnkit.schedules;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Schedule;

/**
 * Step decay, spec {@code step_decay(every, factor=0.1)}: the rate is multiplied by {@code factor}
 * after every {@code every} epochs, {@code alpha = alpha0 * factor^floor((epoch - 1) / every)}.
 * {@code step_decay(every=6, factor=0.1)} runs epochs 1 to 6 at {@code alpha0}, 7 to 12 at
 * {@code alpha0 / 10}, and so on. Starts at {@code alpha0}.
 */
public final class StepDecay implements Schedule {

    private final int every;
    private final double factor;

    StepDecay(int every, double factor) {
        this.every = every;
        this.factor = factor;
    }

    @Override
    public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
        int drops = (epoch - 1) / every;
        return drops == 0 ? baseRate : baseRate * Math.pow(factor, drops);
    }

    @Override
    public String toString() {
        return PluginSpec.of("step_decay").with("every", every).with("factor", factor).toString();
    }

    /** Registers {@code step_decay}. */
    public static final class Provider extends NamedProvider<Schedule> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Schedule.class, "step_decay");
        }

        @Override
        public Schedule create(Arguments arguments) {
            int every = arguments.requireInt("every");
            if (every < 1) {
                throw arguments.invalid("every", every, ">= 1 epoch, e.g. every=6");
            }
            double factor = arguments.getDouble("factor", 0.1);
            if (!(factor > 0 && factor <= 1)) {
                throw arguments.invalid("factor", factor, "in (0, 1], e.g. factor=0.1");
            }
            return new StepDecay(every, factor);
        }
    }
}
