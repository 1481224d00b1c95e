package dev.nnkit.schedules;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Schedule;

/**
 * Exponential decay, spec {@code exponential(rate)}, the notes' {@code alpha = rate^epoch_num * alpha0}
 * with {@code epoch_num = epoch - 1} counted from 0: {@code alpha = alpha0 * rate^(epoch - 1)}, e.g.
 * {@code rate=0.95}. Starts at {@code alpha0}; with {@code rate = 1} it is constant.
 */
public final class ExponentialDecay implements Schedule {

    private final double rate;

    ExponentialDecay(double rate) {
        this.rate = rate;
    }

    @Override
    public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
        return epoch == 1 ? baseRate : baseRate * Math.pow(rate, epoch - 1);
    }

    @Override
    public String toString() {
        return PluginSpec.of("exponential").with("rate", rate).toString();
    }

    /** Registers {@code exponential}. */
    public static final class Provider extends NamedProvider<Schedule> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Schedule.class, "exponential");
        }

        @Override
        public Schedule create(Arguments arguments) {
            double rate = arguments.requireDouble("rate");
            if (!(rate > 0 && rate <= 1)) {
                throw arguments.invalid("rate", rate, "in (0, 1], e.g. rate=0.95");
            }
            return new ExponentialDecay(rate);
        }
    }
}
