package dev.nnkit.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.training.Trainer;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Synchronous data-parallel training gives the single-machine parameters, and the same bits every run. */
class DataParallelTrainingTest {

    private static final int M = 240;
    private static final int INPUTS = 5;
    private static final double ALPHA = 0.5;
    private static final int EPOCHS = 25;
    private static final List<Row> ROWS = SparkFixture.blobs(M, INPUTS, 11);
    private static final NetworkConfig CONFIG = SparkFixture.mlp(INPUTS);
    private static final Hyperparameters FULL_BATCH =
            new Hyperparameters("sgd(learning_rate=" + ALPHA + ")", EPOCHS, 0, 3, false);

    static Network singleMachine(Hyperparameters hp) {
        Network network = Network.fromConfig(CONFIG, PluginRegistry.defaults());
        new Trainer(hp).fit(network, SparkFixture.local(ROWS, 3));
        return network;
    }

    @Test
    void fullBatchOnOneTwoAndFourPartitionsEqualsSingleMachine() {
        Network expected = singleMachine(FULL_BATCH);
        Dataset data = SparkFixture.local(ROWS, 3);
        double tolerance = Equivalence.tolerance(CONFIG, data, M, ALPHA, EPOCHS);
        assertTrue(tolerance < 1e-9, "the derived tolerance is meaningful: " + tolerance);
        for (int partitions : new int[] {1, 2, 4}) {
            SparkTrainer.Result r = SparkTrainer.builder(CONFIG, FULL_BATCH).build()
                    .fit(SparkFixture.frame(ROWS, partitions));
            assertEquals(partitions, r.partitions());
            assertEquals(EPOCHS, r.steps());
            Equivalence.assertClose(expected, r.network(), tolerance, partitions + " partitions");
        }
        // and the training moved: far more than the tolerance from the start
        Network start = Network.fromConfig(CONFIG, PluginRegistry.defaults());
        assertTrue(Equivalence.maxDifference(start, expected) > 1e6 * tolerance);
    }

    @Test
    void miniBatchesInRowOrderEqualSingleMachine() {
        Hyperparameters hp = new Hyperparameters("sgd(learning_rate=0.3)", 3, 50, 3, false);
        Network expected = singleMachine(hp);
        int steps = 3 * ((M + 49) / 50);
        double tolerance = Equivalence.tolerance(CONFIG, SparkFixture.local(ROWS, 3), 50, 0.3, steps);
        // 3 partitions of 80 rows: batches of 50 straddle partition borders
        SparkTrainer.Result r = SparkTrainer.builder(CONFIG, hp).build().fit(SparkFixture.frame(ROWS, 3));
        assertEquals(steps, r.steps());
        Equivalence.assertClose(expected, r.network(), tolerance, "mini-batches over 3 partitions");
    }

    @Test
    void sameBitsFromRunToRunForAFixedPartitioning() {
        double[] first = FlatParameters.values(SparkTrainer.builder(CONFIG, FULL_BATCH.withEpochs(8)).build()
                .fit(SparkFixture.frame(ROWS, 4)).network());
        double[] second = FlatParameters.values(SparkTrainer.builder(CONFIG, FULL_BATCH.withEpochs(8)).build()
                .fit(SparkFixture.frame(ROWS, 4)).network());
        assertArrayEquals(first, second, 0.0);
    }

    @Test
    void adamOnTheDriverFollowsTheSingleMachineRun() {
        Hyperparameters hp = new Hyperparameters("adam(learning_rate=0.01)", "exponential(rate=0.9)", 10, 0, 3, false);
        Network expected = singleMachine(hp);
        SparkTrainer.Result r = SparkTrainer.builder(CONFIG, hp).build().fit(SparkFixture.frame(ROWS, 2));
        // Adam divides by sqrt(v): round-off in tiny gradients is not damped, so compare loosely but far below a step
        Equivalence.assertClose(expected, r.network(), 1e-9, "adam with a schedule over 2 partitions");
        assertEquals(expected.cost(SparkFixture.local(ROWS, 3)), r.network().cost(SparkFixture.local(ROWS, 3)), 1e-9);
    }
}
