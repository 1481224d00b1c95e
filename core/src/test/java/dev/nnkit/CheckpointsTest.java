package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.io.ModelFile;
import dev.nnkit.training.Checkpoints;
import dev.nnkit.training.EarlyStopping;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import dev.nnkit.training.TrainingState;
import static dev.nnkit.ModelFixtures.flatParameters;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

    @TempDir
    Path dir;

    private static final Hyperparameters HP = new Hyperparameters("adam(learning_rate=0.05)", 10, 8, 3L, true);

    private List<String> files() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Records the parameters after every epoch. */
    private static final class Recorder implements TrainingListener {
        final Network network;
        final List<double[]> parameters = new ArrayList<>();

        Recorder(Network network) {
            this.network = network;
        }

        @Override
        public void onEpochEnd(TrainingContext context) {
            int epoch = context.epoch();
            double meanCost = context.epochCost();
            parameters.add(flatParameters(network));
        }
    }

    @Test
    void savesEveryNEpochsAndAtTheEndKeepingTheLastK() throws IOException {
        Dataset data = ModelFixtures.quadrants(50, 1);
        Network net = ModelFixtures.small(5);
        Recorder recorder = new Recorder(net);
        Checkpoints checkpoints = new Checkpoints(net, dir, 3, 2);
        List<List<String>> seen = new ArrayList<>();
        new Trainer(HP).listener(recorder).listener(checkpoints).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext context) {
                int epoch = context.epoch();
                double meanCost = context.epochCost();
                try {
                    seen.add(files());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }).fit(net, data);
        assertEquals(List.of("checkpoint-epoch-00000003.nnkit"), seen.get(2));
        assertEquals(List.of("checkpoint-epoch-00000003.nnkit", "checkpoint-epoch-00000006.nnkit"), seen.get(5));
        assertEquals(List.of("checkpoint-epoch-00000006.nnkit", "checkpoint-epoch-00000009.nnkit"), seen.get(8));
        // epoch 10 is not a multiple of 3: it is saved when training ends
        assertEquals(List.of("checkpoint-epoch-00000009.nnkit", "checkpoint-epoch-00000010.nnkit"), files());
        assertEquals(List.of(dir.resolve("checkpoint-epoch-00000009.nnkit"), dir.resolve("checkpoint-epoch-00000010.nnkit")),
                checkpoints.saved());
        assertEquals(Optional.of(dir.resolve("checkpoint-epoch-00000010.nnkit")), Checkpoints.latest(dir));

        for (int epoch : new int[] {9, 10}) {
            ModelFile.Contents c = ModelFile.load(checkpoints.file(epoch), ModelFixtures.registry());
            assertArrayEquals(recorder.parameters.get(epoch - 1), flatParameters(c.network()), 0.0);
            TrainingState state = c.trainingState().orElseThrow();
            assertEquals(epoch, state.epochsDone());
            assertEquals(epoch * 7L, state.stepsDone(), "ceil(50 / 8) = 7 steps per epoch");
            assertEquals(HP, state.hyperparameters());
        }
    }

    @Test
    void resumingFromACheckpointEqualsTheUninterruptedRunBitForBit() throws IOException {
        Dataset data = ModelFixtures.quadrants(50, 2);
        Network straight = ModelFixtures.small(6);
        new Trainer(HP).fit(straight, data);

        Network first = ModelFixtures.small(6);
        // the first run is cut short at epoch 4, as if it had crashed after its last checkpoint
        new Trainer(HP.withEpochs(4)).listener(new Checkpoints(first, dir, "run", 2, 5)).fit(first, data);
        assertEquals(List.of("run-epoch-00000002.nnkit", "run-epoch-00000004.nnkit"), files());
        Path latest = Checkpoints.latest(dir, "run").orElseThrow();
        ModelFile.Contents c = ModelFile.load(latest, ModelFixtures.registry());
        new Trainer(HP).resume(c.network(), data, c.trainingState().orElseThrow());
        assertArrayEquals(flatParameters(straight), flatParameters(c.network()), 0.0);
    }

    @Test
    void aFloat32RunResumesBitForBitAndEarlyStoppingsRestoreReachesItsFloatPasses() throws IOException {
        Dataset data = ModelFixtures.quadrants(50, 2);
        NetworkConfig f32 = ModelFixtures.small(6).config().withDtype(Dtype.FLOAT32);
        Network straight = Network.fromConfig(f32, ModelFixtures.registry());
        new Trainer(HP).fit(straight, data);

        Network first = Network.fromConfig(f32, ModelFixtures.registry());
        new Trainer(HP.withEpochs(4)).listener(new Checkpoints(first, dir, "f32", 2, 5)).fit(first, data);
        ModelFile.Contents c = ModelFile.load(Checkpoints.latest(dir, "f32").orElseThrow(), ModelFixtures.registry());
        assertEquals(Dtype.FLOAT32, c.network().dtype());
        new Trainer(HP).resume(c.network(), data, c.trainingState().orElseThrow());
        // adam's float moments went through the checkpoint as doubles and came back exactly
        assertArrayEquals(flatParameters(straight), flatParameters(c.network()), 0.0);

        // early stopping restores an earlier epoch into the doubles: the float predictions must follow
        Dataset validation = ModelFixtures.quadrants(200, 7);
        Network net = Network.fromConfig(f32, ModelFixtures.registry());
        Recorder recorder = new Recorder(net);
        EarlyStopping early = new EarlyStopping(net, validation, EarlyStopping.Metric.COST, 3);
        new Trainer(HP.withEpochs(200)).listener(recorder).listener(early).fit(net, data);
        assertTrue(early.stopped(), "stopped early");
        double[] best = recorder.parameters.get(early.bestEpoch() - 1);
        assertArrayEquals(best, flatParameters(net), 0.0);
        Network twin = Network.fromConfig(f32, ModelFixtures.registry());
        int k = 0;
        for (int l = 1; l <= twin.depth(); l++) {
            for (var p : twin.parameters(l)) {
                DMatrixRMaj v = new DMatrixRMaj(p.value().numRows, p.value().numCols);
                System.arraycopy(best, k, v.data, 0, v.getNumElements());
                k += v.getNumElements();
                twin.setParameter(l, p.name(), v);
            }
        }
        DMatrixRMaj x = ModelFixtures.gaussian(2, 20, 3);
        assertArrayEquals(twin.predict(x).data, net.predict(x).data, 0.0);
    }

    @Test
    void theFinalCheckpointHoldsTheLastEpochEvenWhenEarlyStoppingRestoresAnEarlierOne() throws IOException {
        Dataset train = ModelFixtures.quadrants(12, 3);
        Dataset validation = ModelFixtures.quadrants(200, 4);
        Network net = ModelFixtures.small(7);
        Recorder recorder = new Recorder(net);
        EarlyStopping early = new EarlyStopping(net, validation, EarlyStopping.Metric.COST, 5);
        Checkpoints checkpoints = new Checkpoints(net, dir, 1000, 1);
        new Trainer(HP.withEpochs(400).withBatchSize(4)).listener(recorder).listener(early).listener(checkpoints)
                .fit(net, train);
        int last = recorder.parameters.size();
        assertTrue(early.stopped() && early.bestEpoch() < last, "stopped at " + last + ", best " + early.bestEpoch());
        assertEquals(List.of(String.format("checkpoint-epoch-%08d.nnkit", last)), files());
        ModelFile.Contents c = ModelFile.load(checkpoints.file(last), ModelFixtures.registry());
        assertArrayEquals(recorder.parameters.get(last - 1), flatParameters(c.network()), 0.0);
        assertEquals(last, c.trainingState().orElseThrow().epochsDone());
        assertArrayEquals(recorder.parameters.get(early.bestEpoch() - 1), flatParameters(net), 0.0);
    }

    /** 2-4(sigmoid, dropout)-4(running_shift)-1(sigmoid): parameters, dropout and a layer state. */
    private static Network stateful(long seed) {
        return Network.builder(2).registry(ModelFixtures.stepRegistry()).initializer("test_gaussian(std=0.8)")
                .layer(LayerConfig.dense(4).withActivation("sigmoid").withRegularizers("test_dropout(keep_prob=0.8)"))
                .layer(new LayerConfig("running_shift(momentum=0.5)", "test_scaled(factor=1)", null, List.of()))
                .dense(1, "sigmoid").loss("binary_cross_entropy").seed(seed).build();
    }

    @Test
    void checkpointsCarryTheLayerStateAndResumeAStatefulRunBitForBit() throws IOException {
        Dataset train = ModelFixtures.quadrants(24, 5);
        Dataset validation = ModelFixtures.quadrants(200, 6);
        Network net = stateful(3);
        List<double[]> states = new ArrayList<>();
        Recorder recorder = new Recorder(net);
        EarlyStopping early = new EarlyStopping(net, validation, EarlyStopping.Metric.COST, 4);
        Checkpoints checkpoints = new Checkpoints(net, dir, 3, 100);
        Hyperparameters hp = HP.withEpochs(300).withBatchSize(6);
        new Trainer(hp).listener(recorder).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext context) {
                int epoch = context.epoch();
                double meanCost = context.epochCost();
                states.add(net.state(2).get(0).value().data.clone());
            }
        }).listener(early).listener(checkpoints).fit(net, train);
        int last = states.size();
        assertTrue(early.stopped() && early.bestEpoch() < last && last % 3 != 0, "stopped at " + last + ", best " + early.bestEpoch());
        // every checkpoint, the ones saved at once and the last one saved from its copy, holds the state of its epoch
        for (int epoch : new int[] {3, 3 * (last / 3), last}) {
            Network saved = ModelFile.load(checkpoints.file(epoch), ModelFixtures.stepRegistry()).network();
            assertArrayEquals(recorder.parameters.get(epoch - 1), flatParameters(saved), 0.0, "epoch " + epoch);
            assertArrayEquals(states.get(epoch - 1), saved.state(2).get(0).value().data, 0.0, "state of epoch " + epoch);
        }
        // while the network holds the best epoch's, state included
        assertArrayEquals(states.get(early.bestEpoch() - 1), net.state(2).get(0).value().data, 0.0);

        // resuming from the checkpoint of epoch 3 gives the uninterrupted run of the same length
        Network straight = stateful(3);
        new Trainer(hp.withEpochs(7)).fit(straight, train);
        ModelFile.Contents c = ModelFile.load(checkpoints.file(3), ModelFixtures.stepRegistry());
        new Trainer(hp.withEpochs(7)).resume(c.network(), train, c.trainingState().orElseThrow());
        assertArrayEquals(flatParameters(straight), flatParameters(c.network()), 0.0);
        assertArrayEquals(straight.state(2).get(0).value().data, c.network().state(2).get(0).value().data, 0.0);
    }

    @Test
    void argumentsAndFailedSavesAreReported() throws IOException {
        Network net = ModelFixtures.small(1);
        assertEquals("checkpoints every 0 epochs; it must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> new Checkpoints(net, dir, 0, 1)).getMessage());
        assertEquals("keep 0 checkpoints; it must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> new Checkpoints(net, dir, 1, 0)).getMessage());
        assertEquals("checkpoint prefix \"a/b\"; use 1 to 100 letters, digits, _ . or -",
                assertThrows(IllegalArgumentException.class, () -> new Checkpoints(net, dir, "a/b", 1, 1)).getMessage());
        assertEquals(Optional.empty(), Checkpoints.latest(dir.resolve("none")));

        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        Checkpoints checkpoints = new Checkpoints(net, notADirectory, 1, 1);
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new Trainer(HP.withEpochs(1)).listener(checkpoints).fit(net, ModelFixtures.quadrants(10, 1)));
        assertTrue(e.getMessage().startsWith("saving the checkpoint of epoch 1 to " + notADirectory.resolve("checkpoint-epoch-00000001.nnkit")
                + " failed: java.nio.file.FileAlreadyExistsException"), e.getMessage());
    }

    @Test
    void onlyFilesOfItsOwnPatternArePruned() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        Files.writeString(dir.resolve("other-epoch-00000001.nnkit"), "another run");
        Network net = ModelFixtures.small(2);
        new Trainer(HP.withEpochs(3)).listener(new Checkpoints(net, dir, 1, 1)).fit(net, ModelFixtures.quadrants(10, 1));
        assertEquals(List.of("checkpoint-epoch-00000003.nnkit", "notes.txt", "other-epoch-00000001.nnkit"), files());
    }
}
