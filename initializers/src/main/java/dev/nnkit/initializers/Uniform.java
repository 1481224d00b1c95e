package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * A uniform distribution of fixed width, spec {@code uniform(limit=0.05)}: each entry is drawn from
 * {@code U[-limit, limit)} as {@code limit * (2 u - 1)} with {@code u = random.nextDouble()}, so
 * {@code |w| <= limit}; mean 0, variance {@code limit^2 / 3} whatever the fans.
 * {@code limit > 0}, default {@code 0.05}.
 */
public final class Uniform implements Initializer {

    private final double limit;

    Uniform(double limit) {
        this.limit = limit;
    }

    @Override
    public void initialize(DMatrixRMaj w, RandomGenerator random) {
        Initializers.fillUniform(w, random, limit);
    }

    @Override
    public double variance(int fanIn, int fanOut) {
        Initializers.checkFans(this, fanIn, fanOut);
        return limit * limit / 3.0;
    }

    @Override
    public String toString() {
        return PluginSpec.of("uniform").with("limit", limit).toString();
    }

    /** Registers {@code uniform(limit=0.05)}. */
    public static final class Provider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Initializer.class, "uniform");
        }

        @Override
        public Initializer create(Arguments arguments) {
            return new Uniform(Initializers.positive(arguments, "limit", 0.05));
        }
    }
}
