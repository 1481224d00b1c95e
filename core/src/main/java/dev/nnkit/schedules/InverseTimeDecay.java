package dev.nnkit.schedules;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Schedule;

/**
 * Inverse-time decay, spec {@code inverse_time(decay_rate, interval=1)}, the notes' scheduled decay
 * {@code alpha = alpha0 / (1 + decay_rate * floor(epoch_num / time_interval))} with
 * {@code epoch_num = epoch - 1} counted from 0:
 * {@code alpha = alpha0 / (1 + decay_rate * floor((epoch - 1) / interval))}. With
 * {@code interval = 1} it is the notes' {@code alpha0 / (1 + decay_rate * epoch_num)}. Starts at
 * {@code alpha0}.
 */
public final class InverseTimeDecay implements Schedule {

    private final double decayRate;
    private final int interval;

    InverseTimeDecay(double decayRate, int interval) {
        this.decayRate = decayRate;
        this.interval = interval;
    }

    @Override
    public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
        int intervals = (epoch - 1) / interval;
        return baseRate / (1.0 + decayRate * intervals);
    }

    @Override
    public String toString() {
        return PluginSpec.of("inverse_time").with("decay_rate", decayRate).with("interval", interval).toString();
    }

    /** Registers {@code inverse_time}. */
    public static final class Provider extends NamedProvider<Schedule> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Schedule.class, "inverse_time");
        }

        @Override
        public Schedule create(Arguments arguments) {
            double decayRate = arguments.requireDouble("decay_rate");
            if (!(decayRate >= 0)) {
                throw arguments.invalid("decay_rate", decayRate, ">= 0, e.g. decay_rate=1");
            }
            int interval = arguments.getInt("interval", 1);
            if (interval < 1) {
                throw arguments.invalid("interval", interval, ">= 1 epoch");
            }
            return new InverseTimeDecay(decayRate, interval);
        }
    }
}
