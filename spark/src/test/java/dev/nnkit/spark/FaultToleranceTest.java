package dev.nnkit.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.io.ModelFile;
import dev.nnkit.training.Checkpoints;
import dev.nnkit.training.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed task is retried with the same result; a killed driver resumes from its last checkpoint. */
class FaultToleranceTest {

    private static final int M = 160;
    private static final List<Row> ROWS = SparkFixture.blobs(M, 5, 23);
    private static final NetworkConfig CONFIG = SparkFixture.mlp(5);
    private static final Hyperparameters HP = new Hyperparameters("sgd(learning_rate=0.5, momentum=0.9)", 10, 0, 5, false);

    private static Network singleMachine() {
        Network network = Network.fromConfig(CONFIG, PluginRegistry.defaults());
        new Trainer(HP).fit(network, SparkFixture.local(ROWS, 3));
        return network;
    }

    private static double tolerance() {
        return Equivalence.tolerance(CONFIG, SparkFixture.local(ROWS, 3), M, 0.5 / (1 - 0.9), HP.epochs());
    }

    /** Counts attempts on the executor side; the test runs in local mode, one JVM. */
    static final AtomicInteger FAILURES = new AtomicInteger();

    @Test
    void aTaskThatFailsMidRunIsRetriedAndTheRunEndsWithTheSameParameters() {
        double[] clean = FlatParameters.values(
                SparkTrainer.builder(CONFIG, HP).build().fit(SparkFixture.frame(ROWS, 4)).network());
        FAILURES.set(0);
        SparkTrainer faulty = SparkTrainer.builder(CONFIG, HP).build().probe((partition, step) -> {
            if (partition == 1 && step == 4 && TaskContext.get().attemptNumber() == 0) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure of partition 1 at step 4");
            }
        });
        Network retried = faulty.fit(SparkFixture.frame(ROWS, 4)).network();
        assertEquals(1, FAILURES.get(), "the failure was injected once");
        assertArrayEquals(clean, FlatParameters.values(retried), 0.0);
        Equivalence.assertClose(singleMachine(), retried, tolerance(), "after a retried task");
    }

    @Test
    void aKilledDriverResumesFromTheLastCheckpointAndEndsAsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        double[] uninterrupted = FlatParameters.values(
                SparkTrainer.builder(CONFIG, HP).build().fit(SparkFixture.frame(ROWS, 2)).network());
        Path run = dir.resolve("run");
        SparkTrainer first = SparkTrainer.builder(CONFIG, HP).checkpoints(run, 3).build().afterEpoch(e -> {
            if (e == 7) {
                throw new IllegalStateException("driver killed after epoch 7");
            }
        });
        assertThrows(IllegalStateException.class, () -> first.fit(SparkFixture.frame(ROWS, 2)));
        Path latest = Checkpoints.latest(run).orElseThrow();
        assertEquals("checkpoint-epoch-00000006.nnkit", latest.getFileName().toString());
        assertEquals(6, ModelFile.load(latest).trainingState().orElseThrow().epochsDone());
        // a new driver: new trainer, same directory
        SparkTrainer.Result resumed = SparkTrainer.builder(CONFIG, HP).checkpoints(run, 3).build()
                .fit(SparkFixture.frame(ROWS, 2));
        assertEquals(6, resumed.resumedFromEpoch());
        assertEquals(4, resumed.epochCosts().length);
        assertEquals(HP.epochs(), resumed.steps());
        assertArrayEquals(uninterrupted, FlatParameters.values(resumed.network()), 0.0);
        Equivalence.assertClose(singleMachine(), resumed.network(), tolerance(), "after a resume");
        // the final checkpoint is the trained model
        assertTrue(Files.exists(run.resolve("checkpoint-epoch-00000010.nnkit")));
        assertArrayEquals(uninterrupted, FlatParameters.values(
                ModelFile.load(Checkpoints.latest(run).orElseThrow()).network()), 0.0);
    }

    @Test
    void aCheckpointOfOtherSettingsIsRefused(@TempDir Path dir) {
        SparkTrainer.builder(CONFIG, HP.withEpochs(2)).checkpoints(dir, 1).build().fit(SparkFixture.frame(ROWS, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                SparkTrainer.builder(CONFIG, HP.withOptimizer("sgd(learning_rate=0.1)")).checkpoints(dir, 1).build()
                        .fit(SparkFixture.frame(ROWS, 2)));
        assertTrue(e.getMessage().contains("only the number of epochs may differ"), e.getMessage());
    }
}
