package dev.nnkit.schedules;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Schedule;

/**
 * Linear warm-up in front of any schedule, spec {@code warmup(steps, then=constant)}, e.g.
 * {@code warmup(steps=500, then=cosine(epochs=20))}: the first {@code steps} steps scale the rate
 * of {@code then} by {@code step / steps}, so it rises linearly from {@code 1/steps} of it to all
 * of it, and every later step runs at the rate of {@code then}:
 * {@code alpha = min(1, step / steps) * then(alpha0, step, epoch)}. The inner schedule sees the
 * same position (the same clock), so {@code then=step_decay(every=6)} still drops after epoch 6.
 * Does not start at {@code alpha0} (unless {@code steps = 1}).
 *
 * <p>{@code then} is a nested spec, made by the registry that makes this schedule
 * ({@link Arguments#getPlugin}); any schedule can follow a warm-up, including a third party's.
 */
public final class LinearWarmup implements Schedule {

    private final int steps;
    private final Schedule then;

    LinearWarmup(int steps, Schedule then) {
        this.steps = steps;
        this.then = then;
    }

    @Override
    public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
        double rate = then.learningRate(baseRate, step, epoch, stepsPerEpoch);
        return step >= steps ? rate : rate * ((double) step / steps);
    }

    @Override
    public String toString() {
        return PluginSpec.of("warmup").with("steps", steps).with("then", then).toString();
    }

    /** Registers {@code warmup}. */
    public static final class Provider extends NamedProvider<Schedule> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Schedule.class, "warmup");
        }

        @Override
        public Schedule create(Arguments arguments) {
            int steps = arguments.requireInt("steps");
            if (steps < 1) {
                throw arguments.invalid("steps", steps, ">= 1, the steps over which the rate rises");
            }
            return new LinearWarmup(steps, arguments.getPlugin(Schedule.class, "then", "constant"));
        }
    }
}
