package dev.nnkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The trainer's re-seedable generator against the JDK's {@link SplittableRandom}, the reference. */
class SplitMixTest {

    @Test
    void drawsWhatSplittableRandomDrawsForEveryMethodTheTrainingLoopAndPluginsUse() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE, 0x9E3779B97F4A7C15L}) {
            SplittableRandom reference = new SplittableRandom(seed);
            SplitMix mine = new SplitMix(seed);
            for (int k = 0; k < 2_000; k++) {
                int bound = 1 + (k * 7919) % 100_000;
                assertEquals(reference.nextLong(), mine.nextLong(), "nextLong, seed " + seed + ", draw " + k);
                assertEquals(reference.nextInt(), mine.nextInt(), "nextInt");
                assertEquals(reference.nextInt(bound), mine.nextInt(bound), "nextInt(" + bound + ")");
                assertEquals(reference.nextDouble(), mine.nextDouble(), "nextDouble");
                assertEquals(reference.nextGaussian(), mine.nextGaussian(), "nextGaussian");
                assertEquals(reference.nextFloat(), mine.nextFloat(), "nextFloat");
                assertEquals(reference.nextBoolean(), mine.nextBoolean(), "nextBoolean");
                assertEquals(reference.nextLong(1L << 40), mine.nextLong(1L << 40), "nextLong(bound)");
            }
        }
    }

    @Test
    void splittingMatchesSplitAndLeavesBothStreamsWhereTheJdkLeavesThem() {
        SplittableRandom reference = new SplittableRandom(2024);
        SplitMix parent = new SplitMix(2024);
        SplitMix child = new SplitMix(0);
        for (int round = 0; round < 50; round++) {
            SplittableRandom referenceChild = reference.split();
            child.splitFrom(parent);
            for (int k = 0; k < 20; k++) {
                assertEquals(referenceChild.nextLong(), child.nextLong(), "child draw " + k + " of split " + round);
            }
            assertEquals(reference.nextLong(), parent.nextLong(), "parent after split " + round);
        }
    }

    @Test
    void resetRestartsTheStream() {
        SplitMix mine = new SplitMix(5);
        long first = mine.nextLong();
        mine.nextLong();
        mine.reset(5);
        assertEquals(first, mine.nextLong());
    }
}
