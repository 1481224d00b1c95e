package dev.nnkit.random;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.RandomSource;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The default random source, spec {@code splittable}: {@code new SplittableRandom(seed)}, the
 * generator every nnkit network was initialized from before random sources existed, so a network
 * built without naming a source starts from the same weights as before.
 */
public final class SplittableSource implements RandomSource {

    /** The spec of the default source. */
    public static final String NAME = "splittable";

    SplittableSource() {
    }

    @Override
    public RandomGenerator generator(long seed) {
        return new SplittableRandom(seed);
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** Registers {@code splittable}. */
    public static final class Provider extends NamedProvider<RandomSource> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(RandomSource.class, NAME);
        }

        @Override
        public RandomSource create(Arguments arguments) {
            return new SplittableSource();
        }
    }
}
