package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.training.Trainer;
import org.junit.jupiter.api.Test;

/** The memory estimate, counted here by hand, and the refusal of what cannot fit before anything is allocated. */
class MemoryGuardTest {

    @Test
    void theTrainingEstimateCountsTheCopiesAndTheBatchActivations() {
        Network net = ModelFixtures.small(1); // 2-3-1: 3 * (2 + 1) + 1 * (3 + 1) = 13 values
        // 13 values x 3 copies (last good, two optimizer moments) x 8 bytes
        // + per example: 2 inputs, 4 arrays (Z, A, dZ, dA) of 3 + 1 units, 1 label = 19 values x 8 bytes
        assertEquals(13 * 24 + 10 * 19 * 8, net.trainingMemoryEstimate(10));
        assertEquals(13 * 24 + 19 * 8, net.trainingMemoryEstimate(0), "at least one example");
    }

    @Test
    void aNetworkLargerThanTheHeapIsAnIllegalArgumentNotAnOutOfMemoryError() {
        Network.Builder huge = Network.builder(2).registry(ModelFixtures.registry()).activation("sigmoid")
                .initializer("test_gaussian").dense(300_000_000).dense(1, "sigmoid").loss("binary_cross_entropy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, huge::build);
        // 300,000,000 x 3 + 1 x 300,000,001 values
        assertTrue(e.getMessage().startsWith("a network of 2 layers on 2 inputs (1,200,000,001 parameter and state values, "
                + "16 bytes each with its gradient) needs about 17.9 GB but this JVM's heap is at most "), e.getMessage());
        assertTrue(e.getMessage().endsWith("give the JVM more memory (e.g. -Xmx8g)"), e.getMessage());
    }

    @Test
    void aTrainingRunLargerThanTheHeapIsRefusedBeforeItsBuffers() {
        long max = Runtime.getRuntime().maxMemory();
        // a network that fits, with batches whose activations do not: 2-n-1 with n * 4 * 8 bytes per example
        int units = 2_000_000;
        Network net = Network.builder(2).registry(ModelFixtures.registry()).activation("sigmoid").initializer("test_gaussian")
                .dense(units).dense(1, "sigmoid").loss("binary_cross_entropy").build();
        int batch = (int) Math.min(Integer.MAX_VALUE, max / (32L * units) + 1);
        dev.nnkit.data.Dataset data = ModelFixtures.quadrants(batch, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(Hyperparameters.defaults().withBatchSize(0).withEpochs(1)).fit(net, data));
        assertTrue(e.getMessage().startsWith("training 2-2000000(sigmoid)-1(sigmoid)"), e.getMessage());
        assertTrue(e.getMessage().contains("on batches of " + batch) && e.getMessage().contains("needs about"), e.getMessage());
    }

    @Test
    void evaluationPassesShrinkTheirChunksToTheHeapAndPredictRefusesWhatCannotFit() {
        long max = Runtime.getRuntime().maxMemory();
        // 2-n-1: 16 n bytes per example for Z and A, so max / (16 n) + 1 examples at once cannot fit
        int units = 2_000_000;
        Network net = Network.builder(2).registry(ModelFixtures.registry()).activation("sigmoid").initializer("test_gaussian")
                .dense(units).dense(1, "sigmoid").loss("binary_cross_entropy").build();
        int m = (int) Math.min(1024, max / (16L * units) + 1);
        dev.nnkit.data.Dataset data = ModelFixtures.quadrants(m, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.predict(
                new org.ejml.data.DMatrixRMaj(2, (int) (max / (16L * units) + 1))));
        assertTrue(e.getMessage().startsWith("predict of "), e.getMessage());
        assertTrue(e.getMessage().contains("through 2-2000000(sigmoid)-1(sigmoid)") && e.getMessage().contains("needs about"),
                e.getMessage());
        // the cost still comes out, in smaller chunks: the mean of the examples' costs, each computed alone
        double expected = 0;
        for (int j = 0; j < 3; j++) {
            expected += net.cost(data.slice(j, j + 1));
        }
        dev.nnkit.data.Dataset three = data.slice(0, 3);
        assertEquals(expected / 3, net.cost(three), 1e-12 * Math.abs(expected));
        double whole = net.cost(data);
        assertTrue(Double.isFinite(whole) && whole > 0, "cost of " + m + " examples: " + whole);
    }

}
