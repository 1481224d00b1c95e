package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.diagnostics.Diagnostics;
import dev.nnkit.diagnostics.LayerStatistics;
import dev.nnkit.internal.Access;
import dev.nnkit.training.EarlyStopping;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingDivergedException;
import dev.nnkit.training.TrainingListener;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.StepContext.Mode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** How the network runs its parts in each mode: transforms, layer state, threads, and the listeners that copy the model. */
class NetworkModesTest {

    private static final PluginRegistry REGISTRY = ModelFixtures.stepRegistry();

    /** 2-3(sigmoid, test_gain)-1(sigmoid): a transform that acts in every mode. */
    private static Network gained() {
        Network net = Network.builder(2).registry(REGISTRY).initializer("test_gaussian(std=0.7)")
                .layer(LayerConfig.dense(3).withActivation("sigmoid").withRegularizers("test_gain(factor=2)"))
                .dense(1, "sigmoid").loss("binary_cross_entropy").seed(21).build();
        net.setParameter(1, "b", new DMatrixRMaj(new double[][] {{0.1}, {-0.2}, {0.3}}));
        net.setParameter(2, "b", new DMatrixRMaj(new double[][] {{-0.4}}));
        return net;
    }

    /** 4-6(sigmoid, dropout)-6(running_shift)-3(test_softmax), softmax cross-entropy. */
    private static Network statefulClassifier(long seed) {
        return Network.builder(4).registry(REGISTRY).initializer("test_gaussian(std=0.6)")
                .layer(LayerConfig.dense(6).withActivation("sigmoid").withRegularizers("test_dropout(keep_prob=0.7)",
                        "test_l2(lambda=0.05)"))
                .layer(new LayerConfig("running_shift(momentum=0.6)", "test_scaled(factor=1)", null, List.of()))
                .dense(3, "test_softmax").loss("softmax_cross_entropy").seed(seed).build();
    }

