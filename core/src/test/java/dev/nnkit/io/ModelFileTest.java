package dev.nnkit.io;

import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.ModelFixtures;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.data.Dataset;
import dev.nnkit.spi.PluginException;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingHistory;
import dev.nnkit.training.TrainingListener;
import dev.nnkit.training.TrainingState;
import static dev.nnkit.ModelFixtures.flatParameters;
import static dev.nnkit.io.ModelFileFixtures.read;
import static dev.nnkit.ModelFixtures.reseal;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {

    @TempDir
    Path dir;

    private static final Hyperparameters ADAM = new Hyperparameters("adam(learning_rate=0.05)", 12, 8, 21L, true);

    /** A trained small network and the state after its 3 epochs: a file of about 1.3 kB. */
    private static Object[] trainedWithState() {
        Network net = ModelFixtures.small(4);
        TrainingState[] state = new TrainingState[1];
        new Trainer(ADAM.withEpochs(3)).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext context) {
                int epoch = context.epoch();
                state[0] = context.state();
            }
        }).fit(net, ModelFixtures.quadrants(40, 2));
        return new Object[] {net, state[0]};
    }

    private byte[] smallFileWithState() throws IOException {
        Object[] trained = trainedWithState();
        return ModelFixtures.bytesOf((Network) trained[0], (TrainingState) trained[1], dir);
    }

    @Test
    void aLoadedNetworkPredictsBitForBitWhatTheSavedOneDid() throws IOException {
        for (Network net : List.of(ModelFixtures.small(3), ModelFixtures.medium(5))) {
            new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.5)").withEpochs(5))
                    .fit(net, net.units(0) == 2 ? ModelFixtures.quadrants(30, 1)
                            : new Dataset(ModelFixtures.gaussian(4, 30, 1), ModelFixtures.gaussian(3, 30, 2)));
            Path file = dir.resolve("model.nnkit");
            ModelFile.save(net, file);
            ModelFile.Contents loaded = ModelFile.load(file, ModelFixtures.registry());
            assertFalse(loaded.trainingState().isPresent());
            Network back = loaded.network();
            assertEquals(net.config(), back.config());
            assertEquals(net.toString(), back.toString());
            assertArrayEquals(flatParameters(net), flatParameters(back), 0.0);
            DMatrixRMaj x = ModelFixtures.gaussian(net.units(0), 200, 7);
            assertArrayEquals(net.predict(x).data, back.predict(x).data, 0.0);
        }
    }

    @Test
    void savingWithStateThenResumingEqualsAnUninterruptedRunBitForBit() throws IOException {
        Dataset data = ModelFixtures.quadrants(60, 3);
        Network straight = ModelFixtures.small(8);
        new Trainer(ADAM).fit(straight, data);

        Network first = ModelFixtures.small(8);
        Path file = dir.resolve("at5.nnkit");
        new Trainer(ADAM.withEpochs(5)).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext context) {
                int epoch = context.epoch();
                if (epoch == 5) {
                    try {
                        ModelFile.save(first, context.state(), file);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
        }).fit(first, data);

        ModelFile.Contents loaded = ModelFile.load(file, ModelFixtures.registry());
        TrainingState state = loaded.trainingState().orElseThrow();
        assertEquals(5, state.epochsDone());
        assertEquals(5 * 8, state.stepsDone(), "ceil(60 / 8) = 8 steps per epoch");
        assertEquals(ADAM.withEpochs(5), state.hyperparameters());
        assertEquals(8, state.optimizerState().size(), "Adam: two moments for each of W1, b1, W2, b2");
        TrainingHistory rest = new Trainer(ADAM).resume(loaded.network(), data, state);
        assertEquals(7 * 8, rest.stepCount());
        assertArrayEquals(flatParameters(straight), flatParameters(loaded.network()), 0.0);
    }

    @Test
    void truncationAtEveryByteOffsetIsRefused() throws IOException {
        byte[] file = smallFileWithState();
        assertTrue(file.length > 1000 && file.length < 2000, "file of " + file.length + " bytes");
        read(file);
        for (int n = 0; n < file.length; n++) {
            byte[] cut = Arrays.copyOf(file, n);
            int length = n;
            assertThrows(DataFileException.class, () -> read(cut), () -> "truncated to " + length + " bytes");
        }
        // the same through the file system, at a few offsets
        for (int n : new int[] {0, 7, 8, 20, 100, file.length / 2, file.length - 33, file.length - 1}) {
            Path cut = dir.resolve("cut-" + n + ".nnkit");
            Files.write(cut, Arrays.copyOf(file, n));
            assertThrows(DataFileException.class, () -> ModelFile.load(cut, ModelFixtures.registry()));
        }
    }

    @Test
    void flippingAnyByteOrAnyBitIsRefused() throws IOException {
        byte[] file = smallFileWithState();
        for (int k = 0; k < file.length; k++) {
            byte[] flipped = file.clone();
            flipped[k] ^= (byte) 0xFF;
            int at = k;
            assertThrows(DataFileException.class, () -> read(flipped), () -> "byte " + at + " inverted");
            for (int bit = 0; bit < 8; bit++) {
                byte[] one = file.clone();
                one[k] ^= (byte) (1 << bit);
                int b = bit;
                assertThrows(DataFileException.class, () -> read(one), () -> "bit " + b + " of byte " + at + " flipped");
            }
        }
    }

    /** The byte offset of the first parameter array (its name length), after the config. */
    private static int parametersAt(byte[] file) {
        int configLength = ByteBuffer.wrap(file, 16, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return 20 + configLength + 4;
    }

    private static byte[] putInt(byte[] file, int at, int value) {
        byte[] out = file.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return out;
    }

    private static String message(byte[] file) {
        return assertThrows(DataFileException.class, () -> read(file)).getMessage();
    }

    @Test
    void eachKindOfDamageGetsItsOwnMessage() throws IOException {
        Network net = ModelFixtures.small(4);
        byte[] file = ModelFixtures.bytesOf(net, null, dir);
        int params = parametersAt(file);
        int end = file.length - 32;
        byte[] nan = file.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putDouble(params + 4 + 4 + 8, Double.NaN);
        byte[] trailing = Arrays.copyOf(file, file.length + 3);
        System.arraycopy(file, end, trailing, end + 3, 32);
        List<Executable> checks = new ArrayList<>();
        for (String[] c : new String[][] {
            {"{\"format\": \"nnkit-network\"}", "model.nnkit: at byte 0: not an nnkit model file: it starts with 7b 22 66 6f 72 6d 61 74"
                    + " but a model file starts with 89 4e 4e 4b 49 54 0d 0a (\\x89NNKIT\\r\\n)"},
            {"", "model.nnkit: at byte 0: the file ends after 0 bytes, inside the magic number: it is truncated"},
            {"\u0089NNK", "model.nnkit: at byte 4: the file ends after 4 bytes, inside the magic number: it is truncated"},
        }) {
            checks.add(() -> assertEquals(c[1], message(c[0].getBytes(StandardCharsets.ISO_8859_1))));
        }
        String[][] cases = {
            {hexOf(Arrays.copyOf(file, 40)), "model.nnkit: at byte 40: the file ends after 40 bytes; a model file has at least 73 (header,"
                    + " config, parameters, checksum): it is truncated"},
            {hexOf(putInt(file, 8, 4)), "model.nnkit: at byte 8: format version 4 is newer than this nnkit reads (3); upgrade nnkit to read it"},
            {hexOf(putInt(file, 8, 0)), "model.nnkit: at byte 8: format version 0 is not a version of the format (they start at 1);"
                    + " the file is corrupt"},
            {hexOf(putInt(file, 12, 6)), "model.nnkit: at byte 12: flags 0x6 set bits this nnkit does not know in a version 3 file (it"
                    + " knows 0x1, training state, and 0x2, pipeline); the file is corrupt or needs a newer nnkit"},
            {hexOf(putInt(file, 16, Integer.MAX_VALUE)), "model.nnkit: at byte 16: the config length is 2147483647; it must be in [1, 1048576]:"
                    + " the file is corrupt"},
            {hexOf(putInt(file, 16, 1_000_000)), "model.nnkit: at byte 16: the config length is 1000000, which needs at least 1000000 bytes,"
                    + " but " + (end - 20) + " remain before the checksum: the file is truncated or corrupt"},
            {hexOf(putInt(file, params - 4, 60_000)), "model.nnkit: at byte " + (params - 4) + ": the number of parameter arrays is 60000, which"
                    + " needs at least 780000 bytes, but " + (end - params) + " remain before the checksum: the file is truncated or corrupt"},
            {hexOf(putInt(file, params + 8, 1 << 30)), "model.nnkit: at byte " + (params + 8) + ": W[1] is (1073741824, 2): 17179869184 bytes"
                    + " of values, but " + (end - params - 16) + " bytes remain before the checksum: the file is truncated or corrupt"},
            {hexOf(putInt(file, params + 8, -3)), "model.nnkit: at byte " + (params + 8) + ": W[1] has the shape (-3, 2); rows and columns"
                    + " must be >= 0"},
            {hexOf(putInt(file, params + 4, 0x5d315b21)), "model.nnkit: at byte " + (params + 4) + ": the name of parameter array 1 of 4 is"
                    + " \"![1]\"; a name is a parameter name and a layer number, e.g. W[1]"},
            {hexOf(trailing), "model.nnkit: at byte " + end + ": 3 unexpected bytes between the parameters and the checksum: the file is corrupt"},
            {hexOf(putInt(file, end, 0)), "model.nnkit: at byte " + end + ": checksum mismatch"},
            {hexOf(reseal(nan)), "model.nnkit: at byte " + (params + 16) + ": W[1] holds NaN at index 0; every saved value is finite: the file"
                    + " is corrupt"},
        };
        for (String[] c : cases) {
            checks.add(() -> {
                String m = message(HexBytes.parse(c[0]));
                if (c[1].endsWith("checksum mismatch")) {
                    assertTrue(m.startsWith("model.nnkit: at byte " + end + ": checksum mismatch: the SHA-256 of bytes 0.." + (end - 1) + " is "), m);
                    assertTrue(m.endsWith("...: the file is corrupt (changed after it was written)"), m);
                } else {
                    assertEquals(c[1], m);
                }
            });
        }
        assertAll(checks);
    }

    private static String hexOf(byte[] bytes) {
        return HexBytes.format(bytes);
    }

    /** Hex strings keep the table of cases printable. */
    static final class HexBytes {
        static String format(byte[] bytes) {
            return java.util.HexFormat.of().formatHex(bytes);
        }

        static byte[] parse(String hex) {
            return java.util.HexFormat.of().parseHex(hex);
        }
    }

    @Test
    void aFileThatContradictsItsConfigIsRefused() throws IOException {
        Network net = ModelFixtures.small(4);
        NetworkConfig config = net.config();
        List<ModelFile.Tensor> right = tensors(net);
        Path file = dir.resolve("m.nnkit");

        List<ModelFile.Tensor> renamed = new ArrayList<>(right);
        renamed.set(1, new ModelFile.Tensor("c[1]", 3, 1, new double[3]));
        ModelFile.write(config, renamed, null, file);
        assertEquals(file + ": at byte " + offsetOfTensor(file, 1) + ": parameter array 2 is c[1] (3, 1) but the network"
                + " 2-3(sigmoid)-1(sigmoid), binary_cross_entropy has b[1] (3, 1) there", loadMessage(file));

        List<ModelFile.Tensor> reshaped = new ArrayList<>(right);
        reshaped.set(2, new ModelFile.Tensor("W[2]", 3, 1, new double[3]));
        ModelFile.write(config, reshaped, null, file);
        assertEquals(file + ": at byte " + offsetOfTensor(file, 2) + ": parameter array 3 is W[2] (3, 1) but the network"
                + " 2-3(sigmoid)-1(sigmoid), binary_cross_entropy has W[2] (1, 3) there", loadMessage(file));

        ModelFile.write(config, right.subList(0, 3), null, file);
        assertEquals(file + ": at byte " + (offsetOfTensor(file, 0) - 4) + ": the file holds 3 parameter arrays but the network"
                + " 2-3(sigmoid)-1(sigmoid), binary_cross_entropy has 4: W[1] (3, 2), b[1] (3, 1), W[2] (1, 3), b[2] (1, 1)",
                loadMessage(file));

        // a config describing far more weights than the file holds is refused before the network is built
        NetworkConfig huge = new NetworkConfig(2, List.of(LayerConfig.dense(4000).withActivation("sigmoid").withInitializer("test_gaussian"),
                LayerConfig.dense(4000).withActivation("sigmoid").withInitializer("test_gaussian"),
                LayerConfig.dense(1).withActivation("sigmoid").withInitializer("test_gaussian")), "binary_cross_entropy", 1);
        ModelFile.write(huge, right, null, file);
        long values = 4000L * (2 + 1) + 4000L * (4000 + 1) + 1L * (4000 + 1); // n[l] * (n[l-1] + 1) per dense layer
        assertEquals(file + ": at byte 20: the config describes a network of " + values + " parameter and state values (sum"
                + " of each layer's parameterCount, n[l] * (n[l-1] + 1) for dense) but the file holds 13; the file is corrupt",
                loadMessage(file));

        // the optimizer state must fit the optimizer and the network
        TrainingState wrong = new TrainingState(ADAM, 1, 5, List.of(new double[6], new double[3], new double[3], new double[1],
                new double[6], new double[3], new double[3], new double[2]));
        ModelFile.write(config, right, wrong, file);
        assertEquals(file + ": at byte " + stateOffset(file) + ": the optimizer state (8 arrays of lengths [6, 3, 3, 1, 6, 3, 3, 2])"
                + " does not fit adam(learning_rate=0.05, beta1=0.9, beta2=0.999, epsilon=1.0E-8) on this network: optimizer state"
                + " array 3 has 2 entries but parameter b has 1; the state belongs to another network", loadMessage(file));
        TrainingState odd = new TrainingState(ADAM, 1, 5, List.of(new double[6]));
        ModelFile.write(config, right, odd, file);
        assertEquals(file + ": at byte " + stateOffset(file) + ": the optimizer state (1 arrays of lengths [6]) does not fit"
                + " adam(learning_rate=0.05, beta1=0.9, beta2=0.999, epsilon=1.0E-8) on this network: adam(learning_rate=0.05,"
                + " beta1=0.9, beta2=0.999, epsilon=1.0E-8) keeps 2 arrays per parameter, but 1 arrays were given", loadMessage(file));

        // a state section without a training section in the config
        byte[] plain = ModelFixtures.bytesOf(net, null, dir);
        byte[] withState = Arrays.copyOf(plain, plain.length + 16);
        ByteBuffer.wrap(withState).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 1).putInt(plain.length - 32, 0)
                .putLong(plain.length - 28, 0).putInt(plain.length - 20, 0);
        assertEquals("model.nnkit: at byte 20: the file holds a training state but its config has no \"training\" section",
                message(reseal(withState)));
    }

    private static List<ModelFile.Tensor> tensors(Network net) {
        List<ModelFile.Tensor> out = new ArrayList<>();
        for (int l = 1; l <= net.depth(); l++) {
            for (var p : net.parameters(l)) {
                out.add(new ModelFile.Tensor(p.name() + "[" + l + "]", p.value().numRows, p.value().numCols, p.value().data));
            }
        }
        return out;
    }

    /** The offset of parameter array {@code k} (0-based) in a file written by this version. */
    private static long offsetOfTensor(Path file, int k) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int at = parametersAt(bytes);
        for (int i = 0; i < k; i++) {
            int nameLength = b.getInt(at);
            int rows = b.getInt(at + 4 + nameLength);
            int cols = b.getInt(at + 8 + nameLength);
            at += 4 + nameLength + 8 + 8 * rows * cols;
        }
        return at;
    }

    /** The offset of the training state: after the P parameter arrays, the count S and the S layer state arrays. */
    private static long stateOffset(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int parameters = b.getInt(parametersAt(bytes) - 4);
        int at = (int) offsetOfTensor(file, parameters);
        int layerStates = b.getInt(at);
        return skipTensors(b, at + 4, layerStates);
    }

    /** The offset after {@code count} named arrays starting at {@code at}. */
    static int skipTensors(ByteBuffer b, int at, int count) {
        for (int i = 0; i < count; i++) {
            int nameLength = b.getInt(at);
            int rows = b.getInt(at + 4 + nameLength);
            int cols = b.getInt(at + 8 + nameLength);
            at += 4 + nameLength + 8 + 8 * rows * cols;
        }
        return at;
    }

    private static String loadMessage(Path file) {
        return assertThrows(DataFileException.class, () -> ModelFile.load(file, ModelFixtures.registry())).getMessage();
    }

    @Test
    void aPluginMissingFromTheClassPathIsRefusedWithTheRegistrysMessage() throws IOException {
        Path file = dir.resolve("l2.nnkit");
        ModelFile.save(ModelFixtures.small(1), file);
        // test_l2 is known to the fixtures' registry only, not to the class path's
        PluginException e = assertThrows(PluginException.class, () -> ModelFile.load(file));
        assertEquals(file + ": the model needs the regularizer 'test_l2', which no plugin on the class path provides: put the"
                + " jar of the plugin that provides it on the class path (the registry says: config: line 9, column 24: layer 1"
                + " regularizer 1: unknown regularizer 'test_l2'; no regularizer plugins are on the class path (is the module"
                + " that provides them a dependency?))", e.getMessage());
    }

    @Test
    void aFailedSaveLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Network net = ModelFixtures.small(2);
        Path file = dir.resolve("keep.nnkit");
        ModelFile.save(net, file);
        byte[] before = Files.readAllBytes(file);

        Network broken = ModelFixtures.small(3);
        DMatrixRMaj w = broken.parameter(1, "W");
        broken.parameters(1).get(0).value().data[4] = Double.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(broken, file));
        assertEquals("W[1] holds Infinity at index 4; only finite parameters and optimizer state can be saved", e.getMessage());
        broken.setParameter(1, "W", w);
        assertArrayEquals(before, Files.readAllBytes(file));

        // the rename fails: the target is a directory that is not empty
        Path occupied = dir.resolve("occupied.nnkit");
        Files.createDirectories(occupied.resolve("inside"));
        assertThrows(IOException.class, () -> ModelFile.save(net, occupied));
        assertTrue(Files.isDirectory(occupied.resolve("inside")));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of("keep.nnkit", "occupied.nnkit"), entries.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // and the directory does not exist at all
        assertThrows(IOException.class, () -> ModelFile.save(net, dir.resolve("missing/m.nnkit")));
    }

    @Test
    void theGoldenFileOfFormatVersion1StillLoads() throws Exception {
        Path golden = Path.of(ModelFileTest.class.getResource("golden-v1.nnkit").toURI());
        ModelFile.Contents contents = ModelFile.load(golden);
        Network net = contents.network();
        assertEquals("2-3(sigmoid)-1(sigmoid), binary_cross_entropy", net.toString());
        assertEquals(new NetworkConfig(2, List.of(
                new LayerConfig("dense(units=3)", "sigmoid", "test_gaussian(std=0.5)", List.of()),
                new LayerConfig("dense(units=1)", "sigmoid", "test_gaussian(std=0.5)", List.of())),
                "binary_cross_entropy", 11L), net.config());
        double[][] w1 = {{0.5, -1.25}, {2.0, 0.75}, {-0.375, 1.5}};
        double[] b1 = {0.25, -0.5, 0.125};
        double[] w2 = {1.5, -2.0, 0.5};
        double b2 = -0.25;
        assertArrayEquals(new double[] {0.5, -1.25, 2.0, 0.75, -0.375, 1.5}, net.parameter(1, "W").data, 0.0);
        assertArrayEquals(b1, net.parameter(1, "b").data, 0.0);
        assertArrayEquals(w2, net.parameter(2, "W").data, 0.0);
        assertArrayEquals(new double[] {b2}, net.parameter(2, "b").data, 0.0);
        // predictions computed here, independently of the network code: sigma(W2 sigma(W1 x + b1) + b2)
        double[][] inputs = {{0, 0}, {1, -1}, {-0.5, 2}, {3, 0.25}};
        DMatrixRMaj x = new DMatrixRMaj(2, inputs.length);
        for (int j = 0; j < inputs.length; j++) {
            x.set(0, j, inputs[j][0]);
            x.set(1, j, inputs[j][1]);
        }
        DMatrixRMaj y = net.predict(x);
        for (int j = 0; j < inputs.length; j++) {
            double z2 = b2;
            for (int i = 0; i < 3; i++) {
                z2 += w2[i] * sigmoid(w1[i][0] * inputs[j][0] + w1[i][1] * inputs[j][1] + b1[i]);
            }
            assertEquals(sigmoid(z2), y.get(0, j), 1e-15, "input " + j);
        }
        TrainingState state = contents.trainingState().orElseThrow();
        assertEquals(new Hyperparameters("adam(learning_rate=0.05)", 3, 2, 7L, true), state.hyperparameters());
        assertEquals(3, state.epochsDone());
        assertEquals(6, state.stepsDone());
        int[] lengths = {6, 3, 3, 1, 6, 3, 3, 1};
        List<double[]> moments = state.optimizerState();
        assertEquals(lengths.length, moments.size());
        for (int a = 0; a < lengths.length; a++) {
            double[] expected = new double[lengths[a]];
            for (int k = 0; k < expected.length; k++) {
                expected[k] = (a < 4 ? -1 : 1) * (a * 8 + k + 1) / 64.0;
            }
            assertArrayEquals(expected, moments.get(a), 0.0, "optimizer array " + a);
        }
    }

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    @Test
    void thousandsOfConcurrentPredictionsOfALoadedModelMatchTheSingleThreadedAnswers() throws Exception {
        Network trained = ModelFixtures.medium(12);
        new Trainer(Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.01)").withEpochs(3).withBatchSize(16))
                .fit(trained, new Dataset(ModelFixtures.gaussian(4, 64, 3), ModelFixtures.gaussian(3, 64, 4)));
        Path file = dir.resolve("medium.nnkit");
        ModelFile.save(trained, file);
        Network net = ModelFile.load(file, ModelFixtures.registry()).network();

        int inputs = 97;
        List<DMatrixRMaj> xs = new ArrayList<>();
        List<double[]> expected = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            xs.add(ModelFixtures.gaussian(4, 1 + (i * 7) % 33, 1000 + i));
            expected.add(net.predict(xs.get(i)).data.clone());
        }
        int threads = 8;
        int perThread = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 13;
                Callable<Integer> task = () -> {
                    start.await();
                    int mismatches = 0;
                    for (int r = 0; r < perThread; r++) {
                        int i = (offset + r) % inputs;
                        if (!Arrays.equals(expected.get(i), net.predict(xs.get(i)).data)) {
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
            assertEquals(0, total, "predictions that differ from the single-threaded answer, of " + threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }
}
