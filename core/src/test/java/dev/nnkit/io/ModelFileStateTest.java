package dev.nnkit.io;

import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.ModelFixtures;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import dev.nnkit.training.TrainingState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.StepContext.Mode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files of format version 2: the layer state section, its checks, and version 1 files without it. */
class ModelFileStateTest {

    @TempDir
    Path dir;

    private static final PluginRegistry REGISTRY = ModelFixtures.stepRegistry();
    private static final String STATEFUL = "2-3(sigmoid)-3(running_shift, test_scaled(factor=1.0))-1(sigmoid), binary_cross_entropy";

    /** 2-3(sigmoid, test_dropout)-3(running_shift)-1(sigmoid), from the seed. */
    private static Network stateful(long seed) {
        return Network.builder(2).registry(REGISTRY).initializer("test_gaussian(std=0.8)")
                .layer(LayerConfig.dense(3).withActivation("sigmoid").withRegularizers("test_dropout(keep_prob=0.75)"))
                .layer(new LayerConfig("running_shift(momentum=0.5)", "test_scaled(factor=1)", null, null))
                .dense(1, "sigmoid").loss("binary_cross_entropy").seed(seed).build();
    }

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    private static int intAt(byte[] file, int at) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    /** The offset just after the P parameter arrays: in version 2 the layer state count S, in version 1 what follows. */
    private static int afterParameters(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int parametersAt = 20 + b.getInt(16) + 4;
        return ModelFileTest.skipTensors(b, parametersAt, b.getInt(parametersAt - 4));
    }

    private static byte[] withoutBytes(byte[] file, int at, int count) {
        byte[] out = new byte[file.length - count];
        System.arraycopy(file, 0, out, 0, at);
        System.arraycopy(file, at + count, out, at, file.length - at - count);
        return out;
    }

    private static byte[] withVersion(byte[] file, int version) {
        byte[] out = file.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(8, version);
        return out;
    }

    private static ModelFile.Contents read(byte[] file) throws IOException {
        return ModelFile.read(new ModelFixtures.BytesChannel(file), "model.nnkit", REGISTRY);
    }

    @Test
    void theGoldenFileOfFormatVersion2LoadsWithItsLayerState() throws Exception {
        Path golden = Path.of(ModelFileStateTest.class.getResource("golden-v2.nnkit").toURI());
        byte[] bytes = Files.readAllBytes(golden);
        assertEquals(2, intAt(bytes, 8), "format version");
        assertEquals(1, intAt(bytes, afterParameters(bytes)), "one layer state array follows the parameters");

        ModelFile.Contents contents = ModelFile.load(golden, REGISTRY);
        Network net = contents.network();
        assertEquals(STATEFUL, net.toString());
        assertEquals(new NetworkConfig(2, List.of(
                new LayerConfig("dense(units=3)", "sigmoid", "test_gaussian(std=0.5)", List.of()),
                new LayerConfig("running_shift(momentum=0.75)", "test_scaled(factor=1)", "test_gaussian(std=0.5)", List.of()),
                new LayerConfig("dense(units=1)", "sigmoid", "test_gaussian(std=0.5)", List.of())),
                "binary_cross_entropy", 5L), net.config());
        double[][] w1 = {{0.5, -1.25}, {2.0, 0.75}, {-0.375, 1.5}};
        double[] b1 = {0.25, -0.5, 0.125};
        double[] gamma = {1.5, 0.75, -0.5};
        double[] runningMean = {0.625, 0.25, 0.5};
        double[] w3 = {1.5, -2.0, 0.5};
        double b3 = -0.25;
        assertArrayEquals(new double[] {0.5, -1.25, 2.0, 0.75, -0.375, 1.5}, net.parameter(1, "W").data, 0.0);
        assertArrayEquals(b1, net.parameter(1, "b").data, 0.0);
        assertArrayEquals(gamma, net.parameter(2, "gamma").data, 0.0);
        assertArrayEquals(w3, net.parameter(3, "W").data, 0.0);
        assertArrayEquals(new double[] {b3}, net.parameter(3, "b").data, 0.0);
        assertEquals(1, net.state(2).size());
        assertEquals("running_mean", net.state(2).get(0).name());
        assertArrayEquals(runningMean, net.state(2).get(0).value().data, 0.0);
        assertTrue(net.state(1).isEmpty() && net.state(3).isEmpty());

        // predictions computed here from the notes' formulas: inference centres with the running mean
        double[][] inputs = {{0, 0}, {1, -1}, {-0.5, 2}, {3, 0.25}};
        int m = inputs.length;
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        double[][] a1 = new double[3][m];
        for (int j = 0; j < m; j++) {
            x.set(0, j, inputs[j][0]);
            x.set(1, j, inputs[j][1]);
            for (int i = 0; i < 3; i++) {
                a1[i][j] = sigmoid(w1[i][0] * inputs[j][0] + w1[i][1] * inputs[j][1] + b1[i]);
            }
        }
        DMatrixRMaj y = net.predict(x);
        DMatrixRMaj checking = net.forwardTrace(x, Mode.CHECKING).a(3);
        for (int j = 0; j < m; j++) {
            double z3 = b3;
            double z3Batch = b3;
            for (int i = 0; i < 3; i++) {
                z3 += w3[i] * gamma[i] * (a1[i][j] - runningMean[i]);
                double batchMean = (a1[i][0] + a1[i][1] + a1[i][2] + a1[i][3]) / m;
                z3Batch += w3[i] * gamma[i] * (a1[i][j] - batchMean);
            }
            assertEquals(sigmoid(z3), y.get(0, j), 1e-15, "inference, input " + j);
            assertEquals(sigmoid(z3Batch), checking.get(0, j), 1e-15, "batch statistics, input " + j);
        }

        TrainingState state = contents.trainingState().orElseThrow();
        assertEquals(new Hyperparameters("adam(learning_rate=0.05)", 3, 2, 7L, true), state.hyperparameters());
        assertEquals(3, state.epochsDone());
        assertEquals(6, state.stepsDone());
        int[] lengths = {6, 3, 3, 3, 1, 6, 3, 3, 3, 1};
        List<double[]> moments = state.optimizerState();
        assertEquals(lengths.length, moments.size());
        for (int a = 0; a < lengths.length; a++) {
            double[] expected = new double[lengths[a]];
            for (int k = 0; k < expected.length; k++) {
                expected[k] = (a < 5 ? -1 : 1) * (a * 8 + k + 1) / 64.0;
            }
            assertArrayEquals(expected, moments.get(a), 0.0, "optimizer array " + a);
        }
    }

