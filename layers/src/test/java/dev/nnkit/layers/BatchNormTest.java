package dev.nnkit.layers;

import static dev.nnkit.layers.Support.batchNorm;
import static dev.nnkit.layers.Support.bits;
import static dev.nnkit.layers.Support.matrix;
import static dev.nnkit.layers.Support.parameter;
import static dev.nnkit.layers.Support.state;
import static dev.nnkit.layers.Support.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.Step;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.StateArray;
import java.lang.reflect.Method;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The layer on its own: starting values, forward in each mode against hand computations, running statistics. */
class BatchNormTest {

    /**
     * Rows with easy statistics: row 0 = 1, 2, 3, 4 has mean 2.5 and biased variance
     * (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25; row 1 = 2, -2, 0, 4 has mean 1 and biased variance
     * (1 + 9 + 1 + 9) / 4 = 5.
     */
    private static DMatrixRMaj x() {
        return matrix(2, 1, 2, 3, 4,
                2, -2, 0, 4);
    }

    private static void setScaleAndShift(Layer layer) {
        parameter(layer, "gamma").value().setTo(matrix(2, 2.0, -0.5));
        parameter(layer, "beta").value().setTo(matrix(2, 0.5, 1.0));
    }

    private static DMatrixRMaj forward(Layer layer, DMatrixRMaj x, Step step) {
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
        layer.forward(x, out, step);
        return out;
    }

    @Test
    void keepsTheSizeAndStartsAtScaleOneShiftZeroMeanZeroVarianceOne() {
        Layer layer = batchNorm("batch_norm", 3);
        assertEquals(3, layer.outputSize(3));
        assertEquals(7, layer.outputSize(7));
        List<Parameter> parameters = layer.parameters();
        assertEquals(List.of("gamma", "beta"), parameters.stream().map(Parameter::name).toList());
        assertEquals(List.of(Parameter.Role.SCALE, Parameter.Role.BIAS), parameters.stream().map(Parameter::role).toList());
        assertEquals(List.of("running_mean", "running_variance"), layer.state().stream().map(StateArray::name).toList());
        assertArrayEquals(new double[] {1, 1, 1}, parameter(layer, "gamma").value().data, 0.0);
        assertArrayEquals(new double[] {0, 0, 0}, parameter(layer, "beta").value().data, 0.0);
        assertArrayEquals(new double[] {0, 0, 0}, state(layer, "running_mean").data, 0.0);
        assertArrayEquals(new double[] {1, 1, 1}, state(layer, "running_variance").data, 0.0);
        for (Parameter p : parameters) {
            assertEquals(3, p.value().numRows);
            assertEquals(1, p.value().numCols);
        }
        assertSame(layer.state(), layer.state(), "the state list must not change between calls");

        // initialize resets everything, and draws nothing from the network's stream
        parameter(layer, "gamma").value().set(0, 0, 5);
        state(layer, "running_variance").set(1, 0, 9);
        SplittableRandom random = new SplittableRandom(4);
        layer.initialize(null, random);
        assertEquals(1.0, parameter(layer, "gamma").value().get(0, 0));
        assertEquals(1.0, state(layer, "running_variance").get(1, 0));
        assertEquals(new SplittableRandom(4).nextLong(), random.nextLong(), "initialize drew from the stream");
    }

    @Test
    void trainingForwardNormalizesEachRowWithItsBiasedBatchVariance() {
        Layer layer = batchNorm("batch_norm(epsilon=0.01)", 2);
        setScaleAndShift(layer);
        DMatrixRMaj out = forward(layer, x(), Step.training(new SplittableRandom(1)));
        double s0 = Math.sqrt(1.25 + 0.01);
        double s1 = Math.sqrt(5 + 0.01);
        double[] expected = {
            2 * (-1.5 / s0) + 0.5, 2 * (-0.5 / s0) + 0.5, 2 * (0.5 / s0) + 0.5, 2 * (1.5 / s0) + 0.5,
            -0.5 * (1 / s1) + 1, -0.5 * (-3 / s1) + 1, -0.5 * (-1 / s1) + 1, -0.5 * (3 / s1) + 1,
        };
        assertArrayEquals(expected, out.data, 1e-14);
    }

    @Test
    void checkingForwardIsTheTrainingArithmeticAndLeavesTheStateAlone() {
        Layer training = batchNorm("batch_norm(epsilon=0.01)", 2);
        Layer checking = batchNorm("batch_norm(epsilon=0.01)", 2);
        setScaleAndShift(training);
        setScaleAndShift(checking);
        DMatrixRMaj trained = forward(training, x(), Step.training(new SplittableRandom(1)));
        long[] mean = bits(state(checking, "running_mean"));
        long[] variance = bits(state(checking, "running_variance"));
        DMatrixRMaj checked = forward(checking, x(), Step.checking());
        assertArrayEquals(bits(trained), bits(checked));
        assertArrayEquals(mean, bits(state(checking, "running_mean")));
        assertArrayEquals(variance, bits(state(checking, "running_variance")));
    }

