package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingHistory;
import dev.nnkit.training.TrainingListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The steady-state training step allocates nothing: with the step context reused for the whole run,
 * a network with dropout, a weight penalty, a layer with state and a fused softmax output trains
 * 2,000 steps without allocating on the training thread, in float64 and in float32 (where every
 * one of those parts but the dense layers runs through core's widening adapters).
 */
class TrainingAllocationTest {

    /** The HotSpot per-thread allocation counter, reached reflectively (core's tests run inside module dev.nnkit.core). */
    private static final class Counter {
        private final Object threads;
        private final Method allocatedBytes;

        Counter() throws ReflectiveOperationException {
            threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            assumeTrue(hotspot.isInstance(threads), "allocation counter not available");
            assumeTrue((Boolean) hotspot.getMethod("isThreadAllocatedMemoryEnabled").invoke(threads));
            allocatedBytes = hotspot.getMethod("getCurrentThreadAllocatedBytes");
            for (int k = 0; k < 100; k++) { // past reflection's warm-up, which generates classes
                bytes();
            }
        }

        long bytes() {
            try {
                return (Long) allocatedBytes.invoke(threads);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @ParameterizedTest(name = "batch size {0}, {1}")
    @CsvSource({"16, float64", "0, float64", "16, float32", "0, float32"})
    void twoThousandSteadyStateStepsAllocateNothing(int batchSize, String dtype) throws ReflectiveOperationException {
        Counter counter = new Counter();
        long start = counter.bytes();
        double[] sink = new double[1000];
        long allocated = counter.bytes() - start;
        assertTrue(allocated >= 8000 && sink.length == 1000, "the counter sees an 8 kB array: " + allocated);

        Network net = Network.builder(4).registry(ModelFixtures.stepRegistry()).initializer("test_gaussian(std=0.5)")
                .layer(LayerConfig.dense(8).withActivation("sigmoid")
                        .withRegularizers("test_dropout(keep_prob=0.8)", "test_l2(lambda=0.01)"))
                .layer(new LayerConfig("running_shift(momentum=0.9)", "test_scaled(factor=1)", null, List.of()))
                .dense(3, "test_softmax").loss("softmax_cross_entropy").seed(2).dtype(dtype).build();
        Random r = new Random(1);
        int m = 60; // with batches of 16, a short last batch every epoch
        DMatrixRMaj y = new DMatrixRMaj(3, m);
        for (int j = 0; j < m; j++) {
            y.set(r.nextInt(3), j, 1);
        }
        Dataset data = new Dataset(ModelFixtures.gaussian(4, m, 3), y);
        int stepsPerEpoch = batchSize == 0 ? 1 : (m + batchSize - 1) / batchSize;
        // after 1,000 steps of warm-up (the compilers have settled), 2,000 steps
        long from = 1000;
        long to = from + 2000;
        long[] measured = new long[2];
        TrainingListener meter = new TrainingListener() {
            @Override
            public void onStep(TrainingContext context) {
                long step = context.step();
                if (step == from) {
                    measured[0] = counter.bytes();
                } else if (step == to) {
                    measured[1] = counter.bytes();
                }
            }
        };
        int epochs = (int) (to / stepsPerEpoch) + 2;
        TrainingHistory history = new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)")
                .withEpochs(epochs).withBatchSize(batchSize)).listener(meter).fit(net, data);
        assertEquals((long) epochs * stepsPerEpoch, history.stepCount());
        long steady = measured[1] - measured[0];
        // one allocation per step, however small (16 bytes), would be 32 kB; the readings themselves cost a few dozen
        // bytes, and the JVM's runtime may allocate a few hundred now and then (deoptimization), not at every step
        assertTrue(steady < 8 * 1024, "steps " + from + " to " + to + " allocated " + steady + " bytes");
    }

    @org.junit.jupiter.api.Test
    void aSecondFitWithTheSameTrainerReusesItsSessionsBuffers() throws ReflectiveOperationException {
        Counter counter = new Counter();
        // 100-200-10: 22,210 parameters, 178 kB for the copy of the last good model
        Network net = Network.builder(100).registry(ModelFixtures.stepRegistry()).initializer("test_gaussian(std=0.1)")
                .dense(200, "sigmoid").dense(10, "test_softmax").loss("softmax_cross_entropy").seed(4).build();
        Random r = new Random(2);
        int m = 64;
        DMatrixRMaj y = new DMatrixRMaj(10, m);
        for (int j = 0; j < m; j++) {
            y.set(r.nextInt(10), j, 1);
        }
        Dataset data = new Dataset(ModelFixtures.gaussian(100, m, 5), y);
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)").withEpochs(2).withBatchSize(16);
        Trainer trainer = new Trainer(hp);
        for (int k = 0; k < 20; k++) { // warm-up, and the kept session grows to its size
            trainer.fit(net, data);
            new Trainer(hp).fit(net, data);
        }
        long kept = Long.MAX_VALUE;
        long fresh = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) { // best of 3: the JVM itself allocates now and then
            long start = counter.bytes();
            trainer.fit(net, data);
            kept = Math.min(kept, counter.bytes() - start);
            start = counter.bytes();
            new Trainer(hp).fit(net, data);
            fresh = Math.min(fresh, counter.bytes() - start);
        }
        long model = 8L * (100 * 200 + 200 + 200 * 10 + 10);
        // the kept session: the history, the optimizer and the schedule, a few small lists
        assertTrue(kept < 16 * 1024, "a fit with the kept session allocated " + kept + " bytes");
        // a new trainer makes a session: at least the copy of the last good model
        assertTrue(fresh > model, "a fit with a new trainer allocated " + fresh + " bytes, the model is " + model);
    }
}