    @Test
    void layerStateRoundTripsThroughAFileBitForBit() throws IOException {
        Network net = stateful(3);
        Dataset data = ModelFixtures.quadrants(40, 5);
        assertArrayEquals(new double[3], net.state(2).get(0).value().data, 0.0, "the running mean starts at 0");
        new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.02)").withEpochs(4).withBatchSize(8))
                .fit(net, data);
        double[] trained = net.state(2).get(0).value().data.clone();
        for (double v : trained) {
            assertTrue(v != 0.0, "training moved the running mean: " + java.util.Arrays.toString(trained));
        }
        Path file = dir.resolve("stateful.nnkit");
        ModelFile.save(net, file);
        Network back = ModelFile.load(file, REGISTRY).network();
        assertArrayEquals(trained, back.state(2).get(0).value().data, 0.0);
        assertArrayEquals(ModelFixtures.flatParameters(net), ModelFixtures.flatParameters(back), 0.0);
        DMatrixRMaj x = ModelFixtures.gaussian(2, 50, 9);
        assertArrayEquals(net.predict(x).data, back.predict(x).data, 0.0);
        // the state matters: without it the same parameters predict something else
        back.state(2).get(0).value().zero();
        assertFalse(java.util.Arrays.equals(net.predict(x).data, back.predict(x).data));
    }

    @Test
    void resumingAStatefulDropoutRunFromItsFileEqualsTheUninterruptedRunBitForBit() throws IOException {
        Dataset data = ModelFixtures.quadrants(48, 6);
        Hyperparameters hp = new Hyperparameters("adam(learning_rate=0.03)", 8, 10, 13L, true);
        Network straight = stateful(4);
        new Trainer(hp).fit(straight, data);

        Network first = stateful(4);
        Path file = dir.resolve("at3.nnkit");
        new Trainer(hp.withEpochs(3)).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext context) {
                int epoch = context.epoch();
                if (epoch == 3) {
                    try {
                        ModelFile.save(first, context.state(), file);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        }).fit(first, data);
        ModelFile.Contents loaded = ModelFile.load(file, REGISTRY);
        new Trainer(hp).resume(loaded.network(), data, loaded.trainingState().orElseThrow());
        assertArrayEquals(ModelFixtures.flatParameters(straight), ModelFixtures.flatParameters(loaded.network()), 0.0);
        assertArrayEquals(straight.state(2).get(0).value().data, loaded.network().state(2).get(0).value().data, 0.0);
    }

    private static List<ModelFile.Tensor> parameters(Network net) {
        List<ModelFile.Tensor> out = new ArrayList<>();
        for (int l = 1; l <= net.depth(); l++) {
            for (var p : net.parameters(l)) {
                out.add(new ModelFile.Tensor(p.name() + "[" + l + "]", p.value().numRows, p.value().numCols, p.value().data));
            }
        }
        return out;
    }

    private String refusal(Network net, List<ModelFile.Tensor> layerState) throws IOException {
        Path file = dir.resolve("state.nnkit");
        ModelFile.write(net.config(), parameters(net), layerState, null, file);
        byte[] bytes = Files.readAllBytes(file);
        DataFileException e = assertThrows(DataFileException.class, () -> read(bytes));
        return e.getMessage();
    }

    @Test
    void aLayerStateThatDoesNotFitTheNetworkIsRefusedNamingIt() throws IOException {
        Network net = stateful(1);
        byte[] good = ModelFixtures.bytesOf(net, null, dir);
        int stateAt = afterParameters(good);
        double[] mean = {0.5, 0.25, 0.125};

        assertEquals("model.nnkit: at byte " + stateAt + ": the file holds 0 layer state arrays but the network " + STATEFUL
                + " has 1: running_mean[2] (3, 1)", refusal(net, List.of()));
        assertEquals("model.nnkit: at byte " + (stateAt + 4) + ": layer state array 1 is running_var[2] (3, 1) but the network "
                + STATEFUL + " has running_mean[2] (3, 1) there",
                refusal(net, List.of(new ModelFile.Tensor("running_var[2]", 3, 1, mean))));
        assertEquals("model.nnkit: at byte " + (stateAt + 4) + ": layer state array 1 is running_mean[2] (1, 3) but the network "
                + STATEFUL + " has running_mean[2] (3, 1) there",
                refusal(net, List.of(new ModelFile.Tensor("running_mean[2]", 1, 3, mean))));
        assertEquals("model.nnkit: at byte " + (stateAt + 4) + ": layer state array 1 is running_mean[1] (3, 1) but the network "
                + STATEFUL + " has running_mean[2] (3, 1) there",
                refusal(net, List.of(new ModelFile.Tensor("running_mean[1]", 3, 1, mean))));
        assertEquals("model.nnkit: at byte " + stateAt + ": the file holds 2 layer state arrays but the network " + STATEFUL
                + " has 1: running_mean[2] (3, 1)", refusal(net, List.of(new ModelFile.Tensor("running_mean[2]", 3, 1, mean),
                new ModelFile.Tensor("running_mean[3]", 1, 1, new double[1]))));

        // a network without state refuses any
        Network plain = ModelFixtures.small(2);
        Path file = dir.resolve("plain.nnkit");
        ModelFile.write(plain.config(), parameters(plain), List.of(new ModelFile.Tensor("running_mean[1]", 3, 1, mean)), null, file);
        DataFileException e = assertThrows(DataFileException.class, () -> ModelFile.load(file, REGISTRY));
        assertTrue(e.getMessage().endsWith(": the file holds 1 layer state arrays but the network "
                + "2-3(sigmoid)-1(sigmoid), binary_cross_entropy has 0"), e.getMessage());

        // and a non-finite state value is refused like a parameter
        byte[] nan = good.clone();
        int valuesAt = stateAt + 4 + 4 + "running_mean[2]".length() + 8;
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putDouble(valuesAt + 8, Double.NaN);
        assertEquals("model.nnkit: at byte " + (valuesAt + 8) + ": running_mean[2] holds NaN at index 1; every saved value is"
                + " finite: the file is corrupt", assertThrows(DataFileException.class, () -> read(ModelFixtures.reseal(nan)))
                .getMessage());
    }

    @Test
    void aVersion1FileHasNoLayerStateSection() throws Exception {
        byte[] v1 = Files.readAllBytes(Path.of(ModelFileStateTest.class.getResource("golden-v1.nnkit").toURI()));
        assertEquals(1, intAt(v1, 8));
        // right after the parameters: the training state (3 epochs, 6 steps), no layer state count
        int after = afterParameters(v1);
        assertEquals(3, intAt(v1, after));
        assertEquals(6L, ByteBuffer.wrap(v1).order(ByteOrder.LITTLE_ENDIAN).getLong(after + 4));
        // the same file claiming version 2 reads the epochs as the state count and is refused
        DataFileException e = assertThrows(DataFileException.class, () -> read(ModelFixtures.reseal(withVersion(v1, 2))));
        assertTrue(e.getMessage().contains("layer state array 1 of 3"), e.getMessage());

        // a version-2 file without state, its count S = 0 removed and its version set to 1, loads as the same model
        Network net = ModelFixtures.small(6);
        byte[] v2 = ModelFixtures.bytesOf(net, null, dir);
        int countAt = afterParameters(v2);
        assertEquals(0, intAt(v2, countAt));
        byte[] asV1 = ModelFixtures.reseal(withVersion(withoutBytes(v2, countAt, 4), 1));
        Network back = ModelFileFixtures.read(asV1).network();
        assertArrayEquals(ModelFixtures.flatParameters(net), ModelFixtures.flatParameters(back), 0.0);
        // and the version-2 file relabelled version 1 without removing S is refused
        assertThrows(DataFileException.class, () -> ModelFileFixtures.read(ModelFixtures.reseal(withVersion(v2, 1))));
    }
}
