package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.PluginException;
import dev.nnkit.training.Checkpoints;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingState;
import static dev.nnkit.ModelFixtures.flatParameters;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.schedules.LinearWarmup;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.Schedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in learning-rate schedules: their formulas, their specs, nesting, and their use by the trainer. */
class ScheduleTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.defaults();

    private static Schedule schedule(String spec) {
        return REGISTRY.create(Schedule.class, spec);
    }

    @Test
    void constantIsTheBaseRateEverywhere() {
        Schedule s = schedule("constant");
        for (long step : new long[] {1, 2, 1000, Long.MAX_VALUE}) {
            assertEquals(0.3, s.learningRate(0.3, step, (int) Math.min(Integer.MAX_VALUE, step), 1), 0.0);
        }
        assertEquals("constant", s.toString());
    }

    @Test
    void stepDecayDividesAfterEveryBlockOfEpochs() {
        Schedule s = schedule("step_decay(every=6, factor=0.1)");
        for (int epoch = 1; epoch <= 6; epoch++) {
            assertEquals(0.001, s.learningRate(0.001, 100L * epoch, epoch, 100), 0.0, "epoch " + epoch);
        }
        assertEquals(0.001 * 0.1, s.learningRate(0.001, 601, 7, 100), 0.0);
        assertEquals(0.001 * 0.1, s.learningRate(0.001, 1200, 12, 100), 0.0);
        assertEquals(0.001 * Math.pow(0.1, 2), s.learningRate(0.001, 1201, 13, 100), 0.0);
        assertEquals("step_decay(every=6, factor=0.1)", s.toString());
        assertEquals("step_decay(every=2, factor=0.1)", schedule("step_decay(every=2)").toString(), "factor defaults to 0.1");
    }

    @Test
    void exponentialIsTheNotesDecayCountingEpochsFromZero() {
        // the notes: alpha = 0.95^epoch_num * alpha0 with epoch_num = 0 for the first epoch
        Schedule s = schedule("exponential(rate=0.95)");
        assertEquals(0.2, s.learningRate(0.2, 1, 1, 10), 0.0);
        assertEquals(0.2 * 0.95, s.learningRate(0.2, 11, 2, 10), 0.0);
        assertEquals(0.2 * Math.pow(0.95, 9), s.learningRate(0.2, 100, 10, 10), 0.0);
        assertEquals(0.0, s.learningRate(0.2, Long.MAX_VALUE, Integer.MAX_VALUE, 1), 0.0, "underflows to 0, never NaN");
    }

    @Test
    void inverseTimeIsTheNotesScheduledDecay() {
        // the notes' update_lr(0.5, epoch_num=2, decay_rate=1) = 0.5 / 3
        assertEquals(0.5 / 3, schedule("inverse_time(decay_rate=1)").learningRate(0.5, 3, 3, 1), 0.0);
        // schedule_lr_decay(0.5, epoch_num=100, decay_rate=1, time_interval=100) = 0.25
        Schedule fixed = schedule("inverse_time(decay_rate=1, interval=100)");
        assertEquals(0.25, fixed.learningRate(0.5, 101, 101, 1), 0.0);
        assertEquals(0.5, fixed.learningRate(0.5, 100, 100, 1), 0.0, "epoch_num 99 is still in the first interval");
        assertEquals("inverse_time(decay_rate=1.0, interval=100)", fixed.toString());
    }

    @Test
    void cosineFallsStepByStepToItsFloorAndStays() {
        Schedule s = schedule("cosine(epochs=2)");
        assertEquals(1.0, s.learningRate(1.0, 1, 1, 5), 0.0, "starts at alpha0 exactly");
        assertEquals(0.5, s.learningRate(1.0, 6, 2, 5), 1e-15, "half way: p = 5 / 10");
        assertEquals(0.0, s.learningRate(1.0, 11, 3, 5), 1e-15);
        assertEquals(0.0, s.learningRate(1.0, 1_000_000, 200_000, 5), 1e-15);
        double before = 2;
        for (long step = 1; step <= 10; step++) {
            double rate = s.learningRate(1.0, step, (int) (step - 1) / 5 + 1, 5);
            assertTrue(rate < before, "falls at every step: " + rate + " after " + before);
            before = rate;
        }
        Schedule floored = schedule("cosine(epochs=2, min_factor=0.1)");
        assertEquals(0.01, floored.learningRate(0.1, 50, 10, 5), 1e-17);
        assertEquals(0.1, floored.learningRate(0.1, 1, 1, 5), 0.0);
        assertEquals("cosine(epochs=2, min_factor=0.1)", floored.toString());
    }

    @Test
    void warmupRisesLinearlyThenFollowsTheInnerScheduleOnTheSameClock() {
        Schedule s = schedule("warmup(steps=4, then=step_decay(every=1, factor=0.5))");
        assertEquals(0.25, s.learningRate(1.0, 1, 1, 4), 0.0);
        assertEquals(0.75, s.learningRate(1.0, 3, 1, 4), 0.0);
        assertEquals(1.0, s.learningRate(1.0, 4, 1, 4), 0.0);
        assertEquals(0.5, s.learningRate(1.0, 5, 2, 4), 0.0, "the inner schedule's drop after epoch 1");
        assertEquals("warmup(steps=4, then=step_decay(every=1, factor=0.5))", s.toString());
        assertEquals("warmup(steps=3, then=constant)", schedule("warmup(steps=3)").toString(), "then defaults to constant");
        // nested specs are canonicalized and round-trip
        String canonical = schedule("WARMUP( steps = 10 , then = Cosine( epochs = 3 ) )").toString();
        assertEquals("warmup(steps=10, then=cosine(epochs=3, min_factor=0.0))", canonical);
        assertEquals(canonical, schedule(canonical).toString());
        assertEquals("warmup(steps=2, then=warmup(steps=3, then=exponential(rate=0.5)))",
                schedule("warmup(steps=2, then=warmup(steps=3, then=exponential(rate=0.5)))").toString());
    }

    @Test
    void badArgumentsAndUnknownNestedNamesAreReportedWithThePluginAndTheKey() {
        assertEquals("step_decay: every=0 is invalid; every must be >= 1 epoch, e.g. every=6",
                assertThrows(PluginException.class, () -> schedule("step_decay(every=0)")).getMessage());
        assertEquals("exponential: argument 'rate' is required, e.g. exponential(rate=...)",
                assertThrows(PluginException.class, () -> schedule("exponential")).getMessage());
        assertEquals("exponential: rate=1.5 is invalid; rate must be in (0, 1], e.g. rate=0.95",
                assertThrows(PluginException.class, () -> schedule("exponential(rate=1.5)")).getMessage());
        assertEquals("cosine: min_factor=2.0 is invalid; min_factor must be in [0, 1], the final rate as a fraction of the base "
                + "rate", assertThrows(PluginException.class, () -> schedule("cosine(epochs=3, min_factor=2)")).getMessage());
        String unknown = assertThrows(PluginException.class, () -> schedule("warmup(steps=5, then=cosin(epochs=3))")).getMessage();
        assertTrue(unknown.startsWith("warmup: then=cosin(epochs=3): unknown schedule 'cosin'; did you mean 'cosine'?; known "
                + "schedule names: constant, cosine, exponential, inverse_time, step_decay, warmup"), unknown);
        assertEquals("warmup: then=constant(x=1): constant: unknown argument 'x'; it takes no arguments",
                assertThrows(PluginException.class, () -> schedule("warmup(steps=5, then=constant(x=1))")).getMessage());
        String unbalanced = assertThrows(PluginException.class, () -> schedule("warmup(steps=5, then=cosine(epochs=3)"))
                .getMessage();
        assertTrue(unbalanced.contains("unbalanced parentheses: the '(' is never closed (1 more '(' than ')') at position 6"),
                unbalanced);
    }

    /** {@code test_fixed_rate(rate)}: ignores the base rate, for the hermetic-registry and bad-rate tests. */
    private static final class FixedRate extends NamedProvider<Schedule> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public FixedRate() {
            super(Schedule.class, "test_fixed_rate");
        }

        @Override
        public Schedule create(Arguments arguments) {
            double rate = arguments.getDouble("rate", 0.5);
            return new Schedule() {
                @Override
                public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
                    return rate;
                }

                @Override
                public String toString() {
                    return "test_fixed_rate(rate=" + rate + ")";
                }
            };
        }
    }

    @Test
    void aNestedScheduleComesFromTheRegistryThatMakesTheOuterOne() {
        PluginRegistry hermetic = PluginRegistry.of(List.of(new LinearWarmup.Provider(), new FixedRate()));
        Schedule s = hermetic.create(Schedule.class, "warmup(steps=2, then=test_fixed_rate(rate=0.8))");
        assertEquals(0.4, s.learningRate(1.0, 1, 1, 1), 0.0);
        assertEquals("warmup(steps=2, then=test_fixed_rate(rate=0.8))", s.toString());
        // the default registry does not know the fixture, and the hermetic one does not know 'constant'
        assertThrows(PluginException.class, () -> schedule("warmup(steps=2, then=test_fixed_rate(rate=0.8))"));
        String message = assertThrows(PluginException.class, () -> hermetic.create(Schedule.class, "warmup(steps=2)"))
                .getMessage();
        assertTrue(message.startsWith("warmup: then=constant: unknown schedule 'constant'"), message);
    }

    @Test
    void everyBuiltInScheduleIsRegisteredOnceByCore() {
        List<String> names = new ArrayList<>();
        for (PluginProvider<?> provider : ServiceLoader.load(PluginProvider.class, ScheduleTest.class.getClassLoader())) {
            if (provider.kind() == Schedule.class) {
                names.add(provider.name());
                assertTrue(provider.getClass().getName().startsWith("dev.nnkit.schedules."), provider.getClass().getName());
            }
        }
        assertEquals(List.of("constant", "step_decay", "exponential", "inverse_time", "cosine", "warmup"), names);
    }

    // ------------------------------------------------------------------------------------ training

    /** y = 2 x1 - 3 x2 + 0.5. */
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

    private static Network regression(PluginRegistry registry) {
        return Network.builder(2).registry(registry).dense(1, "test_scaled").initializer("test_gaussian(std=0.1)")
                .loss("mean_squared_error").seed(3).build();
    }

    @Test
    void eachStepGetsTheScheduledRate() {
        // plain gradient descent keeps no state, so epoch 1 at 0.4 then epoch 2 at 0.2 is two fits of one epoch
        Dataset data = linearData(20);
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.4)").withEpochs(2);
        Network scheduled = regression(REGISTRY);
        new Trainer(hp.withSchedule("step_decay(every=1, factor=0.5)")).fit(scheduled, data);
        Network byHand = regression(REGISTRY);
        new Trainer(hp.withEpochs(1)).fit(byHand, data);
        new Trainer(hp.withEpochs(1).withOptimizer("sgd(learning_rate=0.2)")).fit(byHand, data);
        assertArrayEquals(flatParameters(byHand), flatParameters(scheduled), 0.0);
        Network constant = regression(REGISTRY);
        new Trainer(hp).fit(constant, data);
        assertFalse(java.util.Arrays.equals(flatParameters(constant), flatParameters(scheduled)), "the schedule matters");
    }

    @Test
    void aRateThatIsNotFiniteAndNonNegativeStopsTrainingNamingTheSchedule() {
        List<PluginProvider<?>> providers = new ArrayList<>();
        for (PluginProvider<?> provider : ServiceLoader.load(PluginProvider.class, ScheduleTest.class.getClassLoader())) {
            providers.add(provider);
        }
        providers.add(new FixedRate());
        PluginRegistry registry = PluginRegistry.of(providers);
        Network net = regression(registry);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Trainer(Hyperparameters.defaults()
                .withSchedule("test_fixed_rate(rate=-0.5)").withEpochs(3)).fit(net, linearData(5)));
        assertEquals("schedule test_fixed_rate(rate=-0.5) gave the learning rate -0.5 for step 1 (epoch 1); a schedule must "
                + "give a finite rate >= 0 at every step", e.getMessage());
    }

    @Test
    void anUnknownScheduleIsRefusedBeforeTraining() {
        Network net = regression(REGISTRY);
        double[] before = flatParameters(net);
        PluginException e = assertThrows(PluginException.class, () -> new Trainer(Hyperparameters.defaults()
                .withSchedule("exponentail(rate=0.9)")).fit(net, linearData(5)));
        assertTrue(e.getMessage().startsWith("unknown schedule 'exponentail'; did you mean 'exponential'?"), e.getMessage());
        assertArrayEquals(before, flatParameters(net), 0.0);
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"exponential(rate=0.7)", "step_decay(every=1, factor=0.3)",
            "warmup(steps=9, then=cosine(epochs=3, min_factor=0.1))"})
    void fourScheduledEpochsEqualTwoPlusACheckpointAndAResumeBitForBit(String schedule) throws IOException {
        Dataset data = ModelFixtures.quadrants(50, 2);
        Hyperparameters hp = new Hyperparameters("adam(learning_rate=0.05)", schedule, 4, 8, 3L, true);
        Network straight = ModelFixtures.small(6);
        new Trainer(hp).fit(straight, data);
        Network constant = ModelFixtures.small(6);
        new Trainer(hp.withSchedule("constant")).fit(constant, data);
        assertFalse(java.util.Arrays.equals(flatParameters(constant), flatParameters(straight)), "the schedule matters");

        Network first = ModelFixtures.small(6);
        new Trainer(hp.withEpochs(2)).listener(new Checkpoints(first, dir, 2, 1)).fit(first, data);
        ModelFile.Contents c = ModelFile.load(Checkpoints.latest(dir).orElseThrow(), ModelFixtures.registry());
        TrainingState state = c.trainingState().orElseThrow();
        assertEquals(schedule, state.hyperparameters().schedule());
        assertEquals(hp.withEpochs(2), state.hyperparameters(), "the model file carries the schedule");
        new Trainer(hp).resume(c.network(), data, state);
        assertArrayEquals(flatParameters(straight), flatParameters(c.network()), 0.0);
        // resuming with another schedule is another run: refused
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(hp.withSchedule("constant")).resume(c.network(), data, state));
        assertTrue(e.getMessage().contains("only the number of epochs may differ"), e.getMessage());
    }
}
