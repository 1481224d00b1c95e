package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.data.Dataset;
import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.Parameter;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingHistory;
import dev.nnkit.training.TrainingListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A float32 network against its float64 twin: the float step's gradients are the double step's
 * within float roundoff, training follows the same course, runs repeat bit for bit, the double
 * parameters always hold the float values, and a saved float32 model comes back as float32 with
 * the same predictions bit for bit.
 */
class Float32NetworkTest {

    /** 4-8-(running_shift)-3: a dense layer, a double-only layer with state, a double-only activation, L2, fused softmax. */
    private static Network.Builder mixed(Dtype dtype) {
        return Network.builder(4).registry(ModelFixtures.stepRegistry()).initializer("test_gaussian(std=0.5)")
                .layer(LayerConfig.dense(8).withActivation("sigmoid").withRegularizers("test_l2(lambda=0.05)"))
                .layer(new LayerConfig("running_shift(momentum=0.9)", "test_scaled(factor=1.5)", null, List.of()))
                .dense(3, "test_softmax").loss("softmax_cross_entropy").seed(7).dtype(dtype);
    }

    private static Dataset classes(int m, long seed) {
        Random r = new Random(seed);
        DMatrixRMaj x = ModelFixtures.gaussian(4, m, seed);
        DMatrixRMaj y = new DMatrixRMaj(3, m);
        for (int j = 0; j < m; j++) {
            int c = x.get(0, j) + 0.5 * x.get(1, j) > 0.3 ? 0 : x.get(2, j) > 0 ? 1 : 2;
            y.set(r.nextDouble() < 0.05 ? r.nextInt(3) : c, j, 1);
        }
        return new Dataset(x, y);
    }

