package dev.nnkit.regularizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Regularizer;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class DropoutTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.defaults();

    private static Regularizer dropout(double keepProb) {
        return REGISTRY.create(Regularizer.class, "dropout(keep_prob=" + keepProb + ")");
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

    @Test
    void keepsTheRightFractionAndScalesKeptUnitsByOneOverKeepProb() {
        double p = 0.8;
        DMatrixRMaj a = ones(1000, 1000);
        DMatrixRMaj out = new DMatrixRMaj(1000, 1000);
        Regularizer reg = dropout(p);
        assertTrue(reg.actsOnActivations());
        reg.forwardTraining(a, out, new SplittableRandom(1));
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
        dropout(p).forwardTraining(a, out, new SplittableRandom(2));
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
    void consecutiveForwardCallsDrawFreshMasks() {
        double p = 0.5;
        int rows = 200;
        int cols = 100;
        DMatrixRMaj a = ones(rows, cols);
        DMatrixRMaj first = new DMatrixRMaj(rows, cols);
        DMatrixRMaj second = new DMatrixRMaj(rows, cols);
        Regularizer reg = dropout(p);
        SplittableRandom random = new SplittableRandom(3);
        reg.forwardTraining(a, first, random);
        reg.forwardTraining(a, second, random);
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
    void backwardAppliesTheMaskOfTheLastForward() {
        double p = 0.7;
        int rows = 30;
        int cols = 20;
        DMatrixRMaj a = uniform(rows, cols, 0.5, 1.5, 21);
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        Regularizer reg = dropout(p);
        SplittableRandom random = new SplittableRandom(4);
        // Two forwards: backward must use the second (the last) mask, not the first.
        reg.forwardTraining(a, new DMatrixRMaj(rows, cols), random);
        reg.forwardTraining(a, out, random);
        DMatrixRMaj gradient = uniform(rows, cols, 0.5, 1.5, 22);
        DMatrixRMaj dA = gradient.copy();
        reg.backwardTraining(dA);
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
        dropout(0.8).forwardTraining(a, x, new SplittableRandom(99));
        dropout(0.8).forwardTraining(a, y, new SplittableRandom(99));
        dropout(0.8).forwardTraining(a, z, new SplittableRandom(100));
        assertArrayEquals(x.data, y.data, 0.0);
        assertFalse(Arrays.equals(x.data, z.data));
    }

    @Test
    void keepProbOneIsOff() {
        Regularizer reg = dropout(1.0);
        assertFalse(reg.actsOnActivations());
        assertEquals("dropout(keep_prob=1.0)", reg.toString());
        // If called anyway it is the identity.
        DMatrixRMaj a = uniform(10, 10, -1.0, 1.0, 5);
        DMatrixRMaj out = new DMatrixRMaj(10, 10);
        reg.forwardTraining(a, out, new SplittableRandom(6));
        assertArrayEquals(a.data, out.data, 0.0);
    }

    @Test
    void hasNoWeightPenalty() {
        Regularizer reg = dropout(0.5);
        DMatrixRMaj w = ones(3, 3);
        DMatrixRMaj dW = uniform(3, 3, -1.0, 1.0, 8);
        double[] before = dW.data.clone();
        assertEquals(0.0, reg.penalty(w, 4));
        reg.addPenaltyGradient(w, 4, dW);
        assertArrayEquals(before, dW.data, 0.0);
    }

    @Test
    void backwardWithoutOrWithAnotherShapeThanForwardFails() {
        Regularizer reg = dropout(0.5);
        assertThrows(IllegalStateException.class, () -> reg.backwardTraining(new DMatrixRMaj(4, 3)));
        reg.forwardTraining(ones(4, 3), new DMatrixRMaj(4, 3), new SplittableRandom(9));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> reg.backwardTraining(new DMatrixRMaj(3, 4)));
        assertTrue(e.getMessage().contains("(3, 4)") && e.getMessage().contains("(4, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> reg.forwardTraining(ones(4, 3), new DMatrixRMaj(4, 2), new SplittableRandom(9)));
    }

    @Test
    void shrinkingTheBatchReusesTheMaskCorrectly() {
        // A full batch then a smaller last batch: the smaller shape must use the front of the buffer.
        Regularizer reg = dropout(0.5);
        SplittableRandom random = new SplittableRandom(10);
        reg.forwardTraining(ones(8, 64), new DMatrixRMaj(8, 64), random);
        DMatrixRMaj out = new DMatrixRMaj(8, 5);
        reg.forwardTraining(ones(8, 5), out, random);
        DMatrixRMaj dA = ones(8, 5);
        reg.backwardTraining(dA);
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
        Regularizer reg = dropout(0.8);
        SplittableRandom random = new SplittableRandom(12);
        DMatrixRMaj a = ones(100, 50);
        DMatrixRMaj out = new DMatrixRMaj(100, 50);
        DMatrixRMaj dA = ones(100, 50);
        for (int i = 0; i < 200; i++) {
            reg.forwardTraining(a, out, random);
            reg.backwardTraining(dA);
        }
        long thread = Thread.currentThread().getId();
        long before = (Long) allocatedBytes.invoke(threads, thread);
        for (int i = 0; i < 100; i++) {
            reg.forwardTraining(a, out, random);
            reg.backwardTraining(dA);
        }
        long allocated = (Long) allocatedBytes.invoke(threads, thread) - before;
        // A mask allocated per call would cost 100 * 40,000 bytes = 4 MB; allow 64 KB for the
        // measurement itself (boxing, reflective call).
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes in 100 steps");
        assertNotEquals(0.0, out.data[0] + out.data[1] + out.data[2], "sanity: something was kept");
    }
}
