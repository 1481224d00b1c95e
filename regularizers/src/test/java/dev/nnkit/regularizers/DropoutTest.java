package dev.nnkit.regularizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.Step;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Inverted dropout as an {@link ActivationTransform}, driven directly with the step contexts a
 * network would hand it ({@link Step#training}, {@link Step#checking}, {@link Step#inference}).
 */
class DropoutTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.defaults();

    private static ActivationTransform dropout(double keepProb) {
        return (ActivationTransform) REGISTRY.create(Regularizer.class, "dropout(keep_prob=" + keepProb + ")");
    }

    private static Step training(long seed) {
        return Step.training(new SplittableRandom(seed));
    }

    private static DMatrixRMaj ones(int rows, int cols) {
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        Arrays.fill(a.data, 0, a.getNumElements(), 1.0);
        return a;
    }

    /** Entries uniform in [lo, hi): nonzero when lo > 0, so a dropped position is recognisable. */
    private static DMatrixRMaj uniform(int rows, int cols, double lo, double hi, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < a.getNumElements(); k++) {
            a.data[k] = random.nextDouble(lo, hi);
        }
        return a;
    }

    /**
     * The mask MATH §7 describes, computed here independently of nnkit: entry by entry in row-major
     * order, 1 when the generator's next double is below keep_prob. Dropout has drawn exactly these
     * masks since its first version, so the same seed keeps giving the same training runs.
     */
    private static double[][] expectedMask(RandomGenerator random, int rows, int cols, double keepProb) {
        double[][] mask = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                mask[i][j] = random.nextDouble() < keepProb ? 1.0 : 0.0;
            }
        }
        return mask;
    }

    @Test
    void isAnActivationTransformAndNotAWeightPenalty() {
        Regularizer reg = REGISTRY.create(Regularizer.class, "dropout(keep_prob=0.5)");
        assertInstanceOf(ActivationTransform.class, reg);
        assertFalse(reg instanceof WeightPenalty, "dropout adds no penalty to the cost");
        assertTrue(((ActivationTransform) reg).isActive());
    }

    @Test
    void drawsTheSameMasksAsAnIndependentRowMajorComputation() {
        double p = 0.7;
        int rows = 6;
        int cols = 9;
        ActivationTransform reg = dropout(p);
        Step step = training(2024);
        SplittableRandom independent = new SplittableRandom(2024);
        DMatrixRMaj a = uniform(rows, cols, 0.5, 1.5, 1);
        for (int call = 0; call < 3; call++) { // consecutive steps continue the same stream
            DMatrixRMaj out = new DMatrixRMaj(rows, cols);
            reg.forward(a, out, step);
            double[][] mask = expectedMask(independent, rows, cols, p);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    assertEquals(a.get(i, j) * mask[i][j] / p, out.get(i, j), 0.0, "call " + call + ", (" + i + ", " + j + ")");
                }
            }
            DMatrixRMaj dA = ones(rows, cols);
            reg.backward(dA, step);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    assertEquals(mask[i][j] / p, dA.get(i, j), 0.0, "backward, call " + call + ", (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void keepsTheRightFractionAndScalesKeptUnitsByOneOverKeepProb() {
        double p = 0.8;
        DMatrixRMaj a = ones(1000, 1000);
        DMatrixRMaj out = new DMatrixRMaj(1000, 1000);
        dropout(p).forward(a, out, training(1));
        int n = out.getNumElements();
        double scaled = 1.0 / p;
        int kept = 0;
        for (int k = 0; k < n; k++) {
            double v = out.data[k];
            if (v == scaled) {
                kept++;
            } else {
                assertEquals(0.0, v, 0.0, "entry " + k + " is neither 0 nor 1/keep_prob");
            }
        }
        double fraction = (double) kept / n;
        // The kept count is Binomial(N, p): the fraction's standard error is sqrt(p(1-p)/N) = 4e-4;
        // allow 5 standard errors.
        double standardError = Math.sqrt(p * (1 - p) / n);
        assertEquals(p, fraction, 5 * standardError, "fraction of units kept");
        assertArrayEquals(ones(1000, 1000).data, a.data, 0.0, "A must not be modified");
    }

    @Test
    void preservesTheExpectedActivation() {
        double p = 0.6;
        DMatrixRMaj a = uniform(500, 400, 0.0, 2.0, 11);
        DMatrixRMaj out = new DMatrixRMaj(500, 400);
        dropout(p).forward(a, out, training(2));
        int n = a.getNumElements();
        double sumA = 0.0;
        double sumOut = 0.0;
        double sumSquaresA = 0.0;
        for (int k = 0; k < n; k++) {
            sumA += a.data[k];
            sumOut += out.data[k];
            sumSquaresA += a.data[k] * a.data[k];
        }
        // Given A, mean(out) - mean(A) = (1/N) sum a_k (D_k/p - 1) with independent D_k ~ Bernoulli(p):
        // zero mean and variance (1/N^2) sum a_k^2 (1-p)/p. Allow 5 standard errors (about 0.008 here).
        double standardError = Math.sqrt(sumSquaresA * (1 - p) / p) / n;
        assertEquals(sumA / n, sumOut / n, 5 * standardError, "mean of out vs mean of A");
    }

    @Test
    void consecutiveForwardPassesDrawFreshMasks() {
        double p = 0.5;
        int rows = 200;
        int cols = 100;
        DMatrixRMaj a = ones(rows, cols);
        DMatrixRMaj first = new DMatrixRMaj(rows, cols);
        DMatrixRMaj second = new DMatrixRMaj(rows, cols);
        ActivationTransform reg = dropout(p);
        Step step = training(3);
        reg.forward(a, first, step);
        reg.forward(a, second, step);
        int n = rows * cols;
        int differing = 0;
        for (int k = 0; k < n; k++) {
            if (first.data[k] != second.data[k]) {
                differing++;
            }
        }
        // Two independent masks differ at a position with probability q = 2p(1-p) = 0.5; the
        // differing fraction has standard error sqrt(q(1-q)/N). A reused mask would give 0.
        double q = 2 * p * (1 - p);
        assertEquals(q, (double) differing / n, 5 * Math.sqrt(q * (1 - q) / n), "fraction of changed mask entries");
    }

    @Test
    void backwardAppliesTheMaskOfTheLastForwardOfTheSameStep() {
        double p = 0.7;
        int rows = 30;
        int cols = 20;
        DMatrixRMaj a = uniform(rows, cols, 0.5, 1.5, 21);
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        ActivationTransform reg = dropout(p);
        Step step = training(4);
        // Two forwards: backward must use the second (the last) mask, not the first.
        reg.forward(a, new DMatrixRMaj(rows, cols), step);
        reg.forward(a, out, step);
        // another step in between keeps its own mask and does not disturb this one
        reg.forward(a, new DMatrixRMaj(rows, cols), training(40));
        DMatrixRMaj gradient = uniform(rows, cols, 0.5, 1.5, 22);
        DMatrixRMaj dA = gradient.copy();
        reg.backward(dA, step);
        int dropped = 0;
        for (int k = 0; k < rows * cols; k++) {
            if (out.data[k] == 0.0) {
                dropped++;
                assertEquals(0.0, dA.data[k], 0.0, "dropped position " + k + " must get zero gradient");
            } else {
                assertEquals(a.data[k] / p, out.data[k], Math.ulp(a.data[k] / p), "forward at " + k);
                double expected = gradient.data[k] / p;
                assertEquals(expected, dA.data[k], Math.ulp(expected), "kept position " + k);
            }
        }
        assertTrue(dropped > 0 && dropped < rows * cols, "the test needs both dropped and kept units: " + dropped);
    }

    @Test
    void sameSeedGivesSameMaskAndAnotherSeedAnother() {
        DMatrixRMaj a = ones(50, 40);
        DMatrixRMaj x = new DMatrixRMaj(50, 40);
        DMatrixRMaj y = new DMatrixRMaj(50, 40);
        DMatrixRMaj z = new DMatrixRMaj(50, 40);
        dropout(0.8).forward(a, x, training(99));
        dropout(0.8).forward(a, y, training(99));
        dropout(0.8).forward(a, z, training(100));
        assertArrayEquals(x.data, y.data, 0.0);
        assertFalse(Arrays.equals(x.data, z.data));
    }

    @Test
    void outsideTrainingNothingIsDroppedRescaledOrDrawn() {
        ActivationTransform reg = dropout(0.5);
        DMatrixRMaj a = uniform(10, 8, -1.0, 1.0, 5);
        double[] original = a.data.clone();
        // checking and inference steps refuse to hand out random numbers: a draw would throw
        for (Step step : new Step[] {Step.checking(), Step.inference()}) {
            DMatrixRMaj out = new DMatrixRMaj(10, 8);
            reg.forward(a, out, step);
            assertArrayEquals(original, out.data, 0.0, step.mode() + ": forward copies");
            DMatrixRMaj dA = uniform(10, 8, -1.0, 1.0, 6);
            double[] gradient = dA.data.clone();
            reg.backward(dA, step);
            assertArrayEquals(gradient, dA.data, 0.0, step.mode() + ": backward leaves dA");
        }
        // in place, as the network runs inference
        reg.forward(a, a, Step.inference());
        assertArrayEquals(original, a.data, 0.0);
    }

    @Test
    void keepProbOneIsOff() {
        ActivationTransform reg = dropout(1.0);
        assertFalse(reg.isActive());
        assertEquals("dropout(keep_prob=1.0)", reg.toString());
        // If called anyway it is the identity: every unit is kept and divided by 1.
        DMatrixRMaj a = uniform(10, 10, -1.0, 1.0, 5);
        DMatrixRMaj out = new DMatrixRMaj(10, 10);
        reg.forward(a, out, training(6));
        assertArrayEquals(a.data, out.data, 0.0);
    }

    @Test
    void anOutputOfAnotherShapeIsRefused() {
        ActivationTransform reg = dropout(0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reg.forward(ones(4, 3), new DMatrixRMaj(4, 2), training(9)));
        assertTrue(e.getMessage().contains("(4, 3)") && e.getMessage().contains("(4, 2)"), e.getMessage());
    }

    @Test
    void theMaskLivesInTheStepNotInTheInstance() {
        // one instance serves two steps at once (two threads, two batches): each backward gets its own step's mask
        ActivationTransform reg = dropout(0.5);
        Step first = training(7);
        Step second = training(8);
        DMatrixRMaj outFirst = new DMatrixRMaj(6, 5);
        DMatrixRMaj outSecond = new DMatrixRMaj(6, 5);
        reg.forward(ones(6, 5), outFirst, first);
        reg.forward(ones(6, 5), outSecond, second);
        assertFalse(Arrays.equals(outFirst.data, outSecond.data));
        DMatrixRMaj dFirst = ones(6, 5);
        DMatrixRMaj dSecond = ones(6, 5);
        reg.backward(dFirst, first);
        reg.backward(dSecond, second);
        // with A = 1 and dA = 1, forward and backward both give D / keep_prob
        assertArrayEquals(outFirst.data, dFirst.data, 0.0);
        assertArrayEquals(outSecond.data, dSecond.data, 0.0);
        DMatrixRMaj mask = first.buffer(0, 6, 5);
        for (int k = 0; k < 30; k++) {
            assertEquals(outFirst.data[k] * 0.5, mask.data[k], 0.0, "buffer 0 holds the mask");
        }
    }

    @Test
    void shrinkingTheBatchReusesTheMaskCorrectly() {
        // A full batch then a smaller last batch: the smaller shape must use the front of the buffer.
        ActivationTransform reg = dropout(0.5);
        Step step = training(10);
        reg.forward(ones(8, 64), new DMatrixRMaj(8, 64), step);
        DMatrixRMaj bufferAfterFullBatch = step.buffer(0, 8, 64);
        DMatrixRMaj out = new DMatrixRMaj(8, 5);
        reg.forward(ones(8, 5), out, step);
        assertSame(bufferAfterFullBatch, step.buffer(0, 8, 5), "the mask buffer is reused, not reallocated");
        DMatrixRMaj dA = ones(8, 5);
        reg.backward(dA, step);
        // With A = 1 and dA = 1, forward and backward both give D / keep_prob: they must agree.
        assertArrayEquals(out.data, dA.data, 0.0);
    }

    @Test
    void steadyStateAllocatesNothing() throws ReflectiveOperationException {
        // The HotSpot per-thread allocation counter, reached reflectively because the tests are
        // compiled inside module dev.nnkit.regularizers, which does not read jdk.management.
        Object threads = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean").invoke(null);
        Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
        assumeTrue(hotspot.isInstance(threads), "allocation counter not available");
        assumeTrue((Boolean) hotspot.getMethod("isThreadAllocatedMemoryEnabled").invoke(threads));
        Method allocatedBytes = hotspot.getMethod("getThreadAllocatedBytes", long.class);
        ActivationTransform reg = dropout(0.8);
        Step step = training(12);
        DMatrixRMaj a = ones(100, 50);
        DMatrixRMaj out = new DMatrixRMaj(100, 50);
        DMatrixRMaj dA = ones(100, 50);
        for (int i = 0; i < 200; i++) {
            reg.forward(a, out, step);
            reg.backward(dA, step);
        }
        long thread = Thread.currentThread().getId();
        long before = (Long) allocatedBytes.invoke(threads, thread);
        for (int i = 0; i < 100; i++) {
            reg.forward(a, out, step);
            reg.backward(dA, step);
        }
        long allocated = (Long) allocatedBytes.invoke(threads, thread) - before;
        // A mask allocated per call would cost 100 * 40,000 bytes = 4 MB; allow 64 KB for the
        // measurement itself (boxing, reflective call).
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes in 100 steps");
        assertNotEquals(0.0, out.data[0] + out.data[1] + out.data[2], "sanity: something was kept");
    }
}
