package dev.nnkit.schedules;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Schedule;

/**
 * Cosine decay (Loshchilov and Hutter's SGDR without restarts), spec
 * {@code cosine(epochs, min_factor=0)}: over the first {@code epochs} epochs the rate falls along a
 * half cosine from {@code alpha0} to {@code min_factor * alpha0}, step by step, and stays there:
 * {@code alpha = alpha0 * (1 - (1 - min_factor) (1 - cos(pi p)) / 2)} with the progress
 * {@code p = min(1, (step - 1) / (epochs * stepsPerEpoch))}. Starts at {@code alpha0} exactly.
 */
public final class CosineDecay implements Schedule {

    private final int epochs;
    private final double minFactor;

    CosineDecay(int epochs, double minFactor) {
        this.epochs = epochs;
        this.minFactor = minFactor;
    }

    @Override
    public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
        double progress = Math.min(1.0, (double) (step - 1) / ((double) epochs * stepsPerEpoch));
        return baseRate * (1.0 - (1.0 - minFactor) * 0.5 * (1.0 - Math.cos(Math.PI * progress)));
    }

    @Override
    public String toString() {
        return PluginSpec.of("cosine").with("epochs", epochs).with("min_factor", minFactor).toString();
    }

    /** Registers {@code cosine}. */
    public static final class Provider extends NamedProvider<Schedule> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Schedule.class, "cosine");
        }

        @Override
        public Schedule create(Arguments arguments) {
            int epochs = arguments.requireInt("epochs");
            if (epochs < 1) {
                throw arguments.invalid("epochs", epochs, ">= 1, the epochs over which the rate falls");
            }
            double minFactor = arguments.getDouble("min_factor", 0.0);
            if (!(minFactor >= 0 && minFactor <= 1)) {
                throw arguments.invalid("min_factor", minFactor, "in [0, 1], the final rate as a fraction of the base rate");
            }
            return new CosineDecay(epochs, minFactor);
        }
    }
}
