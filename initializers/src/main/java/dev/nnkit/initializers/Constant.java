package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Every weight set to one value, spec {@code constant(value=c)}: {@code W = c}; mean {@code c},
 * variance 0. {@code value} is required and may be any finite number. Draws no random numbers.
 *
 * <p>Like {@link Zeros zeros}, a constant starting point is symmetric (MATH §4): all hidden units of
 * the layer compute the same function and receive the same gradient, so they never become
 * different. Use it to demonstrate that problem, or for tests; train with a random initializer.
 */
public final class Constant implements Initializer {

    private final double value;

    Constant(double value) {
        this.value = value;
    }

    @Override
    public void initialize(DMatrixRMaj w, RandomGenerator random) {
        Arrays.fill(w.data, 0, w.getNumElements(), value);
    }

    @Override
    public double variance(int fanIn, int fanOut) {
        Initializers.checkFans(this, fanIn, fanOut);
        return 0.0;
    }

    @Override
    public double mean() {
        return value;
    }

    @Override
    public String toString() {
        return PluginSpec.of("constant").with("value", value).toString();
    }

    /** Registers {@code constant(value=c)}. */
    public static final class Provider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Initializer.class, "constant");
        }

        @Override
        public Initializer create(Arguments arguments) {
            return new Constant(arguments.requireDouble("value"));
        }
    }
}
