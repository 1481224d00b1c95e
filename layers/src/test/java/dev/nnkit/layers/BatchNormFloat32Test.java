package dev.nnkit.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.Dtype;
import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.spi.FloatLayer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.StateArray;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingHistory;
import dev.nnkit.training.TrainingListener;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * A float32 network with batch normalization and dropout against its float64 twin: the first
 * training step's cost, gradients and running statistics within float roundoff, training that
 * learns and ends where float64 does, and a steady-state float32 step that allocates nothing.
 */
class BatchNormFloat32Test {

    /** {@code 2 -> dense(8, identity) -> batch_norm (tanh, dropout) -> dense(1, sigmoid)}, binary cross-entropy. */
    private static Network network(Dtype dtype) {
        return Network.builder(2)
                .layer(LayerConfig.dense(8).withActivation("identity"))
                .layer(new LayerConfig("batch_norm(momentum=0.8)", "tanh", null, List.of("dropout(keep_prob=0.8)")))
                .dense(1, "sigmoid")
                .loss("binary_cross_entropy")
                .seed(5)
                .dtype(dtype)
                .build();
    }

    /** {@link Support#separable} with its features rounded to float, so both networks see the same numbers. */
    private static Dataset data(int m, long seed) {
        Dataset d = Support.separable(m, seed);
        DMatrixRMaj x = d.features().copy();
        for (int k = 0; k < x.getNumElements(); k++) {
            x.data[k] = (float) x.data[k];
        }
        return new Dataset(x, d.labels());
    }

