package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.StepContext.Mode;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** The step context as a test of one layer or transform makes it. */
class StepTest {

    @Test
    void theModesSayWhatAPassDoes() {
        assertTrue(Mode.TRAINING.usesBatchStatistics() && Mode.TRAINING.isStochastic() && Mode.TRAINING.updatesState());
        assertTrue(Mode.CHECKING.usesBatchStatistics());
        assertFalse(Mode.CHECKING.isStochastic() || Mode.CHECKING.updatesState());
        assertFalse(Mode.INFERENCE.usesBatchStatistics() || Mode.INFERENCE.isStochastic() || Mode.INFERENCE.updatesState());
        assertEquals(Mode.TRAINING, Step.training(new SplittableRandom(1)).mode());
        assertEquals(Mode.CHECKING, Step.checking().mode());
        assertEquals(Mode.INFERENCE, Step.inference().mode());
    }

    @Test
    void onlyATrainingStepHandsOutRandomNumbers() {
        SplittableRandom random = new SplittableRandom(3);
        assertSame(random, Step.training(random).random());
        for (Step step : new Step[] {Step.checking(), Step.inference()}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, step::random);
            assertTrue(e.getMessage().startsWith("part 0 asked for random numbers in a " + step.mode() + " pass"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> step.drawMask(new DMatrixRMaj(2, 2), 0.5));
        }
        assertThrows(NullPointerException.class, () -> Step.training(null));
    }

    @Test
    void masksAreDrawnRowMajorAsNextDoubleBelowKeepProb() {
        Step step = Step.training(new SplittableRandom(42));
        DMatrixRMaj first = new DMatrixRMaj(3, 5);
        DMatrixRMaj second = new DMatrixRMaj(2, 4);
        step.drawMask(first, 0.6);
        step.drawMask(second, 0.3);
        SplittableRandom independent = new SplittableRandom(42);
        int kept = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                double expected = independent.nextDouble() < 0.6 ? 1.0 : 0.0;
                assertEquals(expected, first.get(i, j), "D[" + i + ", " + j + "]");
                kept += (int) expected;
            }
        }
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(independent.nextDouble() < 0.3 ? 1.0 : 0.0, second.get(i, j), "second mask D[" + i + ", " + j + "]");
            }
        }
        assertTrue(kept > 0 && kept < 15, "a mix of kept and dropped units: " + kept);
        // keep_prob = 1 keeps everything
        DMatrixRMaj all = new DMatrixRMaj(4, 4);
        step.drawMask(all, 1.0);
        assertEquals(16.0, CommonOps_DDRM.elementSum(all));
    }

    @Test
    void buffersKeepTheirContentsPerPartAndAreReusedNotReallocated() {
        Step step = Step.checking();
        DMatrixRMaj b = step.buffer(0, 2, 3);
        b.fill(7.0);
        DMatrixRMaj other = step.buffer(1, 2, 3);
        assertNotSame(b, other);
        assertSame(b, step.buffer(0, 2, 3));
        assertArrayEquals(new double[] {7, 7, 7, 7, 7, 7}, step.buffer(0, 2, 3).data, 0.0);
        // another part has its own buffer 0
        step.enter(3, false);
        DMatrixRMaj ofPart3 = step.buffer(0, 2, 3);
        assertNotSame(b, ofPart3);
        step.enter(0, false);
        assertSame(b, step.buffer(0, 2, 3));
        // a smaller shape reuses the same matrix; a larger one grows it
        assertSame(b, step.buffer(0, 1, 2));
        assertEquals(1, b.numRows);
        assertEquals(2, b.numCols);
        DMatrixRMaj larger = step.buffer(0, 10, 10);
        assertEquals(100, larger.getNumElements());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> step.buffer(-1, 1, 1));
        assertEquals("buffer index -1 must be >= 0", e.getMessage());
    }

    @Test
    void aStepMadeForATestNeedsTheInputGradientAndUsesTheNetworksProducts() {
        Step step = Step.inference();
        assertTrue(step.needsInputGradient());
        step.enter(0, true);
        assertFalse(step.needsInputGradient(), "the first layer's input is the data");
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{1, 2}, {3, 4}});
        DMatrixRMaj b = new DMatrixRMaj(new double[][] {{5, 6}, {7, 8}});
        DMatrixRMaj c = new DMatrixRMaj(1, 1);
        step.ops().mult(a, b, c);
        assertArrayEquals(new double[] {19, 22, 43, 50}, c.data, 0.0);
        step.ops().multTransA(a, b, c);
        assertArrayEquals(new double[] {26, 30, 38, 44}, c.data, 0.0);
        step.ops().multTransB(0.5, a, b, c);
        assertArrayEquals(new double[] {8.5, 11.5, 19.5, 26.5}, c.data, 0.0);
        assertEquals(Compute.path(), step.ops().name());
    }
}
