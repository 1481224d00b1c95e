package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.training.EarlyStopping;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import static dev.nnkit.ModelFixtures.flatParameters;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    /** Records, after every epoch, the validation metric and the parameters; added before the early stopping. */
    private static final class Recorder implements TrainingListener {
        final Network network;
        final Dataset validation;
        final EarlyStopping.Metric metric;
        final List<Double> values = new ArrayList<>();
        final List<double[]> parameters = new ArrayList<>();

        Recorder(Network network, Dataset validation, EarlyStopping.Metric metric) {
            this.network = network;
            this.validation = validation;
            this.metric = metric;
        }

        @Override
        public void onEpochEnd(TrainingContext context) {
            int epoch = context.epoch();
            double meanCost = context.epochCost();
            values.add(metric == EarlyStopping.Metric.COST ? network.cost(validation) : network.accuracy(validation));
            parameters.add(flatParameters(network));
        }
    }

    /**
     * The rule, applied here to the recorded series independently of the listener: returns
     * {best epoch, epoch after which training stops (or the series' length)}.
     */
    private static int[] expected(List<Double> values, boolean lowerIsBetter, int patience) {
        int best = 0;
        double bestValue = Double.NaN;
        for (int e = 1; e <= values.size(); e++) {
            double v = values.get(e - 1);
            boolean better = best == 0 || (lowerIsBetter ? v < bestValue : v > bestValue);
            if (better) {
                best = e;
                bestValue = v;
            } else if (e - best >= patience) {
                return new int[] {best, e};
            }
        }
        return new int[] {best, values.size()};
    }

    private static void check(EarlyStopping.Metric metric, int patience, int epochs) {
        // 60 noisy training points and a 2-3-1 network: the validation metric improves for about 100
        // epochs (seeds chosen so that it does), then wanders and worsens as the network fits the noise
        Dataset train = ModelFixtures.quadrants(60, 6);
        Dataset validation = ModelFixtures.quadrants(300, 4);
        Network net = ModelFixtures.small(9);
        Recorder recorder = new Recorder(net, validation, metric);
        EarlyStopping early = new EarlyStopping(net, validation, metric, patience);
        new Trainer(new Hyperparameters("adam(learning_rate=0.05)", epochs, 4, 1L, true)).listener(recorder).listener(early)
                .fit(net, train);
        int[] rule = expected(recorder.values, metric == EarlyStopping.Metric.COST, patience);
        assertEquals(rule[0], early.bestEpoch());
        assertEquals(rule[1], recorder.values.size(), "the epoch training stopped after");
        assertEquals(rule[1], early.lastEpoch());
        assertTrue(early.stopped(), "the run must stop early for this test to mean anything; it ran " + rule[1] + " epochs");
        assertTrue(early.bestEpoch() > 50, "the metric improved for a while: best epoch " + early.bestEpoch());
        assertEquals(recorder.values.get(early.bestEpoch() - 1), early.bestValue(), 0.0);
        // the network holds the parameters of the best epoch, not of the last one
        assertArrayEquals(recorder.parameters.get(early.bestEpoch() - 1), flatParameters(net), 0.0);
        double now = metric == EarlyStopping.Metric.COST ? net.cost(validation) : net.accuracy(validation);
        assertEquals(early.bestValue(), now, 0.0);
    }

    @Test
    void stopsAfterPatienceEpochsWithoutALowerValidationCostAndRestoresTheBest() {
        check(EarlyStopping.Metric.COST, 10, 2000);
    }

    @Test
    void stopsAfterPatienceEpochsWithoutAHigherAccuracyAndRestoresTheBest() {
        check(EarlyStopping.Metric.ACCURACY, 20, 2000);
    }

    @Test
    void aRunThatEndsBeforeThePatienceRunsOutStillGetsTheBestParameters() {
        Dataset train = ModelFixtures.quadrants(40, 5);
        Network net = ModelFixtures.small(8);
        Recorder recorder = new Recorder(net, train, EarlyStopping.Metric.COST);
        EarlyStopping early = new EarlyStopping(net, train, EarlyStopping.Metric.COST, 1000);
        new Trainer(new Hyperparameters("sgd(learning_rate=3)", 30, 0, 1L, false)).listener(recorder).listener(early).fit(net, train);
        assertEquals(30, recorder.values.size());
        assertTrue(!early.stopped());
        assertEquals(expected(recorder.values, true, 1000)[0], early.bestEpoch());
        assertArrayEquals(recorder.parameters.get(early.bestEpoch() - 1), flatParameters(net), 0.0);
    }

    @Test
    void argumentsAreChecked() {
        Network net = ModelFixtures.small(1);
        Dataset data = ModelFixtures.quadrants(10, 1);
        assertEquals("early stopping patience=0; it must be >= 1 epoch", assertThrows(IllegalArgumentException.class,
                () -> new EarlyStopping(net, data, EarlyStopping.Metric.COST, 0)).getMessage());
        assertEquals("early stopping minDelta=NaN; it must be finite and >= 0", assertThrows(IllegalArgumentException.class,
                () -> new EarlyStopping(net, data, EarlyStopping.Metric.COST, 3, Double.NaN)).getMessage());
        Dataset wide = new Dataset(new DMatrixRMaj(3, 4), new DMatrixRMaj(1, 4));
        assertEquals("X has 3 rows but the network's input size n[0] is 2; examples are columns, so X must be (2, m); it is (3, 4)",
                assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(net, wide, EarlyStopping.Metric.ACCURACY, 3))
                        .getMessage());
        Dataset soft = new Dataset(new DMatrixRMaj(2, 1), new DMatrixRMaj(new double[][] {{0.5}}));
        assertEquals("binary_cross_entropy: label Y[0, 0] = 0.5; binary labels must be 0 or 1", assertThrows(
                IllegalArgumentException.class, () -> new EarlyStopping(net, soft, EarlyStopping.Metric.COST, 3)).getMessage());
    }
}
