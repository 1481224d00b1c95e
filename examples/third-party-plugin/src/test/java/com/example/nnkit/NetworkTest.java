package com.example.nnkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.GradientCheckReport;
import dev.nnkit.gradcheck.GradientChecker;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingHistory;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The plugins used by name in a network, with nothing of nnkit but core: swish layers initialized
 * orthogonally with an L1 penalty, fitting {@code y = 2 + sin(x1) + x2 / 2} with mean squared error
 * (the target is positive because the output is a swish too: core ships no activation, and swish
 * is bounded below by {@code -0.28}).
 */
class NetworkTest {

    private static Dataset data(int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int j = 0; j < m; j++) {
            double x1 = random.nextDouble(-2, 2);
            double x2 = random.nextDouble(-2, 2);
            x.set(0, j, x1);
            x.set(1, j, x2);
            y.set(0, j, 2 + Math.sin(x1) + x2 / 2);
        }
        return new Dataset(x, y);
    }

    private static Network network() {
        return Network.builder(2)
                .activation("swish(beta=1.5)")
                .initializer("orthogonal(gain=1.2)")
                .regularizers("l1(lambda=0.001)")
                .dense(16)
                .dense(8)
                .dense(1, "swish")
                .loss("mean_squared_error")
                .seed(3)
                .build();
    }

    @Test
    void theBackPropagatedGradientMatchesTheCostsDifferencesWithThePenaltyIncluded() {
        GradientCheckReport report = GradientChecker.defaults().check(network(), data(20, 1));
        assertTrue(report.verdict().passes(), report::toString);
    }

    @Test
    void trainsANetworkBuiltFromThePluginsByName() {
        Network network = network();
        assertEquals("swish(beta=1.5)", network.activation(1).toString());
        assertEquals("orthogonal(gain=1.2)", network.initializer(2).toString());
        assertEquals("l1(lambda=0.001)", network.regularizers(1).get(0).toString());
        Dataset train = data(256, 2);
        double before = network.cost(train);
        TrainingHistory history = new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)")
                .withEpochs(60).withBatchSize(32).withSeed(4)).fit(network, train);
        double after = network.cost(train);
        // A fit that learned the target ends far below the cost of the first guess.
        assertTrue(after < before / 10, "cost " + before + " -> " + after);
        assertTrue(history.finalCost() < before / 10, "final training cost " + history.finalCost());
    }
}