    /** The gradients of every parameter at the first step of a one-epoch, full-batch run, and the history. */
    private static List<DMatrixRMaj> firstStepGradients(Network network, Dataset data, TrainingHistory[] history) {
        List<DMatrixRMaj> gradients = new ArrayList<>();
        TrainingListener grab = new TrainingListener() {
            @Override
            public void onStep(TrainingContext context) {
                if (gradients.isEmpty()) {
                    for (int l = 1; l <= network.depth(); l++) {
                        for (Parameter p : network.parameters(l)) {
                            gradients.add(network.gradient(l, p.name()));
                        }
                    }
                }
            }
        };
        history[0] = new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)").withEpochs(1)
                .withBatchSize(0)).listener(grab).fit(network, data);
        return gradients;
    }

    @Test
    void batchNormRunsItsOwnFloatKernel() {
        Layer layer = network(Dtype.FLOAT32).layer(2);
        assertTrue(layer instanceof FloatLayer, layer.getClass().getName());
    }

    @Test
    void theFirstFloatStepIsTheDoubleOneWithinFloatRoundoff() {
        Network f32 = network(Dtype.FLOAT32);
        Network f64 = network(Dtype.FLOAT64);
        for (int l = 1; l <= f32.depth(); l++) {
            for (Parameter p : f32.parameters(l)) {
                f64.setParameter(l, p.name(), f32.parameter(l, p.name()));
            }
        }
        Dataset data = data(60, 3);
        TrainingHistory[] h32 = new TrainingHistory[1];
        TrainingHistory[] h64 = new TrainingHistory[1];
        List<DMatrixRMaj> g32 = firstStepGradients(f32, data, h32);
        List<DMatrixRMaj> g64 = firstStepGradients(f64, data, h64);
        double c64 = h64[0].stepCosts()[0];
        assertEquals(c64, h32[0].stepCosts()[0], 1e-5 * c64, "the first step's cost");
        assertEquals(g64.size(), g32.size());
        assertEquals(6, g64.size()); // W, b; gamma, beta; W, b
        for (int i = 0; i < g64.size(); i++) {
            DMatrixRMaj a = g64.get(i);
            DMatrixRMaj b = g32.get(i);
            double scale = 0;
            for (double v : a.data) {
                scale = Math.max(scale, Math.abs(v));
            }
            // b of the dense layer before batch normalization has a gradient of 0 up to roundoff: the mean is subtracted
            boolean cancelled = i == 1;
            assertTrue(cancelled || scale > 1e-3, "gradient " + i + " has something to compare: " + scale);
            for (int k = 0; k < a.getNumElements(); k++) {
                // float roundoff 2^-24 ~ 6e-8 per operation, over a few dozen operations in a chain
                assertEquals(a.data[k], b.data[k], cancelled ? 1e-5 : 2e-5 * scale, "gradient " + i + ", entry " + k);
                assertEquals(b.data[k], (double) (float) b.data[k], "a float32 gradient holds float values");
            }
        }
        for (int s = 0; s < 2; s++) {
            DMatrixRMaj r64 = f64.state(2).get(s).value();
            DMatrixRMaj r32 = f32.state(2).get(s).value();
            boolean differs = false;
            for (int k = 0; k < r64.getNumElements(); k++) {
                assertEquals(r64.data[k], r32.data[k], 1e-5 * Math.abs(r64.data[k]) + 1e-7, f64.state(2).get(s).name() + " " + k);
                differs |= r64.data[k] != (s == 0 ? 0.0 : 1.0);
            }
            assertTrue(differs, "the float step updated " + f64.state(2).get(s).name());
        }
    }

    @Test
    void float32TrainingLearnsAndEndsWhereFloat64Does() {
        Dataset data = data(200, 4);
        Hyperparameters hp = new Hyperparameters("adam(learning_rate=0.02)", 30, 16, 3L, true);
        Network f64 = network(Dtype.FLOAT64);
        Network f32 = network(Dtype.FLOAT32);
        double start = f32.cost(data);
        new Trainer(hp).fit(f64, data);
        new Trainer(hp).fit(f32, data);
        double c32 = f32.cost(data);
        double c64 = f64.cost(data);
        assertTrue(c32 < 0.5 * start, "float32 training learned: cost " + start + " -> " + c32);
        assertEquals(c64, c32, 0.1 * c64, "float32 ends where float64 does");
        assertTrue(f32.accuracy(data) > 0.9, "accuracy " + f32.accuracy(data));
        assertEquals(f64.accuracy(data), f32.accuracy(data), 0.03);
        for (StateArray s : f32.state(2)) {
            for (double v : s.value().data) {
                assertNotEquals(Double.NaN, v);
            }
        }
    }

    @Test
    void twoThousandSteadyStateFloat32StepsAllocateNothing() throws ReflectiveOperationException {
        // the HotSpot per-thread allocation counter, reached reflectively: the tests are compiled inside module
        // dev.nnkit.layers, which does not read jdk.management
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
        assumeTrue(hotspot.isInstance(threads), "allocation counter not available");
        assumeTrue((Boolean) hotspot.getMethod("isThreadAllocatedMemoryEnabled").invoke(threads));
        Method allocatedBytes = hotspot.getMethod("getCurrentThreadAllocatedBytes");
        for (int k = 0; k < 100; k++) { // past reflection's warm-up, which generates classes
            allocatedBytes.invoke(threads);
        }
        Network net = network(Dtype.FLOAT32);
        Dataset data = data(60, 5); // batches of 16: a short last batch of 12 every epoch
        long from = 1000;
        long to = from + 2000;
        long[] measured = new long[2];
        TrainingListener meter = new TrainingListener() {
            @Override
            public void onStep(TrainingContext context) {
                try {
                    if (context.step() == from) {
                        measured[0] = (Long) allocatedBytes.invoke(threads);
                    } else if (context.step() == to) {
                        measured[1] = (Long) allocatedBytes.invoke(threads);
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        new Trainer(new Hyperparameters("adam(learning_rate=0.01)", (int) (to / 4) + 2, 16, 7L, true)).listener(meter)
                .fit(net, data);
        long steady = measured[1] - measured[0];
        // one allocation per step, however small (16 bytes), would be 32 kB; the readings and the JVM's occasional
        // own allocations stay far below
        assertTrue(measured[0] > 0 && steady < 8 * 1024, "steps " + from + " to " + to + " allocated " + steady + " bytes");
    }
}
