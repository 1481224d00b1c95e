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