    private static Dataset classes(int m, long seed) {
        Random r = new Random(seed);
        DMatrixRMaj x = ModelFixtures.gaussian(4, m, seed + 1);
        DMatrixRMaj y = new DMatrixRMaj(3, m);
        for (int j = 0; j < m; j++) {
            int c = x.get(0, j) + 0.5 * x.get(1, j) > 0.3 ? 0 : x.get(2, j) > 0 ? 1 : 2;
            y.set(r.nextDouble() < 0.1 ? r.nextInt(3) : c, j, 1);
        }
        return new Dataset(x, y);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void everyPassAppliesTheTransformsThatActInItsMode() {
        Network net = gained();
        DMatrixRMaj w1 = net.parameter(1, "W");
        DMatrixRMaj b1 = net.parameter(1, "b");
        DMatrixRMaj w2 = net.parameter(2, "W");
        double b2 = net.parameter(2, "b").get(0, 0);
        int m = 2000; // more than one chunk of the chunked evaluation
        DMatrixRMaj x = ModelFixtures.gaussian(2, m, 3);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        double[] expected = new double[m];
        double cost = 0;
        int correct = 0;
        for (int j = 0; j < m; j++) {
            double z2 = b2;
            for (int i = 0; i < 3; i++) {
                double a1 = sigmoid(w1.get(i, 0) * x.get(0, j) + w1.get(i, 1) * x.get(1, j) + b1.get(i, 0));
                z2 += w2.get(0, i) * 2 * a1; // the gain doubles what layer 2 receives
            }
            expected[j] = sigmoid(z2);
            y.set(0, j, j % 3 == 0 ? 1 : 0);
            cost -= y.get(0, j) * Math.log(expected[j]) + (1 - y.get(0, j)) * Math.log(1 - expected[j]);
            correct += (expected[j] > 0.5) == (y.get(0, j) == 1) ? 1 : 0;
        }
        cost /= m;
        Dataset data = new Dataset(x, y);
        assertArrayEquals(expected, net.predict(x).data, 1e-14);
        assertEquals(cost, net.cost(data), 1e-12, "the chunked inference-mode cost");
        assertEquals(cost, net.cost(data, Mode.CHECKING), 1e-12, "the checking-mode cost");
        assertEquals((double) correct / m, net.accuracy(data), 0.0);
        ForwardTrace trace = net.forwardTrace(x, Mode.CHECKING);
        assertArrayEquals(expected, trace.a(2).data, 1e-14);
        assertEquals(sigmoid(w1.get(0, 0) * x.get(0, 0) + w1.get(0, 1) * x.get(1, 0) + b1.get(0, 0)), trace.a(1).get(0, 0), 1e-15,
                "the trace keeps A[1] = g(Z[1]), before the transform");
        assertArrayEquals(expected, net.forwardTrace(x).a(2).data, 1e-14);

        // the checking-mode cost is the one whose gradient computeGradients computes
        Dataset small = new Dataset(ModelFixtures.gaussian(2, 9, 4), new DMatrixRMaj(1, 9, true, 1, 0, 0, 1, 1, 0, 1, 0, 0));
        net.computeGradients(small);
        for (Parameter p : net.parameters()) {
            for (int k = 0; k < p.value().getNumElements(); k++) {
                double saved = p.value().data[k];
                double h = 1e-5;
                p.value().data[k] = saved + h;
                double plus = net.cost(small, Mode.CHECKING);
                p.value().data[k] = saved - h;
                double minus = net.cost(small, Mode.CHECKING);
                p.value().data[k] = saved;
                double numeric = (plus - minus) / (2 * h);
                double analytic = p.gradient().data[k];
                assertEquals(numeric, analytic, 1e-7 * (Math.abs(numeric) + Math.abs(analytic)) + 1e-11, p.name() + "[" + k + "]");
            }
        }
    }

    @Test
    void predictionsFromFourThreadsEqualTheSingleThreadedOnesBitForBit() throws Exception {
        Network net = statefulClassifier(8);
        Dataset train = classes(120, 2);
        new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.02)").withEpochs(5).withBatchSize(16))
                .fit(net, train);
        for (double v : net.state(2).get(0).value().data) {
            assertTrue(v != 0, "the running mean was trained");
        }
        List<DMatrixRMaj> inputs = new ArrayList<>();
        List<double[]> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            inputs.add(ModelFixtures.gaussian(4, 1 + (i * 5) % 23, 500 + i));
            expected.add(net.predict(inputs.get(i)).data.clone());
        }
        Dataset evaluation = classes(1500, 3);
        double cost = net.cost(evaluation);
        double accuracy = net.accuracy(evaluation);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = 7 * t;
                Callable<Integer> task = () -> {
                    start.await();
                    int mismatches = 0;
                    for (int r = 0; r < 400; r++) {
                        int i = (offset + r) % inputs.size();
                        if (!Arrays.equals(expected.get(i), net.predict(inputs.get(i)).data)) {
                            mismatches++;
                        }
                        if (r % 100 == 0 && (net.cost(evaluation) != cost || net.accuracy(evaluation) != accuracy)) {
                            mismatches++;
                        }
                    }
                    return mismatches;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get();
            }
            assertEquals(0, total, "answers that differ from the single-threaded ones");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void trainingWithDropoutAndStateIsBitIdenticalForTheSameSeedsOnly() {
        Dataset data = classes(90, 4);
        Hyperparameters hp = new Hyperparameters("sgd(learning_rate=0.3, momentum=0.9)", 6, 20, 77L, true);
        double[][] runs = new double[3][];
        double[][] states = new double[3][];
        for (int run = 0; run < 3; run++) {
            Network net = statefulClassifier(5);
            new Trainer(run < 2 ? hp : hp.withSeed(78)).fit(net, data);
            runs[run] = ModelFixtures.flatParameters(net);
            states[run] = net.state(2).get(0).value().data.clone();
        }
        assertArrayEquals(runs[0], runs[1], 0.0);
        assertArrayEquals(states[0], states[1], 0.0);
        assertFalse(Arrays.equals(runs[0], runs[2]), "another seed draws other masks and batches");
        assertFalse(Arrays.equals(states[0], states[2]));
    }

