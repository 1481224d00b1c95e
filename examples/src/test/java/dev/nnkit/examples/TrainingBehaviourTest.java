package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.spi.Parameter;
import dev.nnkit.training.Trainer;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Training with the shipped plugins: symmetry (MATH §4), determinism, dropout and L2 (MATH §7). */
class TrainingBehaviourTest {

    private static Network flowerNet(String initializer, String... regularizers) {
        return Network.builder(2).activation("tanh").initializer(initializer).regularizers(regularizers)
                .dense(4).dense(1, "sigmoid").loss("binary_cross_entropy").seed(2).build();
    }

    private static Hyperparameters gradientDescent(int iterations) {
        return Hyperparameters.defaults().withOptimizer("sgd(learning_rate=1.2)").withEpochs(iterations);
    }

    @Test
    void zerosLeaveEveryHiddenUnitIdenticalWhileSmallRandomBreaksTheSymmetry() {
        Dataset data = PlanarData.flower(100, 3);
        Network zeros = flowerNet("zeros");
        new Trainer(gradientDescent(2000)).fit(zeros, data);
        DMatrixRMaj w1 = zeros.parameter(1, "W");
        DMatrixRMaj b1 = zeros.parameter(1, "b");
        DMatrixRMaj w2 = zeros.parameter(2, "W");
        for (int unit = 1; unit < 4; unit++) {
            for (int input = 0; input < 2; input++) {
                assertEquals(w1.get(0, input), w1.get(unit, input), 0.0, "W[1] row " + unit + " equals row 0");
            }
            assertEquals(b1.get(0, 0), b1.get(unit, 0), 0.0);
            assertEquals(w2.get(0, 0), w2.get(0, unit), 0.0);
        }
        assertTrue(zeros.accuracy(data) < 0.6, "a network of identical units is no better than one unit: "
                + zeros.accuracy(data));

        Network random = flowerNet("small_random");
        new Trainer(gradientDescent(2000)).fit(random, data);
        DMatrixRMaj r1 = random.parameter(1, "W");
        assertNotEquals(r1.get(0, 0), r1.get(1, 0));
        assertTrue(random.accuracy(data) > 0.8, "small random init learns the flower: " + random.accuracy(data));
    }

    @Test
    void theSameSeedGivesBitIdenticalParametersWithDropoutMiniBatchesAndAdam() {
        Dataset data = PlanarData.flower(50, 4);
        double[][][] runs = new double[2][][];
        for (int run = 0; run < 2; run++) {
            Network net = Network.builder(2).activation("relu").initializer("he_uniform")
                    .regularizers("dropout(keep_prob=0.7)", "l2(lambda=0.1)")
                    .dense(8).dense(8).dense(1, "sigmoid").loss("binary_cross_entropy").seed(5).build();
            new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)").withEpochs(30)
                    .withBatchSize(16).withSeed(9)).fit(net, data);
            runs[run] = net.parameters().stream().map(p -> p.value().data.clone()).toArray(double[][]::new);
        }
        for (int p = 0; p < runs[0].length; p++) {
            assertArrayEquals(runs[0][p], runs[1][p], 0.0);
        }
    }

    @Test
    void dropoutIsAppliedToHiddenLayersOnlyAndSwitchedOffAtInference() {
        Network net = Network.builder(2).activation("tanh").initializer("xavier_normal")
                .regularizers("dropout(keep_prob=0.5)").dense(6).dense(1, "sigmoid").loss("binary_cross_entropy").build();
        assertEquals("[dropout(keep_prob=0.5)]", net.config().layers().get(0).regularizers().toString());
        assertEquals("[]", net.config().layers().get(1).regularizers().toString(), "no dropout on the output layer");
        DMatrixRMaj x = PlanarData.flower(10, 1).features();
        assertArrayEquals(net.predict(x).data, net.predict(x).data, 0.0, "inference is deterministic");
    }

    @Test
    void l2ShrinksTheWeights() {
        Dataset data = PlanarData.flower(100, 3);
        Network plain = flowerNet("xavier_normal");
        Network shrunk = flowerNet("xavier_normal", "l2(lambda=2)");
        new Trainer(gradientDescent(1000)).fit(plain, data);
        new Trainer(gradientDescent(1000)).fit(shrunk, data);
        assertTrue(norm(shrunk) < 0.8 * norm(plain), "||W|| with l2 " + norm(shrunk) + " vs without " + norm(plain));
    }

    private static double norm(Network net) {
        double sum = 0.0;
        for (Parameter p : net.parameters()) {
            if (p.role() == Parameter.Role.WEIGHT) {
                for (int k = 0; k < p.value().getNumElements(); k++) {
                    sum += p.value().data[k] * p.value().data[k];
                }
            }
        }
        return Math.sqrt(sum);
    }
}
