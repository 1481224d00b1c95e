package dev.nnkit.layers;

import static dev.nnkit.layers.Support.bits;
import static dev.nnkit.layers.Support.modelBits;
import static dev.nnkit.layers.Support.network;
import static dev.nnkit.layers.Support.separable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.StateArray;
import dev.nnkit.spi.StepContext.Mode;
import dev.nnkit.training.Checkpoints;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingHistory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** batch_norm inside networks: training, model files, checkpoints and resume, determinism, threads. */
class BatchNormNetworkTest {

    /** Mini-batches of 16 over 200 examples: 13 steps per epoch, the last one of 8 examples. */
    private static final Hyperparameters HP = new Hyperparameters("adam(learning_rate=0.05)", 4, 16, 3L, true);

    @TempDir
    Path dir;

    private static double[] running(Network network, String name) {
        for (StateArray s : network.state(2)) {
            if (s.name().equals(name)) {
                return s.value().data.clone();
            }
        }
        throw new AssertionError("no state array " + name + " in " + network.layer(2));
    }

    @Test
    void theLayerIsFoundByNameAndTheNetworkHasItsShape() {
        Network net = network(1, null);
        assertTrue(Support.registry().names(Layer.class).containsAll(List.of("batch_norm", "dense")));
        assertEquals("batch_norm(momentum=0.9, epsilon=1.0E-5)", net.layer(2).toString());
        assertEquals(8, net.units(2));
        assertEquals(List.of("gamma", "beta"), net.parameters(2).stream().map(p -> p.name()).toList());
        assertEquals(List.of("running_mean", "running_variance"), net.state(2).stream().map(StateArray::name).toList());
    }

    @Test
    void aNetworkWithBatchNormLearnsASeparableProblemAndItsRunningStatisticsServeInference() {
        Dataset data = separable(200, 1);
        Network net = network(2, null);
        double before = net.cost(data);
        TrainingHistory history = new Trainer(HP.withOptimizer("adam(learning_rate=0.01)").withEpochs(30)).fit(net, data);
        double[] epochs = history.epochCosts();
        assertTrue(epochs[epochs.length - 1] < 0.5 * epochs[0], Arrays.toString(epochs));
        double inference = net.cost(data); // with the running statistics
        double batch = net.cost(data, Mode.CHECKING); // with the statistics of the whole data set
        assertTrue(inference < 0.2 * before, "cost " + before + " -> " + inference);
        assertTrue(Math.abs(inference - batch) < 0.25 * batch, "inference cost " + inference + ", batch cost " + batch);
        assertTrue(net.accuracy(data) > 0.95, "accuracy " + net.accuracy(data));
    }

    @Test
    void weightPenaltiesLeaveScaleAndShiftAlone() {
        Dataset data = separable(40, 5);
        Network plain = network(3, List.of());
        Network penalized = network(3, List.of("l2(lambda=5)"));
        double plainCost = plain.computeGradients(data);
        double penalizedCost = penalized.computeGradients(data);
        assertEquals(plainCost, penalizedCost, 0.0, "batch_norm has no WEIGHT parameter to penalize");
        for (String name : List.of("gamma", "beta")) {
            assertArrayEquals(bits(plain.gradient(2, name)), bits(penalized.gradient(2, name)), name);
        }
    }

    @Test
    void savedAndLoadedItPredictsBitForBitWithItsRunningStatistics() throws IOException {
        Dataset data = separable(200, 2);
        Network net = network(4, null);
        new Trainer(HP.withEpochs(5)).fit(net, data);
        double[] mean = running(net, "running_mean");
        double[] variance = running(net, "running_variance");
        assertFalse(Arrays.stream(mean).allMatch(v -> v == 0.0), "training moved the running mean");
        assertFalse(Arrays.stream(variance).allMatch(v -> v == 1.0), "training moved the running variance");

        Path file = dir.resolve("bn.nnkit");
        ModelFile.save(net, file);
        Network loaded = ModelFile.load(file, Support.registry()).network();
        assertEquals(net.layer(2).toString(), loaded.layer(2).toString());
        assertArrayEquals(modelBits(net), modelBits(loaded));
        assertArrayEquals(mean, running(loaded, "running_mean"), 0.0);
        assertArrayEquals(variance, running(loaded, "running_variance"), 0.0);
        assertArrayEquals(bits(net.predict(data.features())), bits(loaded.predict(data.features())));
    }