    @Test
    void theFloatStepsGradientsAreTheDoubleStepsWithinFloatRoundoff() {
        Network f32 = mixed(Dtype.FLOAT32).build();
        Network f64 = mixed(Dtype.FLOAT64).build();
        // the same (float) starting point for both
        for (int l = 1; l <= f32.depth(); l++) {
            for (Parameter p : f32.parameters(l)) {
                f64.setParameter(l, p.name(), f32.parameter(l, p.name()));
            }
        }
        Dataset data = classes(40, 3);
        List<DMatrixRMaj> floatGradients = new ArrayList<>();
        TrainingListener grab = new TrainingListener() {
            @Override
            public void onStep(TrainingContext context) {
                for (int l = 1; l <= f32.depth(); l++) {
                    for (Parameter p : f32.parameters(l)) {
                        floatGradients.add(f32.gradient(l, p.name()));
                    }
                }
            }
        };
        new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)").withEpochs(1).withBatchSize(0))
                .listener(grab).fit(f32, data);
        f64.computeGradients(data);
        int k = 0;
        for (int l = 1; l <= f64.depth(); l++) {
            for (Parameter p : f64.parameters(l)) {
                DMatrixRMaj g64 = p.gradient();
                DMatrixRMaj g32 = floatGradients.get(k++);
                double scale = 0;
                for (double v : g64.data) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertTrue(scale > 1e-4, p.name() + "[" + l + "] has a gradient to compare: " + scale);
                for (int i = 0; i < g64.getNumElements(); i++) {
                    // float roundoff 2^-24 ~ 6e-8 per operation, over a few dozen operations in a chain
                    assertEquals(g64.data[i], g32.data[i], 2e-5 * scale, p.name() + "[" + l + "] entry " + i);
                    if (g64.data[i] != 0) {
                        assertNotEquals(0.0, g32.data[i], "the float gradient is the float step's, not zeros");
                    }
                }
            }
        }
    }

    @Test
    void trainingFollowsTheDoubleCourseAndRepeatsBitForBit() {
        Dataset data = classes(300, 5);
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)").withEpochs(30)
                .withBatchSize(32);
        Network f64 = mixed(Dtype.FLOAT64).build();
        Network f32 = mixed(Dtype.FLOAT32).build();
        Network again = mixed(Dtype.FLOAT32).build();
        double start = f32.cost(data);
        TrainingHistory h64 = new Trainer(hp).fit(f64, data);
        TrainingHistory h32 = new Trainer(hp).fit(f32, data);
        new Trainer(hp).fit(again, data);
        assertArrayEquals(ModelFixtures.flatParameters(f32), ModelFixtures.flatParameters(again),
                "two float32 runs with the same seeds end with the same parameters");
        double c64 = f64.cost(data);
        double c32 = f32.cost(data);
        assertTrue(c32 < 0.6 * start, "float32 training learned: cost " + start + " -> " + c32);
        assertEquals(c64, c32, 0.02 * c64, "float32 ends where float64 does");
        assertEquals(f64.accuracy(data), f32.accuracy(data), 0.02);
        assertEquals(h64.stepCosts()[0], h32.stepCosts()[0], 1e-5 * h64.stepCosts()[0]);
        for (double v : ModelFixtures.flatParameters(f32)) {
            assertEquals(v, (double) (float) v, "every double parameter holds a float value");
        }
    }

    /** 3-12-1 regression through a layer with only a double kernel, then dense: mean squared error, biases that must learn. */
    private static Network doubleOnlyLayer(Dtype dtype) {
        return Network.builder(3).registry(ModelFixtures.stepRegistry()).initializer("test_gaussian(std=0.4)")
                .layer(new LayerConfig("test_double_dense(units=12)", "sigmoid", null, List.of()))
                .dense(1, "test_scaled(factor=1)").loss("mean_squared_error").seed(3).dtype(dtype).build();
    }

    private static Dataset regression(int m) {
        DMatrixRMaj x = ModelFixtures.gaussian(3, m, 21);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int j = 0; j < m; j++) {
            y.set(0, j, Math.sin(x.get(0, j)) + 0.5 * x.get(1, j) + 2.0); // the offset needs the biases
        }
        return new Dataset(x, y);
    }

    @Test
    void aLayerWithoutAFloatKernelTrainsOnItsCurrentParametersWhetherOrNotAnythingWatches() {
        Dataset data = regression(200);
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)").withEpochs(15)
                .withBatchSize(16);
        Network f64 = doubleOnlyLayer(Dtype.FLOAT64);
        Network quiet = doubleOnlyLayer(Dtype.FLOAT32);
        Network watched = doubleOnlyLayer(Dtype.FLOAT32);
        TrainingHistory h64 = new Trainer(hp).fit(f64, data);
        TrainingHistory hq = new Trainer(hp).fit(quiet, data);
        // a listener that reads the model at every step must not change the course of training
        TrainingHistory hw = new Trainer(hp).listener(new TrainingListener() {
            @Override
            public void onStep(TrainingContext context) {
                watched.parameter(1, "b");
            }
        }).fit(watched, data);
        double[] c64 = h64.stepCosts();
        double[] cq = hq.stepCosts();
        double[] cw = hw.stepCosts();
        assertArrayEquals(cq, cw, 0.0, "reading the model during training changed the float32 run");
        for (int k = 0; k < c64.length; k += 37) {
            assertEquals(c64[k], cq[k], 1e-3 * c64[k] + 1e-6, "step " + (k + 1) + " of 15 epochs: float32 leaves float64");
        }
        assertTrue(cq[cq.length - 1] < 0.05 * cq[0], "float32 learned: " + cq[0] + " -> " + cq[cq.length - 1]);
    }

    @Test
    void writesThroughTheLiveArraysReachEveryLaterFloatPass() {
        Network f32 = mixed(Dtype.FLOAT32).build();
        DMatrixRMaj x = ModelFixtures.gaussian(4, 5, 2);
        List<Parameter> live = f32.parameters();
        DMatrixRMaj before = f32.predict(x);
        live.get(live.size() - 1).value().set(0, 0, 5.0); // b[3][0] through the live list, after a float pass
        DMatrixRMaj after = f32.predict(x);
        Network twin = mixed(Dtype.FLOAT64).build();
        for (int l = 1; l <= twin.depth(); l++) {
            for (Parameter p : twin.parameters(l)) {
                twin.setParameter(l, p.name(), f32.parameter(l, p.name()));
            }
        }
        assertEquals(5.0, twin.parameter(3, "b").get(0, 0));
        DMatrixRMaj expected = twin.predict(x);
        for (int k = 0; k < expected.getNumElements(); k++) {
            assertEquals(expected.data[k], after.data[k], 1e-5, "output " + k + " uses the written bias");
        }
        assertTrue(after.get(0, 0) > before.get(0, 0), "the class 0 output rose with its bias");
        // and training afterwards still follows what the live arrays say
        Dataset data = classes(40, 3);
        new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)").withEpochs(2).withBatchSize(8))
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(TrainingContext context) {
                        live.get(0).value().set(0, 0, 0.25); // pinned by a listener, as a float64 user could
                    }
                }).fit(f32, data);
        assertEquals(0.25, f32.parameter(1, "W").get(0, 0));
        assertEquals(0.25f, (float) live.get(0).value().get(0, 0));
    }

    @Test
    void valuesBeyondTheFloatRangeAreRefusedNotTurnedIntoInfinity() {
        Network f32 = mixed(Dtype.FLOAT32).build();
        DMatrixRMaj x = new DMatrixRMaj(4, 2);
        x.set(2, 1, 1e39);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f32.predict(x));
        assertEquals("X contains 1.0E39 at row 2, column 1, beyond the float32 range of this float32 network (magnitudes "
                + "up to 3.4028235E38); scale the data, or use a float64 network", e.getMessage());
        Dataset data = new Dataset(x, new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}, {0, 0}}));
        e = assertThrows(IllegalArgumentException.class, () -> new Trainer(Hyperparameters.defaults()).fit(f32, data));
        assertTrue(e.getMessage().startsWith("the features contain 1.0E39 at value 2 of example 1, beyond the float32 range"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f32.accuracy(data));
        // a float64 network reads the same values
        mixed(Dtype.FLOAT64).build().predict(x);
    }

    @Test
    void floatPredictionsAreTheDoubleOnesWithinFloatRoundoff() {
        Network f32 = mixed(Dtype.FLOAT32).build();
        Network f64 = mixed(Dtype.FLOAT64).build();
        for (int l = 1; l <= f32.depth(); l++) {
            for (Parameter p : f32.parameters(l)) {
                f64.setParameter(l, p.name(), f32.parameter(l, p.name()));
            }
        }
        DMatrixRMaj x = ModelFixtures.gaussian(4, 50, 11);
        DMatrixRMaj p32 = f32.predict(x);
        DMatrixRMaj p64 = f64.predict(x);
        boolean differs = false;
        for (int i = 0; i < p64.getNumElements(); i++) {
            assertEquals(p64.data[i], p32.data[i], 1e-5 * Math.abs(p64.data[i]) + 1e-7, "output " + i);
            assertEquals(p32.data[i], (double) (float) p32.data[i], "a float network's outputs are floats");
            differs |= p32.data[i] != p64.data[i];
        }
        assertTrue(differs, "the float32 network computed in float, not in double");
    }

    @Test
    void setParameterReachesTheFloatPass() {
        Network f32 = Network.builder(2).registry(ModelFixtures.stepRegistry()).initializer("test_gaussian(std=0.5)").dense(1, "sigmoid").loss("binary_cross_entropy").dtype(Dtype.FLOAT32).build();
        f32.setParameter(1, "W", new DMatrixRMaj(new double[][] {{0.1, 0.2}}));
        f32.setParameter(1, "b", new DMatrixRMaj(new double[][] {{0.3}}));
        double out = f32.predict(new DMatrixRMaj(new double[][] {{1}, {2}})).get(0, 0);
        float z = 0.1f * 1f + 0.2f * 2f + 0.3f;
        assertEquals(1 / (1 + Math.exp(-z)), out, 1e-7);
        assertEquals((double) 0.1f, f32.parameter(1, "W").get(0, 0), "the doubles hold the floats after a float pass");
    }

    @Test
    void aFloat32ModelFileWhoseParametersAreNotFloatsIsRefused(@TempDir Path dir) throws IOException {
        Network f64 = Network.builder(2).registry(ModelFixtures.stepRegistry()).initializer("test_gaussian(std=0.5)")
                .dense(1, "sigmoid").loss("binary_cross_entropy").build();
        f64.setParameter(1, "W", new DMatrixRMaj(new double[][] {{0.5, 0.1}})); // 0.1 is no float
        Path file = dir.resolve("m.nnkit");
        ModelFile.save(f64, file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int length = in.getInt(16);
        String json = new String(bytes, 20, length, StandardCharsets.UTF_8);
        String f32json = json.replace("\"seed\" :", "\"dtype\" : \"float32\",\n  \"seed\" :");
        byte[] header = f32json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(bytes.length - length + header.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(bytes, 0, 16).putInt(header.length).put(header).put(bytes, 20 + length, bytes.length - 20 - length);
        Files.write(file, ModelFixtures.reseal(out.array()));
        IOException e = assertThrows(IOException.class,
                () -> ModelFile.load(file, ModelFixtures.stepRegistry()));
        assertTrue(e.getMessage().contains("parameter array W[1] entry (0, 1) is 0.1, which is not a float32 value, but the "
                + "model is float32"), e.getMessage());
        // the same file with a float value there loads as float32
        f64.setParameter(1, "W", new DMatrixRMaj(new double[][] {{0.5, 0.25}}));
        Network f32 = Network.fromConfig(f64.config().withDtype(Dtype.FLOAT32), ModelFixtures.stepRegistry());
        f32.setParameter(1, "W", new DMatrixRMaj(new double[][] {{0.5, 0.1}}));
        assertEquals((double) 0.1f, f32.parameter(1, "W").get(0, 1), "setParameter rounds to float in a float32 network");
        ModelFile.save(f32, file);
        assertEquals((double) 0.1f, ModelFile.load(file, ModelFixtures.stepRegistry()).network().parameter(1, "W").get(0, 1));
    }

    @Test
    void aSavedFloat32ModelLoadsAsFloat32WithTheSamePredictions(@TempDir Path dir) throws IOException {
        Network f32 = mixed(Dtype.FLOAT32).build();
        Dataset data = classes(100, 9);
        new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)").withEpochs(3).withBatchSize(16))
                .fit(f32, data);
        Path file = dir.resolve("f32.nnkit");
        ModelFile.save(f32, file);
        Network loaded = ModelFile.load(file, ModelFixtures.stepRegistry()).network();
        assertEquals(Dtype.FLOAT32, loaded.dtype());
        assertTrue(loaded.toString().endsWith(", float32"), loaded.toString());
        DMatrixRMaj x = ModelFixtures.gaussian(4, 30, 13);
        assertArrayEquals(f32.predict(x).data, loaded.predict(x).data);
    }
}