    @Test
    void divergenceRestoresTheLayerStateOfTheLastFiniteStep() {
        Network net = statefulClassifier(6);
        List<double[]> recorded = new ArrayList<>();
        Trainer trainer = new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=1e6)").withEpochs(200)
                .withBatchSize(1)).listener(new TrainingListener() {
                    @Override
                    public void onStep(TrainingContext context) {
                        long step = context.step();
                        recorded.add(net.state(2).get(0).value().data.clone());
                    }
                });
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(net, classes(40, 5)));
        assertEquals(e.step() - 1, recorded.size());
        double[] state = net.state(2).get(0).value().data;
        for (double v : state) {
            assertTrue(Double.isFinite(v), "state after divergence: " + Arrays.toString(state));
        }
        assertArrayEquals(recorded.get(recorded.size() - 1), state, 0.0, "the state after the last finite step");
    }

    @Test
    void earlyStoppingRestoresTheLayerStateOfTheBestEpochWithItsParameters() {
        Network net = statefulClassifier(9);
        Dataset train = classes(60, 6);
        Dataset validation = classes(200, 7);
        List<double[]> parameters = new ArrayList<>();
        List<double[]> states = new ArrayList<>();
        List<Double> costs = new ArrayList<>();
        EarlyStopping early = new EarlyStopping(net, validation, EarlyStopping.Metric.COST, 3);
        new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.05)").withEpochs(40).withBatchSize(15))
                .listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(TrainingContext context) {
                        int epoch = context.epoch();
                        double meanCost = context.epochCost();
                        parameters.add(ModelFixtures.flatParameters(net));
                        states.add(net.state(2).get(0).value().data.clone());
                        costs.add(net.cost(validation));
                    }
                }).listener(early).fit(net, train);
        int best = early.bestEpoch();
        assertTrue(best >= 1 && best < costs.size(), "best epoch " + best + " of " + costs.size());
        assertFalse(Arrays.equals(states.get(best - 1), states.get(states.size() - 1)), "the state moved after the best epoch");
        assertArrayEquals(parameters.get(best - 1), ModelFixtures.flatParameters(net), 0.0);
        assertArrayEquals(states.get(best - 1), net.state(2).get(0).value().data, 0.0);
        assertEquals(costs.get(best - 1), net.cost(validation), 0.0, "the restored model measures as it did");
    }

    @Test
    void aTransformIsNeverAppliedToTheOutputLayer() {
        // a network-wide default leaves the output layer out; configured there explicitly, it is refused
        Network net = Network.builder(2).registry(REGISTRY).initializer("test_gaussian").activation("sigmoid")
                .regularizers("test_dropout(keep_prob=0.5)", "test_l2(lambda=0.1)").dense(3).dense(1)
                .loss("binary_cross_entropy").build();
        assertEquals(List.of("test_dropout(keep_prob=0.5)", "test_l2(lambda=0.1)"), net.config().layers().get(0).regularizers());
        assertEquals(List.of("test_l2(lambda=0.1)"), net.config().layers().get(1).regularizers());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).registry(REGISTRY)
                .initializer("test_gaussian").dense(3, "sigmoid")
                .layer(LayerConfig.dense(1).withActivation("sigmoid").withRegularizers("test_dropout(keep_prob=0.5)"))
                .loss("binary_cross_entropy").build());
        assertEquals("layer 2 (dense(units=1)) is the output layer and test_dropout(keep_prob=0.5) acts on its activations; "
                + "the loss would see altered outputs. Attach it to hidden layers only", e.getMessage());
        // an inactive one (keep_prob = 1) changes nothing and is accepted
        Network.builder(2).registry(REGISTRY).initializer("test_gaussian").dense(3, "sigmoid")
                .layer(LayerConfig.dense(1).withActivation("sigmoid").withRegularizers("test_dropout(keep_prob=1)"))
                .loss("binary_cross_entropy").build();
    }

    @Test
    void diagnosticsMeasureTheSamePassAsTheGradients() {
        Network net = statefulClassifier(10);
        net.state(2).get(0).value().fill(5.0); // far from any batch mean: inference would centre badly
        Dataset batch = classes(50, 8);
        List<LayerStatistics> stats = Diagnostics.measure(net, batch);
        ForwardTrace checking = net.forwardTrace(Access.data().x(batch), Mode.CHECKING);
        ForwardTrace inference = net.forwardTrace(Access.data().x(batch));
        assertEquals(variance(checking.a(2)), stats.get(1).aVariance(), 0.0);
        assertEquals(variance(checking.z(3)), stats.get(2).zVariance(), 0.0);
        assertTrue(variance(inference.z(3)) != stats.get(2).zVariance());
    }

    /** As {@code Diagnostics} computes it. */
    private static double variance(DMatrixRMaj m) {
        int n = m.getNumElements();
        double mean = 0.0;
        for (int k = 0; k < n; k++) {
            mean += m.data[k];
        }
        mean /= n;
        double sum = 0.0;
        for (int k = 0; k < n; k++) {
            double d = m.data[k] - mean;
            sum += d * d;
        }
        return sum / n;
    }
}