    @Test
    void inferenceUsesTheRunningStatisticsAndLeavesThemAlone() {
        Layer layer = batchNorm("batch_norm(epsilon=0.01)", 2);
        setScaleAndShift(layer);
        state(layer, "running_mean").setTo(matrix(2, 1.0, -1.0));
        state(layer, "running_variance").setTo(matrix(2, 4.0, 0.25));
        long[] mean = bits(state(layer, "running_mean"));
        long[] variance = bits(state(layer, "running_variance"));
        DMatrixRMaj out = forward(layer, x(), Step.inference());
        double s0 = Math.sqrt(4 + 0.01);
        double s1 = Math.sqrt(0.25 + 0.01);
        double[] expected = {
            2 * (0 / s0) + 0.5, 2 * (1 / s0) + 0.5, 2 * (2 / s0) + 0.5, 2 * (3 / s0) + 0.5,
            -0.5 * (3 / s1) + 1, -0.5 * (-1 / s1) + 1, -0.5 * (1 / s1) + 1, -0.5 * (5 / s1) + 1,
        };
        assertArrayEquals(expected, out.data, 1e-14);
        assertArrayEquals(mean, bits(state(layer, "running_mean")));
        assertArrayEquals(variance, bits(state(layer, "running_variance")));

        // each column on its own, one example included: inference does not look at the batch
        for (int j = 0; j < 4; j++) {
            DMatrixRMaj column = matrix(2, x().get(0, j), x().get(1, j));
            DMatrixRMaj alone = forward(layer, column, Step.inference());
            assertEquals(Double.doubleToRawLongBits(out.get(0, j)), Double.doubleToRawLongBits(alone.get(0, 0)));
            assertEquals(Double.doubleToRawLongBits(out.get(1, j)), Double.doubleToRawLongBits(alone.get(1, 0)));
        }
    }

    @Test
    void oneTrainingStepMovesTheRunningAveragesTowardsTheBatchByOneMinusMomentum() {
        Layer layer = batchNorm("batch_norm", 2);
        forward(layer, x(), Step.training(new SplittableRandom(1)));
        // mean: 0.9 * 0 + 0.1 * (2.5, 1); variance: 0.9 * 1 + 0.1 * unbiased (1.25 * 4/3, 5 * 4/3)
        assertArrayEquals(new double[] {0.25, 0.1}, state(layer, "running_mean").data, 1e-15);
        assertArrayEquals(new double[] {0.9 + 0.1 * 5.0 / 3.0, 0.9 + 0.1 * 20.0 / 3.0},
                state(layer, "running_variance").data, 1e-15);
    }

    @Test
    void runningStatisticsAfterManyTrainingStepsFollowTheRecurrence() {
        double momentum = 0.7;
        int n = 3;
        Layer layer = batchNorm("batch_norm(momentum=0.7)", n);
        double[] mean = {0, 0, 0};
        double[] variance = {1, 1, 1};
        Step step = Step.training(new SplittableRandom(2));
        for (int k = 0; k < 12; k++) {
            int m = 2 + k % 5; // batches of 2 to 6 examples, the buffers grow and shrink
            DMatrixRMaj x = uniform(n, m, -3 + k, 5 + 2 * k, 100 + k);
            forward(layer, x, step);
            for (int i = 0; i < n; i++) {
                double[] row = new double[m];
                for (int j = 0; j < m; j++) {
                    row[j] = x.get(i, j);
                }
                double batchMean = java.util.Arrays.stream(row).average().orElseThrow();
                double unbiased = java.util.Arrays.stream(row).map(v -> (v - batchMean) * (v - batchMean)).sum() / (m - 1);
                mean[i] = momentum * mean[i] + (1 - momentum) * batchMean;
                variance[i] = momentum * variance[i] + (1 - momentum) * unbiased;
            }
        }
        assertArrayEquals(mean, state(layer, "running_mean").data, 1e-12);
        assertArrayEquals(variance, state(layer, "running_variance").data, 1e-12);
        // a CHECKING or INFERENCE pass afterwards changes neither
        long[] meanBits = bits(state(layer, "running_mean"));
        long[] varianceBits = bits(state(layer, "running_variance"));
        forward(layer, uniform(n, 5, 0, 1, 7), Step.checking());
        forward(layer, uniform(n, 5, 0, 1, 8), Step.inference());
        assertArrayEquals(meanBits, bits(state(layer, "running_mean")));
        assertArrayEquals(varianceBits, bits(state(layer, "running_variance")));
    }

    @Test
    void momentumZeroKeepsOnlyTheLastBatch() {
        Layer layer = batchNorm("batch_norm(momentum=0)", 2);
        forward(layer, uniform(2, 6, -9, 9, 3), Step.training(new SplittableRandom(1)));
        forward(layer, x(), Step.training(new SplittableRandom(1)));
        assertArrayEquals(new double[] {2.5, 1}, state(layer, "running_mean").data, 1e-15);
        assertArrayEquals(new double[] {1.25 * 4 / 3, 5.0 * 4 / 3}, state(layer, "running_variance").data, 1e-15);
    }

