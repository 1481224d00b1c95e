package dev.nnkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.training.Trainer;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Parameter averaging every k local steps. */
class ParameterAveragingTest {

    private static final List<Row> ROWS = SparkFixture.blobs(200, 5, 31);
    private static final NetworkConfig CONFIG = SparkFixture.mlp(5);

    @Test
    void onOnePartitionKFullBatchStepsPerRoundAreKGradientDescentSteps() {
        Hyperparameters hp = new Hyperparameters("sgd(learning_rate=0.5)", 3, 0, 1, false);
        SparkTrainer.Result r = SparkTrainer.builder(CONFIG, hp).parameterAveraging(4).build()
                .fit(SparkFixture.frame(ROWS, 1));
        assertEquals(3, r.steps(), "one averaging round per epoch with full batch");
        Network expected = Network.fromConfig(CONFIG, PluginRegistry.defaults());
        new Trainer(hp.withEpochs(12)).fit(expected, SparkFixture.local(ROWS, 3));
        // the only difference: the average (theta m) / m, at most one rounding each way per value
        Equivalence.assertClose(expected, r.network(), 1e-14, "averaging on one partition");
    }

    @Test
    void averagingOverPartitionsLowersTheCost() {
        Hyperparameters hp = new Hyperparameters("sgd(learning_rate=0.2)", 4, 20, 1, false);
        SparkTrainer.Result r = SparkTrainer.builder(CONFIG, hp).parameterAveraging(5).build()
                .fit(SparkFixture.frame(ROWS, 4));
        Network start = Network.fromConfig(CONFIG, PluginRegistry.defaults());
        double before = start.cost(SparkFixture.local(ROWS, 3));
        double after = r.network().cost(SparkFixture.local(ROWS, 3));
        assertTrue(after < 0.7 * before, "cost " + before + " -> " + after);
        assertTrue(r.network().accuracy(SparkFixture.local(ROWS, 3)) > 0.8);
    }
}
