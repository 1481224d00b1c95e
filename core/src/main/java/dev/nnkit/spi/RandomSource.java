package dev.nnkit.spi;

import java.util.random.RandomGenerator;

/**
 * Where a network's random numbers come from: a factory of seeded generators, chosen by a spec
 * string like every other plugin ({@code Network.builder(2).random("numpy_legacy")}, the
 * {@code "random"} field of a network config). Core ships two:
 * <ul>
 *   <li>{@code splittable}, the default: {@link java.util.SplittableRandom} seeded with the
 *       network's seed, what every nnkit network used before random sources existed;</li>
 *   <li>{@code numpy_legacy} or {@code numpy_legacy(seed=N)}: NumPy's legacy {@code RandomState}
 *       (MT19937) bit for bit, seeded as {@code np.random.seed(N)} seeds it, so that a network
 *       starts from the same weights as a NumPy program that calls {@code np.random.seed(N)} and
 *       then draws {@code W[1]}, {@code W[2]}, ... with {@code np.random.randn}.</li>
 * </ul>
 *
 * <p>Who calls what: {@code Network.fromConfig} asks the configured source for one generator,
 * seeded with the config's seed, and hands it to every layer's
 * {@link Layer#initialize(Initializer, RandomGenerator)} in layer order, so the layers draw one
 * stream one after the other, as a program that seeds once and initializes layer by layer does.
 * Data generators and shuffles that take a {@link RandomGenerator} can be given a generator of the
 * same source.
 *
 * <p>Contract: {@link #generator} returns a new, independent generator each call; two calls with
 * the same seed return generators that produce the same sequence, bit for bit, on every platform.
 * A source that accepts only some seeds (NumPy's legacy seeding takes {@code 0 <= seed < 2^32})
 * refuses the others with an {@link IllegalArgumentException} naming the seed and the range, never
 * by folding it silently. {@code toString()} gives the spec string, e.g. {@code numpy_legacy(seed=2)}.
 */
@FunctionalInterface
public interface RandomSource {

    /**
     * A new generator at the start of the stream {@code seed} selects.
     *
     * @param seed the seed, usually the network's; a source whose spec fixes its own seed ignores it
     * @return a new generator, never null, owned by the caller (not thread-safe unless the
     *         implementation says so)
     * @throws IllegalArgumentException when the source cannot take this seed
     */
    RandomGenerator generator(long seed);

    /**
     * The generator of one epoch of training: the trainer draws the epoch's mini-batch order from
     * it first ({@code 0..m-1} shuffled from the last position down, each swap partner drawn with
     * {@code nextInt(k + 1)}, which is {@code np.random.permutation(m)} for {@code numpy_legacy}),
     * then the epoch's dropout masks. The default, {@code generator(seed + epoch)}, is what a
     * NumPy program does that calls {@code np.random.seed(seed + epoch)} before each epoch's
     * permutation, as the course's {@code random_mini_batches} does.
     *
     * <p>The default source, {@code splittable}, is not asked: its training streams are the
     * trainer's own, split per epoch from the seed, as they were before random sources existed.
     *
     * @param seed  the training seed ({@code Hyperparameters.seed()}), not the network's
     * @param epoch the epoch, from 1
     * @throws IllegalArgumentException when the source cannot take the seed this gives
     */
    default RandomGenerator epochGenerator(long seed, int epoch) {
        return generator(seed + epoch);
    }
}
