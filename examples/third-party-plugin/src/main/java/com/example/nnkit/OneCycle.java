package com.example.nnkit;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Schedule;

/**
 * The one-cycle policy (Smith and Topin, 2018) with linear ramps, spec
 * {@code one_cycle(epochs, peak_at=0.3, div=25, final_div=10000)}. With the optimizer's
 * {@code learning_rate} as the peak {@code alpha0} and the progress
 * {@code p = min(1, (step - 1) / (epochs * stepsPerEpoch))}:
 * <pre>{@code
 * start = alpha0 / div,   end = start / final_div
 * p <= peak_at:  alpha = start + (alpha0 - start) * p / peak_at                 rising
 * p >  peak_at:  alpha = alpha0 - (alpha0 - end) * (p - peak_at) / (1 - peak_at) falling
 * }</pre>
 * It does not start at {@code alpha0} but at {@code alpha0 / div}. {@code epochs >= 1};
 * {@code peak_at} in {@code (0, 1)}; {@code div} and {@code final_div} {@code >= 1}.
 */
public final class OneCycle implements Schedule {

    private final int epochs;
    private final double peakAt;
    private final double div;
    private final double finalDiv;

    OneCycle(int epochs, double peakAt, double div, double finalDiv) {
        this.epochs = epochs;
        this.peakAt = peakAt;
        this.div = div;
        this.finalDiv = finalDiv;
    }

    @Override
    public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
        double p = Math.min(1.0, (double) (step - 1) / ((double) epochs * stepsPerEpoch));
        double start = baseRate / div;
        if (p <= peakAt) {
            return start + (baseRate - start) * (p / peakAt);
        }
        double end = start / finalDiv;
        return baseRate - (baseRate - end) * ((p - peakAt) / (1.0 - peakAt));
    }

    @Override
    public String toString() {
        return PluginSpec.of("one_cycle").with("epochs", epochs).with("peak_at", peakAt).with("div", div)
                .with("final_div", finalDiv).toString();
    }

    /** Registers {@code one_cycle}. */
    public static final class Provider extends NamedProvider<Schedule> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Schedule.class, "one_cycle");
        }

        @Override
        public Schedule create(Arguments arguments) {
            int epochs = arguments.requireInt("epochs");
            if (epochs < 1) {
                throw arguments.invalid("epochs", epochs, ">= 1, the length of the cycle");
            }
            double peakAt = arguments.getDouble("peak_at", 0.3);
            if (!(peakAt > 0 && peakAt < 1)) {
                throw arguments.invalid("peak_at", peakAt, "in (0, 1), the fraction of the cycle spent rising");
            }
            double div = arguments.getDouble("div", 25.0);
            if (!(div >= 1 && Double.isFinite(div))) {
                throw arguments.invalid("div", div, ">= 1: the starting rate is learning_rate / div");
            }
            double finalDiv = arguments.getDouble("final_div", 10_000.0);
            if (!(finalDiv >= 1 && Double.isFinite(finalDiv))) {
                throw arguments.invalid("final_div", finalDiv, ">= 1: the final rate is the starting rate / final_div");
            }
            return new OneCycle(epochs, peakAt, div, finalDiv);
        }
    }
}
