package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.data.Dataset;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Training draws its mini-batch order from the network's random source. */
class TrainingRandomSourceTest {

    /** {@code np.random.seed(s); np.random.permutation(8)} for s = 11, 12, 13, printed by NumPy 2.4. */
    private static final int[][] NUMPY_PERMUTATIONS = {
        {2, 6, 4, 5, 7, 3, 0, 1},
        {4, 6, 0, 2, 1, 5, 7, 3},
        {1, 4, 3, 5, 6, 7, 0, 2},
    };

    /**
     * Batches of one example and a learning rate too small to move the weights: each step's cost
     * is one example's, and the examples' costs differ, so the steps spell out each epoch's order.
     */
    private static List<int[]> epochOrders(String random, long trainingSeed, int epochs) {
        int m = 8;
        DMatrixRMaj x = new DMatrixRMaj(1, m);
        for (int j = 0; j < m; j++) {
            x.set(0, j, j + 1);
        }
        Dataset data = new Dataset(x, new DMatrixRMaj(1, m));
        Network net = Network.builder(1).random(random).activation("test_scaled").initializer("test_gaussian(std=1)")
                .dense(1).loss("mean_squared_error").seed(5).build();
        double[] exampleCost = new double[m];
        for (int j = 0; j < m; j++) {
            DMatrixRMaj one = new DMatrixRMaj(1, 1, true, j + 1.0);
            exampleCost[j] = net.cost(new Dataset(one, new DMatrixRMaj(1, 1)));
        }
        List<int[]> orders = new ArrayList<>();
        new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=1e-30)").withEpochs(epochs)
                .withBatchSize(1).withSeed(trainingSeed)).listener(new TrainingListener() {
                    @Override
                    public void onStep(TrainingContext context) {
                        if ((context.step() - 1) % m == 0) {
                            orders.add(new int[m]);
                        }
                        int position = (int) ((context.step() - 1) % m);
                        int example = -1;
                        for (int j = 0; j < m; j++) {
                            if (Math.abs(exampleCost[j] - context.stepCost()) <= 1e-12 * exampleCost[j]) {
                                example = j;
                            }
                        }
                        orders.get(orders.size() - 1)[position] = example;
                    }
                }).fit(net, data);
        return orders;
    }

    @Test
    void numpyLegacyOrdersEachEpochAsNumpysPermutationOfSeedPlusEpoch() {
        List<int[]> orders = epochOrders("numpy_legacy", 10, 3);
        assertEquals(3, orders.size());
        for (int e = 0; e < 3; e++) {
            assertArrayEquals(NUMPY_PERMUTATIONS[e], orders.get(e), "epoch " + (e + 1) + " = np.random.seed(" + (11 + e) + ")");
        }
        // the spec's own seed chooses the initial weights only: the order still follows the training seed
        assertArrayEquals(NUMPY_PERMUTATIONS[0], epochOrders("numpy_legacy(seed=2)", 10, 1).get(0));
    }

    @Test
    void theDefaultSourceKeepsItsOwnStreams() {
        List<int[]> orders = epochOrders("splittable", 10, 2);
        assertEquals(2, orders.size());
        for (int[] order : orders) {
            assertEquals(28, java.util.Arrays.stream(order).sum(), "a permutation of 0..7");
        }
        assertTrue(!java.util.Arrays.equals(orders.get(0), orders.get(1)), "two epochs, two orders");
        assertTrue(!java.util.Arrays.equals(NUMPY_PERMUTATIONS[0], orders.get(0)));
    }

    @Test
    void aTrainingSeedNumpyCannotTakeIsRefusedWithTheNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> epochOrders("numpy_legacy", -5, 1));
        assertTrue(e.getMessage().contains("the training seed + epoch (-5 + 1) is -4"), e.getMessage());
    }
}
