package com.example.nnkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.GradientCheckReport;
import dev.nnkit.gradcheck.GradientChecker;
import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.Parameter;
import dev.nnkit.training.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code centered_dense} in networks built by name: trained by the trainer (its running means move
 * in training steps only), checked by the gradient checker with non-zero running means, and saved
 * to and loaded from a model file with its state.
 */
class CenteredDenseNetworkTest {

    /** Inputs around (5, -3), far from 0, and a positive target (the output is a swish). */
    private static Dataset data(int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int j = 0; j < m; j++) {
            double x1 = random.nextDouble(4, 6);
            double x2 = random.nextDouble(-4, -2);
            x.set(0, j, x1);
            x.set(1, j, x2);
            y.set(0, j, 1.5 + Math.sin(2 * (x1 - 5)) + (x2 + 3) / 2);
        }
        return new Dataset(x, y);
    }

    private static Network network(String momentum) {
        return Network.builder(2)
                .activation("swish")
                .initializer("orthogonal")
                .layer(new LayerConfig("centered_dense(units=8, momentum=" + momentum + ")", null, null, null))
                .layer(new LayerConfig("centered_dense(units=1)", null, null, null))
                .loss("mean_squared_error")
                .seed(2)
                .build();
    }

    private static List<double[]> state(Network network) {
        return List.of(network.state(1).get(0).value().data.clone(), network.state(2).get(0).value().data.clone());
    }

    private static void assertSameState(List<double[]> expected, Network network) {
        List<double[]> actual = state(network);
        for (int l = 0; l < expected.size(); l++) {
            assertArrayEquals(expected.get(l), actual.get(l), 0.0, "running_mean[" + (l + 1) + "]");
        }
    }

    @Test
    void fullBatchTrainingMovesTheFirstRunningMeanToTheDataMeanAndNothingElseMovesIt() {
        Network network = network("0.5");
        Dataset data = data(64, 1);
        double[] xMean = new double[2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 64; j++) {
                xMean[i] += data.features().get(i, j) / 64;
            }
        }
        new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.05)").withEpochs(30).withBatchSize(0))
                .fit(network, data);
        // 30 steps of mu := 0.5 mu + 0.5 mean(X) from 0: (1 - 0.5^30) mean(X)
        double[] mu = network.state(1).get(0).value().data;
        for (int i = 0; i < 2; i++) {
            assertEquals((1 - Math.pow(0.5, 30)) * xMean[i], mu[i], 1e-12, "running_mean[1] entry " + i);
        }
        // the second layer's mean follows its input, the hidden activations, and is no longer 0
        assertTrue(Arrays.stream(network.state(2).get(0).value().data).allMatch(v -> v != 0));

        List<double[]> trained = state(network);
        double cost = network.cost(data);
        network.predict(data.features());
        network.computeGradients(data);
        assertEquals(cost, network.cost(data));
        assertSameState(trained, network);
    }

    @Test
    void theGradientCheckerPassesWithTrainedRunningMeansAndChangesNoState() {
        Network network = network("0.9");
        Dataset data = data(20, 3);
        new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)").withEpochs(15).withBatchSize(5)
                .withSeed(4)).fit(network, data);
        List<double[]> trained = state(network);
        assertTrue(Arrays.stream(trained.get(0)).allMatch(v -> Math.abs(v) > 1), Arrays.toString(trained.get(0)));
        GradientCheckReport report = GradientChecker.defaults().check(network, data);
        assertTrue(report.verdict().passes(), report::toString);
        assertEquals(16 + 8 + 8 + 8 + 1 + 1, report.entries().size(), report::toString);   // W, g, b of both layers
        assertSameState(trained, network);
    }

    @Test
    void aModelFileKeepsTheRunningMeansAndTheRebuiltNetworkNeedsThem(@TempDir Path dir) throws IOException {
        Network network = network("0.9");
        Dataset data = data(128, 5);
        new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)").withEpochs(40).withBatchSize(16)
                .withSeed(6)).fit(network, data);
        Path file = dir.resolve("centered.nnkit");
        ModelFile.save(network, file);
        Network loaded = ModelFile.load(file).network();

        assertEquals("centered_dense(units=8, momentum=0.9)", loaded.layer(1).toString());
        assertEquals(CenteredDense.class, loaded.layer(1).getClass());
        assertSameState(state(network), loaded);
        for (int l = 1; l <= 2; l++) {
            for (Parameter p : network.parameters(l)) {
                assertArrayEquals(p.value().data, loaded.parameter(l, p.name()).data, 0.0, p.name() + "[" + l + "]");
            }
        }
        DMatrixRMaj x = data.features();
        assertArrayEquals(network.predict(x).data, loaded.predict(x).data, 0.0);

        // The same config and parameters without the saved state start from mu = 0: another function.
        Network rebuilt = Network.fromConfig(loaded.config(), PluginRegistry.defaults());
        for (int l = 1; l <= 2; l++) {
            for (Parameter p : network.parameters(l)) {
                rebuilt.setParameter(l, p.name(), p.value());
            }
        }
        assertArrayEquals(new double[2], rebuilt.state(1).get(0).value().data, 0.0);
        assertFalse(Arrays.equals(network.predict(x).data, rebuilt.predict(x).data));
    }
}
