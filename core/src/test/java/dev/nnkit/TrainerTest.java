package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.data.Dataset;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.PluginException;
import dev.nnkit.training.ModelSnapshot;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingDivergedException;
import dev.nnkit.training.TrainingHistory;
import dev.nnkit.training.TrainingListener;
import dev.nnkit.training.TrainingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrainerTest {

    /** y = 2 x1 - 3 x2 + 0.5, exactly linear, so a linear network can reach zero cost. */
    private static Dataset linearData(int m) {
        Random r = new Random(1);
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int j = 0; j < m; j++) {
            x.set(0, j, r.nextGaussian());
            x.set(1, j, r.nextGaussian());
            y.set(0, j, 2 * x.get(0, j) - 3 * x.get(1, j) + 0.5);
        }
        return new Dataset(x, y);
    }

    private static Network regression() {
        return Network.builder(2).dense(1, "test_scaled").initializer("test_gaussian(std=0.1)")
                .loss("mean_squared_error").seed(3).build();
    }

    @Test
    void gradientDescentRecoversTheLinearMap() {
        Network net = regression();
        TrainingHistory history = new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)")
                .withEpochs(500)).fit(net, linearData(50));
        assertEquals(500, history.stepCount());
        assertEquals(2.0, net.parameter(1, "W").get(0, 0), 1e-6);
        assertEquals(-3.0, net.parameter(1, "W").get(0, 1), 1e-6);
        assertEquals(0.5, net.parameter(1, "b").get(0, 0), 1e-6);
        double[] costs = history.stepCosts();
        assertTrue(costs[costs.length - 1] < 1e-12 && costs[0] > 1.0, "cost " + costs[0] + " -> " + costs[costs.length - 1]);
    }

    @Test
    void miniBatchesCoverEveryExampleOncePerEpoch() {
        Network net = regression();
        TrainingHistory history = new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.05)")
                .withEpochs(3).withBatchSize(16)).fit(net, linearData(50));
        assertEquals(3 * 4, history.stepCount(), "ceil(50 / 16) = 4 batches per epoch");
        assertEquals(3, history.epochCosts().length);
    }

    @Test
    void theSameSeedGivesBitIdenticalParameters() {
        double[][] runs = new double[2][];
        for (int run = 0; run < 2; run++) {
            Network net = regression();
            new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)").withEpochs(20)
                    .withBatchSize(8).withSeed(99)).fit(net, linearData(40));
            runs[run] = net.parameter(1, "W").data;
        }
        assertArrayEquals(runs[0], runs[1], 0.0);
        Network other = regression();
        new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)").withEpochs(20)
                .withBatchSize(8).withSeed(100)).fit(other, linearData(40));
        assertTrue(other.parameter(1, "W").get(0, 0) != runs[0][0], "another shuffling seed gives another path");
    }

    @Test
    void buffersKeptFromAnEarlierRunDoNotChangeTheNextOne() {
        Dataset data = linearData(40);
        Network trained = regression();
        new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.05)").withEpochs(3).withBatchSize(16))
                .fit(trained, data);
        // the same parameters in a network that never trained, so it has no buffers yet
        Network fresh = regression();
        fresh.setParameter(1, "W", trained.parameter(1, "W"));
        fresh.setParameter(1, "b", trained.parameter(1, "b"));
        for (int batch : new int[] {32, 8, 0}) {
            Trainer next = new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.05)").withEpochs(4)
                    .withBatchSize(batch).withSeed(5));
            assertArrayEquals(next.fit(fresh, data).stepCosts(), next.fit(trained, data).stepCosts(), 0.0, "batch " + batch);
            assertArrayEquals(fresh.parameter(1, "W").data, trained.parameter(1, "W").data, 0.0);
        }
    }

    @ParameterizedTest
    @EnumSource(Dtype.class)
    void divergenceStopsWithAClearErrorAndKeepsTheLastFiniteParameters(Dtype dtype) {
        Network net = Network.fromConfig(regression().config().withDtype(dtype), PluginRegistry.defaults());
        // one example per step, 500 steps in the first epoch: the cost overflows before an epoch ends, where the
        // growth check (divergenceWithFiniteCostsIsCaughtToo) would see the parameters
        Trainer trainer = new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=50)").withEpochs(1000)
                .withBatchSize(1));
        TrainingHistory recorded = new TrainingHistory();
        List<double[]> afterStep = new ArrayList<>();
        trainer.listener(recorded).listener(new TrainingListener() {
            @Override
            public void onStep(TrainingContext context) {
                afterStep.add(ModelFixtures.flatParameters(context.network()));
            }
        });
        double[] initial = ModelFixtures.flatParameters(net);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(net, linearData(500)));
        assertTrue(Double.isNaN(e.cost()) || Double.isInfinite(e.cost()));
        assertTrue(e.step() > 2 && e.step() < 1000, "step " + e.step());
        assertTrue(e.getMessage().startsWith("training diverged at step " + e.step()), e.getMessage());
        assertTrue(e.getMessage().contains("a learning rate too large (optimizer sgd(learning_rate=50); try one ten times smaller)"), e.getMessage());
        for (Parameter p : net.parameters()) {
            for (int k = 0; k < p.value().getNumElements(); k++) {
                assertTrue(Double.isFinite(p.value().data[k]), p.name() + " is not finite after divergence");
            }
        }
        // the restored parameters are those the last finite cost was computed with: before step (s - 1)'s update
        double[] costs = recorded.stepCosts();
        assertEquals(e.step() - 1, costs.length);
        int s = (int) e.step();
        assertArrayEquals(s >= 3 ? afterStep.get(s - 3) : initial, ModelFixtures.flatParameters(net), 0.0);
    }

    @Test
    void labelsAndShapesAreCheckedBeforeTraining() {
        Network net = Network.builder(2).dense(1, "sigmoid").initializer("test_gaussian").loss("binary_cross_entropy").build();
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{0, 1, 0.5}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(Hyperparameters.defaults()).fit(net, new Dataset(new DMatrixRMaj(2, 3), y)));
        assertEquals("binary_cross_entropy: label Y[0, 2] = 0.5; binary labels must be 0 or 1", e.getMessage());
    }

    @Test
    void hyperparametersOutOfRangeAreRefused() {
        assertEquals("epochs=0; it must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> Hyperparameters.defaults().withEpochs(0)).getMessage());
        assertEquals("batchSize=-4; it must be >= 1, or 0 for full batch",
                assertThrows(IllegalArgumentException.class, () -> Hyperparameters.defaults().withBatchSize(-4)).getMessage());
        Network net = regression();
        PluginException e = assertThrows(PluginException.class,
                () -> new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0)")).fit(net, linearData(5)));
        assertEquals("sgd: learning_rate=0.0 is invalid; learning_rate must be > 0, e.g. learning_rate=0.01", e.getMessage());
    }

    @Test
    void trainingTenEpochsEqualsFivePlusAResumedFiveBitForBit() {
        Dataset data = linearData(40);
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.05)").withEpochs(10)
                .withBatchSize(8).withSeed(21);
        Network straight = regression();
        new Trainer(hp).fit(straight, data);

        Network first = regression();
        TrainingState[] atFive = new TrainingState[1];
        double[][] paramsAtFive = new double[2][];
        new Trainer(hp.withEpochs(5)).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext context) {
                int epoch = context.epoch();
                if (epoch == 5) {
                    atFive[0] = context.state();
                    paramsAtFive[0] = first.parameter(1, "W").data.clone();
                    paramsAtFive[1] = first.parameter(1, "b").data.clone();
                }
            }
        }).fit(first, data);
        assertEquals(5, atFive[0].epochsDone());
        assertEquals(25, atFive[0].stepsDone());
        assertEquals(4, atFive[0].optimizerState().size(), "Adam keeps two moments for W and for b");

        Network resumed = regression();
        resumed.setParameter(1, "W", new DMatrixRMaj(1, 2, true, paramsAtFive[0]));
        resumed.setParameter(1, "b", new DMatrixRMaj(1, 1, true, paramsAtFive[1]));
        TrainingHistory rest = new Trainer(hp).resume(resumed, data, atFive[0]);
        assertEquals(25, rest.stepCount());
        assertArrayEquals(straight.parameter(1, "W").data, resumed.parameter(1, "W").data, 0.0);
        assertArrayEquals(straight.parameter(1, "b").data, resumed.parameter(1, "b").data, 0.0);
    }

    @Test
    void resumingWithOtherHyperparametersIsRefused() {
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)").withEpochs(4);
        TrainingState state = new TrainingState(hp, 2, 2, java.util.List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(hp.withSeed(7).withEpochs(6)).resume(regression(), linearData(5), state));
        assertTrue(e.getMessage().startsWith("the training state was saved with Hyperparameters[optimizer=sgd(learning_rate=0.1)"),
                e.getMessage());
    }

    @Test
    void aListenerCanStopTrainingAfterAnEpoch() {
        Network net = regression();
        boolean[] ended = new boolean[1];
        TrainingHistory history = new Trainer(Hyperparameters.defaults().withEpochs(50)).listener(new TrainingListener() {
            @Override
            public void onStep(TrainingContext context) {
                if (context.step() == 2) {
                    context.requestStop(); // takes effect after the epoch
                }
            }

            @Override
            public void onEpochEnd(TrainingContext context) {
                if (context.epoch() == 3) {
                    context.requestStop();
                }
            }

            @Override
            public void onTrainingEnd(TrainingContext context) {
                ended[0] = context.stopRequested();
            }
        }).fit(net, linearData(10));
        assertEquals(2, history.epochCosts().length, "a stop asked in onStep ends the run after that step's epoch");
        assertTrue(ended[0]);
    }

    @Test
    void listenersReadTheStepTheRateAndTheCostsFromTheContext() {
        Network net = regression();
        Dataset data = linearData(10);
        List<String> seen = new ArrayList<>();
        TrainingHistory history = new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.2)")
                .withSchedule("step_decay(every=1, factor=0.5)").withEpochs(2).withBatchSize(4).withShuffle(false))
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(TrainingContext c) {
                        assertEquals(3, c.stepsPerEpoch());
                        assertSame(net, c.network());
                        seen.add("step " + c.step() + " epoch " + c.epoch() + " rate " + c.learningRate());
                        assertThrows(IllegalStateException.class, c::state, "no whole-epoch state inside an epoch");
                    }

                    @Override
                    public void onEpochEnd(TrainingContext c) {
                        seen.add("end of epoch " + c.epoch() + " at step " + c.step() + " state " + c.state().epochsDone() + "/"
                                + c.state().stepsDone());
                        c.network().cost(data); // reading on the training thread is allowed
                    }
                }).fit(net, data);
        assertEquals(List.of("step 1 epoch 1 rate 0.2", "step 2 epoch 1 rate 0.2", "step 3 epoch 1 rate 0.2",
                "end of epoch 1 at step 3 state 1/3", "step 4 epoch 2 rate 0.1", "step 5 epoch 2 rate 0.1",
                "step 6 epoch 2 rate 0.1", "end of epoch 2 at step 6 state 2/6"), seen);
        // the epoch's cost is the batch-size-weighted mean of its step costs: 4, 4 and 2 examples
        double[] steps = history.stepCosts();
        assertEquals((4 * steps[0] + 4 * steps[1] + 2 * steps[2]) / 10, history.epochCosts()[0], 1e-15);
    }

    @Test
    void aListenerCannotSetParametersButCanRequestARestoreWhichComesAfterEveryOnTrainingEnd() {
        Network net = regression();
        ModelSnapshot first = ModelSnapshot.of(net);
        double[][] atTrainingEnd = new double[1][];
        assertTrue(first.isEmpty());
        new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)").withEpochs(5)).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext c) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> net.setParameter(1, "b", new DMatrixRMaj(1, 1)));
                assertTrue(e.getMessage().startsWith("setParameter(1, \"b\") during the training of network 2-1(test_scaled(factor=1.0)), "
                        + "mean_squared_error: a listener must not change the network it observes"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> c.restoreAtEnd(ModelSnapshot.of(net)), "nothing captured yet");
                assertThrows(IllegalArgumentException.class, () -> c.capture(ModelSnapshot.of(regression())), "another network");
                if (c.epoch() == 1) {
                    c.capture(first);
                    c.restoreAtEnd(first);
                }
            }

            @Override
            public void onTrainingEnd(TrainingContext c) {
                atTrainingEnd[0] = ModelFixtures.flatParameters(net);
            }
        }).fit(net, linearData(10));
        assertEquals(1, first.epoch());
        assertEquals(1, first.step());
        Network byHand = regression();
        new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)").withEpochs(5)).fit(byHand, linearData(10));
        assertArrayEquals(ModelFixtures.flatParameters(byHand), atTrainingEnd[0], 0.0, "onTrainingEnd sees the last step");
        Network one = regression();
        new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)").withEpochs(1)).fit(one, linearData(10));
        assertArrayEquals(ModelFixtures.flatParameters(one), ModelFixtures.flatParameters(net), 0.0, "then epoch 1 is restored");
    }

    @Test
    void aSecondTrainerOnTheSameNetworkReusesNothingAndBothGiveTheSameBits() {
        Dataset data = linearData(30);
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.05)").withEpochs(4).withBatchSize(7);
        Network a = regression();
        Trainer trainer = new Trainer(hp);
        trainer.fit(a, data);
        trainer.fit(a, data); // the kept session
        Network b = regression();
        new Trainer(hp).fit(b, data);
        new Trainer(hp).fit(b, data); // a new session each time
        assertArrayEquals(ModelFixtures.flatParameters(b), ModelFixtures.flatParameters(a), 0.0);
    }

    @Test
    void divergenceWithFiniteCostsIsCaughtToo() {
        // Adam's steps are bounded by the learning rate, so 1e6 never makes the cost NaN: the parameters run away
        Network net = ModelFixtures.small(3);
        Trainer trainer = new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=1e6)").withEpochs(50)
                .withBatchSize(16));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.fit(net, ModelFixtures.quadrants(200, 4)));
        assertTrue(e.getMessage().startsWith("training diverged by epoch 1 (step 13): the parameters' root mean square grew from "),
                e.getMessage());
        assertTrue(e.getMessage().contains("optimizer adam(learning_rate=1e6)") || e.getMessage().contains("adam(learning_rate=1000000"),
                e.getMessage());
        assertTrue(Double.isFinite(e.cost()));

        // the same network and data with a sound rate trains to the end
        Network sound = ModelFixtures.small(3);
        TrainingHistory history = new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)").withEpochs(50)
                .withBatchSize(16)).fit(sound, ModelFixtures.quadrants(200, 4));
        assertEquals(50, history.epochCosts().length);
    }
}
