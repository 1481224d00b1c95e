package dev.nnkit.regularizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.Dtype;
import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.Step;
import dev.nnkit.data.Dataset;
import dev.nnkit.spi.FloatActivationTransform;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Dropout's float kernel against its double one: the same mask from steps of the same seed, the
 * double pass's values within two float roundoffs, the identity outside training, no allocation in the steady
 * state; and float32 and float64 networks with the same seeds drop the same units at every step.
 */
class DropoutFloat32Test {

    private static Dropout dropout(double keepProb) {
        return (Dropout) PluginRegistry.defaults().create(Regularizer.class, "dropout(keep_prob=" + keepProb + ")");
    }

    /** Gaussian entries rounded to float, none 0. */
    private static DMatrixRMaj floats(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            double v;
            do {
                v = (float) random.nextGaussian();
            } while (v == 0);
            m.data[k] = v;
        }
        return m;
    }

    private static FMatrixRMaj narrow(DMatrixRMaj d) {
        FMatrixRMaj f = new FMatrixRMaj(d.numRows, d.numCols);
        for (int k = 0; k < d.getNumElements(); k++) {
            f.data[k] = (float) d.data[k];
        }
        return f;
    }

    @Test
    void theFloatPassDropsTheDoublePasssUnitsWithinFloatRoundoffOfItsValues() {
        Dropout d = dropout(0.6);
        assertTrue(d instanceof FloatActivationTransform);
        DMatrixRMaj a = floats(30, 40, 1);
        DMatrixRMaj g = floats(30, 40, 2);
        for (long seed = 0; seed < 5; seed++) {
            Step s64 = Step.training(new SplittableRandom(seed));
            DMatrixRMaj out64 = new DMatrixRMaj(30, 40);
            d.forward(a, out64, s64);
            DMatrixRMaj g64 = g.copy();
            d.backward(g64, s64);

            Step s32 = Step.training(new SplittableRandom(seed));
            FMatrixRMaj out32 = new FMatrixRMaj(30, 40);
            d.forward(narrow(a), out32, s32);
            FMatrixRMaj g32 = narrow(g);
            d.backward(g32, s32);

            int dropped = 0;
            for (int k = 0; k < a.getNumElements(); k++) {
                // out = A * D * (1 / keep_prob) in float, 1 / keep_prob rounded to float: two roundings of 2^-24 each
                assertEquals(out64.data[k], out32.data[k], 0x1.01p-23 * Math.abs(out64.data[k]), "seed " + seed + ", entry " + k);
                assertEquals(g64.data[k], g32.data[k], 0x1.01p-23 * Math.abs(g64.data[k]), "seed " + seed + ", gradient entry " + k);
                assertEquals(out64.data[k] == 0, out32.data[k] == 0);
                dropped += out32.data[k] == 0 ? 1 : 0;
            }
            // 1200 entries, each dropped with probability 0.4: 480 +- 5 standard deviations (17)
            assertTrue(dropped > 480 - 85 && dropped < 480 + 85, "dropped " + dropped);
        }
    }

    @Test
    void theFloatPassIsTheIdentityOutsideTraining() {
        Dropout d = dropout(0.5);
        FMatrixRMaj a = narrow(floats(4, 6, 3));
        FMatrixRMaj out = new FMatrixRMaj(4, 6);
        d.forward(a, out, Step.checking());
        assertArrayEquals(a.data, out.data, 0f);
        FMatrixRMaj inPlace = a.copy();
        d.forward(inPlace, inPlace, Step.inference());
        assertArrayEquals(a.data, inPlace.data, 0f);
        FMatrixRMaj g = a.copy();
        d.backward(g, Step.checking());
        d.backward(g, Step.inference());
        assertArrayEquals(a.data, g.data, 0f);
    }

    @Test
    void theFloatSteadyStateAllocatesNothing() throws ReflectiveOperationException {
        // the HotSpot per-thread allocation counter, reached reflectively as in DropoutTest
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
        assumeTrue(hotspot.isInstance(threads), "allocation counter not available");
        assumeTrue((Boolean) hotspot.getMethod("isThreadAllocatedMemoryEnabled").invoke(threads));
        Method allocatedBytes = hotspot.getMethod("getThreadAllocatedBytes", long.class);
        Dropout d = dropout(0.8);
        Step step = Step.training(new SplittableRandom(12));
        FMatrixRMaj a = narrow(floats(100, 50, 4));
        FMatrixRMaj out = new FMatrixRMaj(100, 50);
        FMatrixRMaj dA = narrow(floats(100, 50, 5));
        for (int i = 0; i < 200; i++) {
            d.forward(a, out, step);
            d.backward(dA, step);
        }
        long thread = Thread.currentThread().getId();
        long before = (Long) allocatedBytes.invoke(threads, thread);
        for (int i = 0; i < 100; i++) {
            d.forward(a, out, step);
            d.backward(dA, step);
        }
        long allocated = (Long) allocatedBytes.invoke(threads, thread) - before;
        // a float mask allocated per call would cost 100 * 20,000 bytes = 2 MB; 64 KB covers the measurement itself
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes in 100 float steps");
    }

    private static Network network(Dtype dtype) {
        return Network.builder(3).initializer("xavier_normal")
                .layer(LayerConfig.dense(6).withActivation("tanh").withRegularizers("dropout(keep_prob=0.5)"))
                .dense(1, "sigmoid").loss("binary_cross_entropy").seed(9).dtype(dtype).build();
    }

    /**
     * With one example per step, unit {@code u} of the hidden layer is dropped exactly when column
     * {@code u} of the next layer's weight gradient, {@code dZ2 * (A1 * D / keep_prob)^T}, is 0.
     */
    private static List<String> droppedUnits(Network network, Dataset data) {
        List<String> steps = new ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onStep(TrainingContext context) {
                DMatrixRMaj dW = network.gradient(2, "W");
                StringBuilder units = new StringBuilder();
                for (int u = 0; u < dW.numCols; u++) {
                    units.append(dW.get(0, u) == 0 ? '0' : '1');
                }
                steps.add(units.toString());
            }
        };
        new Trainer(new Hyperparameters("sgd(learning_rate=0.1)", 3, 1, 21L, true)).listener(record).fit(network, data);
        return steps;
    }

    @Test
    void float32AndFloat64NetworksWithTheSameSeedsDropTheSameUnits() {
        DMatrixRMaj x = floats(3, 20, 6);
        DMatrixRMaj y = new DMatrixRMaj(1, 20);
        for (int j = 0; j < 20; j++) {
            y.set(0, j, x.get(0, j) + x.get(1, j) > 0 ? 1 : 0);
        }
        Dataset data = new Dataset(x, y);
        Network f64 = network(Dtype.FLOAT64);
        Network f32 = network(Dtype.FLOAT32);
        List<String> dropped64 = droppedUnits(f64, data);
        List<String> dropped32 = droppedUnits(f32, data);
        assertEquals(60, dropped64.size());
        assertEquals(dropped64, dropped32, "the units dropped at each of 60 steps");
        long drops = dropped64.stream().mapToLong(s -> s.chars().filter(c -> c == '0').count()).sum();
        // 360 unit-steps, each dropped with probability 0.5: 180 +- 5 standard deviations (9.5)
        assertTrue(drops > 180 - 48 && drops < 180 + 48, "dropped " + drops + " of 360");
    }
}
