package dev.nnkit.internal;

import java.util.random.RandomGenerator;

/**
 * The SplitMix64 generator of {@link java.util.SplittableRandom}, draw for draw, but re-seedable
 * in place: the trainer moves its streams to each epoch's seed with {@link #reset} and
 * {@link #splitFrom} instead of creating new generators, so an epoch allocates nothing. Not
 * thread-safe; one per training run.
 */
public final class SplitMix implements RandomGenerator {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long seed;
    private long gamma;

    /** A generator in the state of {@code new SplittableRandom(seed)}. */
    public SplitMix(long seed) {
        reset(seed);
    }

    /** Moves to the state of {@code new SplittableRandom(seed)}. */
    public void reset(long seed) {
        this.seed = seed;
        this.gamma = GOLDEN_GAMMA;
    }

    /** Moves to the state of {@code parent.split()}, advancing {@code parent} as that call does. */
    public void splitFrom(SplitMix parent) {
        long childSeed = parent.nextLong();
        long childGamma = mixGamma(parent.nextSeed());
        this.seed = childSeed;
        this.gamma = childGamma;
    }

    @Override
    public long nextLong() {
        return mix64(nextSeed());
    }

    @Override
    public int nextInt() {
        return mix32(nextSeed());
    }

    private long nextSeed() {
        return seed += gamma;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    /** An odd gamma with enough bit transitions, as {@code SplittableRandom} derives a child's. */
    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int transitions = Long.bitCount(z ^ (z >>> 1));
        return transitions < 24 ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }

    /**
     * The seed of one epoch's random stream, a function of the seed and the epoch number only, so
     * that a resumed run draws the same shuffles and dropout masks as an uninterrupted one.
     */
    public static long epochSeed(long seed, int epoch) {
        // the finalizer of SplitMix64 spreads (seed, epoch) over the whole 64-bit seed space
        long z = seed + 0x9E3779B97F4A7C15L * epoch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
