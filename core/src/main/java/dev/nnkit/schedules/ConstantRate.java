package dev.nnkit.schedules;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.Schedule;

/** The default schedule, spec {@code constant}: every step runs at the base rate, {@code alpha = alpha0}. */
public final class ConstantRate implements Schedule {

    ConstantRate() {
    }

    @Override
    public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
        return baseRate;
    }

    @Override
    public String toString() {
        return "constant";
    }

    /** Registers {@code constant}. */
    public static final class Provider extends NamedProvider<Schedule> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Schedule.class, "constant");
        }

        @Override
        public Schedule create(Arguments arguments) {
            return new ConstantRate();
        }
    }
}
