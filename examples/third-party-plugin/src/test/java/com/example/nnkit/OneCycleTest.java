package com.example.nnkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.io.ModelFile;
import dev.nnkit.io.NetworkConfigs;
import dev.nnkit.spi.Schedule;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import dev.nnkit.training.TrainingState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** one_cycle against its formula, used by name from Hyperparameters and JSON, and resumed bit for bit. */
class OneCycleTest {

    private static final String SPEC = "one_cycle(epochs=4, peak_at=0.25, div=10, final_div=100)";

    @TempDir
    Path dir;

    /** The rates of a 4-epoch cycle of 5 steps an epoch, worked out by hand: 20 steps, p = (step - 1) / 20. */
    @Test
    void ratesFollowTheTwoLinearRamps() {
        Schedule s = PluginRegistry.defaults().create(Schedule.class, SPEC);
        double peak = 0.2;
        double start = peak / 10;          // 0.02
        double end = start / 100;          // 0.0002
        assertEquals(start, s.learningRate(peak, 1, 1, 5), 1e-15);                                  // p = 0
        assertEquals(start + (peak - start) * (0.1 / 0.25), s.learningRate(peak, 3, 1, 5), 1e-15);  // p = 0.1
        assertEquals(peak, s.learningRate(peak, 6, 2, 5), 1e-15);                                   // p = 0.25
        assertEquals(peak - (peak - end) * (0.5 / 0.75), s.learningRate(peak, 16, 4, 5), 1e-15);     // p = 0.75
        assertEquals(end, s.learningRate(peak, 21, 5, 5), 1e-15);                                   // p = 1, and after
        assertEquals(end, s.learningRate(peak, 1_000, 200, 5), 1e-15);
        assertEquals(SPEC.replace("epochs=4", "epochs=4").replace("div=10,", "div=10.0,").replace("final_div=100", "final_div=100.0"),
                s.toString());
    }

    @Test
    void theTrainerUsesItByNameAndSoDoesAJsonConfig() throws IOException {
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.5)").withSchedule(SPEC)
                .withEpochs(4).withBatchSize(20);
        Network net = network();
        List<Double> rates = new ArrayList<>();
        new Trainer(hp).listener(new TrainingListener() {
            @Override
            public void onStep(TrainingContext context) {
                rates.add(context.learningRate());
            }
        }).fit(net, data());
        Schedule s = PluginRegistry.defaults().create(Schedule.class, SPEC);
        assertEquals(20, rates.size()); // 100 examples in batches of 20: 5 steps an epoch
        for (int k = 0; k < rates.size(); k++) {
            assertEquals(s.learningRate(0.5, k + 1, k / 5 + 1, 5), rates.get(k), 0.0, "step " + (k + 1));
        }
        String json = NetworkConfigs.toJson(net.config(), hp);
        assertEquals(hp, NetworkConfigs.fromJson(json).training().orElseThrow());
    }

    @Test
    void aRunResumedFromAModelFileEqualsTheUninterruptedOne() throws IOException {
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.05)").withSchedule(SPEC)
                .withEpochs(4).withBatchSize(20);
        Network whole = network();
        new Trainer(hp).fit(whole, data());

        Network half = network();
        Path file = dir.resolve("half.nnkit");
        new Trainer(hp.withEpochs(2)).listener(new TrainingListener() {
            @Override
            public void onTrainingEnd(TrainingContext context) {
                try {
                    ModelFile.save(context.network(), context.state(), file);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }).fit(half, data());
        ModelFile.Contents saved = ModelFile.load(file);
        TrainingState state = saved.trainingState().orElseThrow();
        new Trainer(hp).resume(saved.network(), data(), state);
        for (int l = 1; l <= whole.depth(); l++) {
            assertArrayEquals(whole.parameter(l, "W").data, saved.network().parameter(l, "W").data, 0.0);
            assertArrayEquals(whole.parameter(l, "b").data, saved.network().parameter(l, "b").data, 0.0);
        }
    }

    private static Network network() {
        return Network.builder(2).activation("swish").initializer("orthogonal").dense(4).dense(1, "swish")
                .loss("mean_squared_error").seed(3).build();
    }

    private static Dataset data() {
        SplittableRandom random = new SplittableRandom(7);
        DMatrixRMaj x = new DMatrixRMaj(2, 100);
        DMatrixRMaj y = new DMatrixRMaj(1, 100);
        for (int j = 0; j < 100; j++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            x.set(0, j, a);
            x.set(1, j, b);
            y.set(0, j, a * b > 0 ? 1 : 0);
        }
        return new Dataset(x, y);
    }
}