    /**
     * A wide batch norm has 4 n values, not n^2: a model file of input 1,100 -> batch_norm -> dense(1)
     * (5,501 values) loads. Counting it as n * n (1.2 million, beyond the reader's 2^20 slack) refused it.
     */
    @Test
    void aWideBatchNormLoadsFromItsModelFile() throws IOException {
        Network net = Network.builder(1100).registry(Support.registry())
                .layer(LayerConfig.of("batch_norm").withActivation("identity"))
                .dense(1, "sigmoid").loss("binary_cross_entropy").build();
        assertEquals(4L * 1100, net.layer(1).parameterCount(1100));
        Path file = dir.resolve("wide.nnkit");
        ModelFile.save(net, file);
        Network loaded = ModelFile.load(file, Support.registry()).network();
        assertArrayEquals(modelBits(net), modelBits(loaded));
    }

    @Test
    void resumingFromACheckpointEqualsTheUninterruptedRunInParametersAndRunningStatistics() throws IOException {
        Dataset data = separable(200, 3);
        Network straight = network(5, null);
        new Trainer(HP).fit(straight, data);

        Network first = network(5, null);
        // cut short after epoch 2, as if it had crashed there
        new Trainer(HP.withEpochs(2)).listener(new Checkpoints(first, dir, 1, 3)).fit(first, data);
        Path latest = Checkpoints.latest(dir).orElseThrow();
        ModelFile.Contents c = ModelFile.load(latest, Support.registry());
        assertEquals(2, c.trainingState().orElseThrow().epochsDone());
        assertArrayEquals(modelBits(first), modelBits(c.network()), "the checkpoint holds the running statistics");
        new Trainer(HP).resume(c.network(), data, c.trainingState().orElseThrow());

        assertArrayEquals(modelBits(straight), modelBits(c.network()));
        assertArrayEquals(running(straight, "running_variance"), running(c.network(), "running_variance"), 0.0);
        assertArrayEquals(bits(straight.predict(data.features())), bits(c.network().predict(data.features())));
    }

    @Test
    void miniBatchTrainingIsBitIdenticalForTheSameSeeds() {
        Dataset data = separable(200, 4);
        List<String> dropout = List.of("dropout(keep_prob=0.8)"); // the step's random stream is used too
        Network one = network(6, dropout);
        Network two = network(6, dropout);
        Network otherSeed = network(6, dropout);
        new Trainer(HP).fit(one, data);
        new Trainer(HP).fit(two, data);
        new Trainer(HP.withSeed(4L)).fit(otherSeed, data);
        assertArrayEquals(modelBits(one), modelBits(two));
        assertFalse(Arrays.equals(modelBits(one), modelBits(otherSeed)), "the shuffling seed must matter");
    }

    @Test
    void concurrentInferenceEqualsSingleThreadedBitForBit() throws Exception {
        Dataset data = separable(300, 5);
        Network net = network(7, null);
        new Trainer(HP).fit(net, data);
        DMatrixRMaj x = data.features();
        long[] expected = bits(net.predict(x));
        long[] expectedColumn = bits(net.predict(column(x, 17)));
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                tasks.add(() -> {
                    start.await();
                    boolean same = true;
                    for (int i = 0; i < 50; i++) {
                        same &= Arrays.equals(expected, bits(net.predict(x)));
                        same &= Arrays.equals(expectedColumn, bits(net.predict(column(x, 17))));
                    }
                    return same;
                });
            }
            List<Future<Boolean>> results = new ArrayList<>();
            for (Callable<Boolean> task : tasks) {
                results.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Boolean> result : results) {
                assertTrue(result.get(), "a thread predicted other bits than the single-threaded run");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static DMatrixRMaj column(DMatrixRMaj x, int j) {
        DMatrixRMaj out = new DMatrixRMaj(x.numRows, 1);
        for (int i = 0; i < x.numRows; i++) {
            out.set(i, 0, x.get(i, j));
        }
        return out;
    }

    @Test
    void aLastMiniBatchOfOneExampleStopsTrainingWithAClearMessage() {
        Dataset data = separable(17, 6);
        Network net = network(8, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(HP.withBatchSize(8)).fit(net, data));
        assertTrue(e.getMessage().contains("batch_norm") && e.getMessage().contains("batch size >= 2"), e.getMessage());
    }

    @Test
    void batchNormAsTheFirstLayerNeverWritesTheInputGradient() {
        // the first layer gets an empty (0, 0) dA[0]; writing it would throw
        Network net = Network.builder(2)
                .layer(new LayerConfig("batch_norm(momentum=0.5)", "tanh", null, null))
                .dense(1, "sigmoid")
                .loss("binary_cross_entropy")
                .seed(9)
                .build();
        Dataset data = separable(50, 7);
        double cost = net.computeGradients(data);
        assertTrue(Double.isFinite(cost));
        assertTrue(Math.abs(net.gradient(1, "gamma").get(0, 0)) > 0, "gamma of the first layer got a gradient");
        new Trainer(HP.withBatchSize(10).withEpochs(30)).fit(net, data);
        assertTrue(net.accuracy(data) > 0.9, "accuracy " + net.accuracy(data));
    }
}
