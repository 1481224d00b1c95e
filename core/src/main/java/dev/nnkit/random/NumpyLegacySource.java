package dev.nnkit.random;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.RandomSource;
import java.util.random.RandomGenerator;

/**
 * NumPy's legacy generator as a random source, spec {@code numpy_legacy} or
 * {@code numpy_legacy(seed=N)}: each generator is a {@link NumpyRandomState} in the state
 * {@code np.random.seed(N)} leaves, with {@code N} the spec's {@code seed} when given, else the seed
 * the caller hands in (the network's). A network built with it draws {@code W[1]}, then
 * {@code W[2]}, ... from one stream, each in C order, as
 * <pre>{@code
 * np.random.seed(N)
 * for l in range(1, L + 1):
 *     W[l] = np.random.randn(n[l], n[l-1]) * scale    # the initializer's scale
 *     b[l] = np.zeros((n[l], 1))
 * }</pre>
 * does; {@code small_random(scale=0.01)}, {@code normal(std=10)}, {@code he_normal}
 * ({@code * sqrt(2 / n[l-1])}) and the other normal initializers multiply each draw by their
 * standard deviation, as NumPy multiplies the array.
 *
 * <p>Seeds: {@code 0 <= N <= 2^32 - 1}, as {@code np.random.seed} accepts; anything else is refused
 * with the range, when the spec is read ({@code seed=} argument) or when a generator is asked for
 * (the network's seed).
 */
public final class NumpyLegacySource implements RandomSource {

    /** The spec name. */
    public static final String NAME = "numpy_legacy";

    private final Long seed;

    NumpyLegacySource(Long seed) {
        this.seed = seed;
    }

    /** The source with its own seed, spec {@code numpy_legacy(seed=N)}. */
    public static NumpyLegacySource seeded(long seed) {
        check(seed, "seed");
        return new NumpyLegacySource(seed);
    }

    @Override
    public RandomGenerator generator(long seed) {
        long n = this.seed != null ? this.seed : seed;
        if (this.seed == null) {
            check(n, "the network's seed");
        }
        return new NumpyRandomState(n);
    }

    /**
     * {@code np.random.seed(seed + epoch)}: the training seed, not the spec's, which chose the
     * initial weights; so {@code numpy_legacy(seed=2)} still orders every epoch differently.
     */
    @Override
    public RandomGenerator epochGenerator(long seed, int epoch) {
        long n = seed + epoch;
        check(n, "the training seed + epoch (" + seed + " + " + epoch + ")");
        return new NumpyRandomState(n);
    }

    private static void check(long seed, String what) {
        if (seed < 0 || seed > NumpyRandomState.MAX_SEED) {
            throw new IllegalArgumentException(NAME + ": " + what + " is " + seed
                    + "; NumPy's legacy seeding takes 0 <= seed <= 2^32 - 1 = " + NumpyRandomState.MAX_SEED);
        }
    }

    @Override
    public String toString() {
        return seed == null ? NAME : PluginSpec.of(NAME).with("seed", seed).toString();
    }

    /** Registers {@code numpy_legacy(seed)}; {@code seed} is optional. */
    public static final class Provider extends NamedProvider<RandomSource> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(RandomSource.class, NAME);
        }

        @Override
        public RandomSource create(Arguments arguments) {
            String raw = arguments.getString("seed", null);
            if (raw == null) {
                return new NumpyLegacySource(null);
            }
            long seed;
            try {
                seed = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                throw arguments.invalid("seed", raw, "a whole number between 0 and 2^32 - 1 = " + NumpyRandomState.MAX_SEED);
            }
            if (seed < 0 || seed > NumpyRandomState.MAX_SEED) {
                throw arguments.invalid("seed", raw, "between 0 and 2^32 - 1 = " + NumpyRandomState.MAX_SEED
                        + ", as np.random.seed accepts");
            }
            return new NumpyLegacySource(seed);
        }
    }
}
