package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * The lecture notes' small random weights, spec {@code small_random(scale=0.01)}:
 * {@code W = scale * randn(n[l], n[l-1])} (MATH §4), each entry {@code scale * random.nextGaussian()};
 * mean 0, variance {@code scale^2} whatever the fans. {@code scale > 0}, default {@code 0.01}.
 *
 * <p>Small so that tanh and sigmoid units start in their steep region near 0. The variance does not
 * depend on the fan-in, so in a deep or wide network the signal shrinks layer after layer
 * ({@code Var(z) = n * scale^2 * Var(x)}; fan-in 100: {@code 0.01 Var(x)}); the fan-aware
 * initializers ({@link LecunNormal lecun_normal}, {@link XavierNormal xavier_normal},
 * {@link HeNormal he_normal}) avoid that.
 */
public final class SmallRandom implements Initializer {

    private final double scale;

    SmallRandom(double scale) {
        this.scale = scale;
    }

    @Override
    public void initialize(DMatrixRMaj w, RandomGenerator random) {
        Initializers.fillNormal(w, random, scale);
    }

    @Override
    public double variance(int fanIn, int fanOut) {
        Initializers.checkFans(this, fanIn, fanOut);
        return scale * scale;
    }

    @Override
    public String toString() {
        return PluginSpec.of("small_random").with("scale", scale).toString();
    }

    /** Registers {@code small_random(scale=0.01)}. */
    public static final class Provider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Initializer.class, "small_random");
        }

        @Override
        public Initializer create(Arguments arguments) {
            return new SmallRandom(Initializers.positive(arguments, "scale", 0.01));
        }
    }
}