    @Test
    void aBatchOfOneIsRefusedWithBatchStatisticsAndAcceptedAtInference() {
        Layer layer = batchNorm("batch_norm", 2);
        DMatrixRMaj one = matrix(2, 3.0, 4.0);
        for (Step step : new Step[] {Step.training(new SplittableRandom(1)), Step.checking()}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> forward(layer, one, step));
            assertTrue(e.getMessage().contains("batch of 1 example") && e.getMessage().contains("batch size >= 2")
                    && e.getMessage().contains(step.mode().toString()), e.getMessage());
        }
        assertArrayEquals(new double[] {0, 0}, state(layer, "running_mean").data, 0.0);
        assertArrayEquals(new double[] {1, 1}, state(layer, "running_variance").data, 0.0);
        DMatrixRMaj out = forward(layer, one, Step.inference());
        double s = Math.sqrt(1 + 1e-5);
        assertArrayEquals(new double[] {3 / s, 4 / s}, out.data, 1e-15);
    }

    @Test
    void wrongShapesAndMisuseAreRefusedWithTheValues() {
        Layer layer = batchNorm("batch_norm", 2);
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(new DMatrixRMaj(3, 4), new DMatrixRMaj(3, 4), Step.inference()));
        assertTrue(rows.getMessage().contains("3 rows") && rows.getMessage().contains("2 units"), rows.getMessage());
        IllegalArgumentException output = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(new DMatrixRMaj(2, 4), new DMatrixRMaj(2, 3), Step.checking()));
        assertTrue(output.getMessage().contains("(2, 4)") && output.getMessage().contains("(2, 3)"), output.getMessage());
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> layer.connect(2));
        assertTrue(twice.getMessage().contains("already connected"), twice.getMessage());

        Layer fresh = Support.registry().create(Layer.class, "batch_norm");
        assertThrows(IllegalStateException.class, fresh::parameters);
        assertThrows(IllegalStateException.class, fresh::state);
        assertThrows(IllegalStateException.class,
                () -> fresh.forward(new DMatrixRMaj(2, 2), new DMatrixRMaj(2, 2), Step.inference()));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> fresh.connect(0));
        assertTrue(zero.getMessage().contains("input size 0"), zero.getMessage());
    }

    @Test
    void aSmallerBatchAfterALargerOneUsesTheFrontOfTheBuffers() {
        // one step object for both batches, as the trainer's last, smaller mini-batch of an epoch
        Layer reused = batchNorm("batch_norm", 3);
        Layer fresh = batchNorm("batch_norm", 3);
        DMatrixRMaj small = uniform(3, 3, -2, 2, 11);
        DMatrixRMaj dOut = uniform(3, 3, -1, 1, 12);
        Step step = Step.checking();
        forward(reused, uniform(3, 9, -2, 2, 10), step);
        DMatrixRMaj out = forward(reused, small, step);
        DMatrixRMaj dX = new DMatrixRMaj(3, 3);
        reused.backward(small, out, dOut, dX, step);

        Step own = Step.checking();
        DMatrixRMaj expectedOut = forward(fresh, small, own);
        DMatrixRMaj expectedDx = new DMatrixRMaj(3, 3);
        fresh.backward(small, expectedOut, dOut, expectedDx, own);
        assertArrayEquals(bits(expectedOut), bits(out));
        assertArrayEquals(bits(expectedDx), bits(dX));
        assertArrayEquals(bits(parameter(fresh, "gamma").gradient()), bits(parameter(reused, "gamma").gradient()));
    }

    @Test
    void theSteadyStateTrainingStepAllocatesNothing() throws ReflectiveOperationException {
        // The HotSpot per-thread allocation counter, reached reflectively because the tests are
        // compiled inside module dev.nnkit.layers, which does not read jdk.management.
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
        assumeTrue(hotspot.isInstance(threads), "allocation counter not available");
        assumeTrue((Boolean) hotspot.getMethod("isThreadAllocatedMemoryEnabled").invoke(threads));
        Method allocatedBytes = hotspot.getMethod("getThreadAllocatedBytes", long.class);
        Layer layer = batchNorm("batch_norm", 100);
        Step step = Step.training(new SplittableRandom(3));
        DMatrixRMaj x = uniform(100, 50, -1, 1, 4);
        DMatrixRMaj out = new DMatrixRMaj(100, 50);
        DMatrixRMaj dOut = uniform(100, 50, -1, 1, 5);
        DMatrixRMaj dX = new DMatrixRMaj(100, 50);
        for (int i = 0; i < 200; i++) {
            layer.forward(x, out, step);
            layer.backward(x, out, dOut, dX, step);
        }
        long thread = Thread.currentThread().getId();
        long before = (Long) allocatedBytes.invoke(threads, thread);
        for (int i = 0; i < 100; i++) {
            layer.forward(x, out, step);
            layer.backward(x, out, dOut, dX, step);
        }
        long allocated = (Long) allocatedBytes.invoke(threads, thread) - before;
        // an Xhat allocated per step would cost 100 * 40,000 bytes = 4 MB; allow 64 KB for the
        // measurement itself (boxing, reflective call)
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes in 100 steps");
        assertNotEquals(0.0, dX.data[0], "sanity: the input gradient was written");
    }
}
