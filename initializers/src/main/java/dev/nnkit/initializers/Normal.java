package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * A normal distribution of fixed width, spec {@code normal(std=0.05)}: each entry is drawn from
 * {@code N(0, std^2)} as {@code std * random.nextGaussian()} (not truncated); mean 0, variance
 * {@code std^2} whatever the fans. {@code std > 0}, default {@code 0.05}.
 *
 * <p>Useful to show the variance-preservation argument of MATH §4: with fan-in 100 and
 * {@code Var(x) = 1}, {@code std=0.1} keeps {@code Var(z) = 1}, {@code std=0.5} gives 25 (explodes)
 * and {@code std=0.01} gives 0.01 (vanishes).
 */
public final class Normal implements Initializer {

    private final double std;

    Normal(double std) {
        this.std = std;
    }

    @Override
    public void initialize(DMatrixRMaj w, RandomGenerator random) {
        Initializers.fillNormal(w, random, std);
    }

    @Override
    public double variance(int fanIn, int fanOut) {
        Initializers.checkFans(this, fanIn, fanOut);
        return std * std;
    }

    @Override
    public String toString() {
        return PluginSpec.of("normal").with("std", std).toString();
    }

    /** Registers {@code normal(std=0.05)}. */
    public static final class Provider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Initializer.class, "normal");
        }

        @Override
        public Initializer create(Arguments arguments) {
            return new Normal(Initializers.positive(arguments, "std", 0.05));
        }
    }
}
