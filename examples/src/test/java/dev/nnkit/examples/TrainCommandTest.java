package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The generic trainer on CSV and IDX files the test writes: the task, the network and the metrics. */
class TrainCommandTest {

    @TempDir
    Path dir;

    private TrainCommand.Run train(String... args) throws IOException {
        TrainCommand command = new TrainCommand();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--out";
        all[args.length + 1] = dir.resolve("out").toString();
        new CommandLine(command).parseArgs(all);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return TrainCommand.run(command.setup(), new PrintStream(buffer, true, StandardCharsets.UTF_8));
    }

    /** Three Gaussian blobs in the plane, labelled by name, with an id column first. */
    private Path blobs(String name, int perClass, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("id,x1,x2,species\n");
        String[] names = {"setosa", "versicolor", "virginica"};
        double[][] centres = {{0, 3}, {3, -2}, {-3, -2}};
        int id = 0;
        for (int i = 0; i < perClass; i++) {
            for (int c = 0; c < 3; c++) {
                csv.append(String.format(Locale.ROOT, "%d,%.5f,%.5f,%s%n", id++, centres[c][0] + random.nextGaussian(),
                        centres[c][1] + random.nextGaussian(), names[c]));
            }
        }
        Path file = dir.resolve(name);
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void namedClassesGiveASoftmaxClassifierAndASeparateTestFileKeepsTheClassOrder() throws IOException {
        Path trainFile = blobs("train.csv", 60, 1);
        Path testFile = blobs("test.csv", 20, 2);
        TrainCommand.Run run = train("--data", trainFile.toString(), "--test", testFile.toString(), "--ignore", "id",
                "--layers", "8", "--epochs", "30");
        assertTrue(run.classification());
        assertEquals(List.of("setosa", "versicolor", "virginica"), run.classes());
        assertEquals("2-8(relu)-3(softmax), softmax_cross_entropy", run.network());
        assertEquals(180, run.trainSize());
        assertEquals(60, run.testSize());
        // centres 5 standard deviations apart: the Bayes error is below 1 %
        assertTrue(run.test().accuracy() > 0.95, "test accuracy " + run.test().accuracy());
        assertTrue(Double.isNaN(run.test().mse()));
        assertNotNull(ImageIO.read(run.images().get(0).toFile()));
    }

    @Test
    void zeroOneLabelsGiveASigmoidClassifierWithAHeldOutFraction() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            double x = 2 * random.nextDouble() - 1;
            double y = 2 * random.nextDouble() - 1;
            csv.append(String.format(Locale.ROOT, "%.5f;%.5f;%d%n", x, y, x * y > 0 ? 1 : 0));
        }
        Path file = dir.resolve("xor.txt");
        Files.writeString(file, csv);
        TrainCommand.Run run = train("--data", file.toString(), "--delimiter", ";", "--layers", "16,8", "--epochs", "60",
                "--test-fraction", "0.25");
        assertEquals("2-16(relu)-8(relu)-1(sigmoid), binary_cross_entropy", run.network());
        assertEquals(300, run.trainSize());
        assertEquals(100, run.testSize());
        // XOR of the quadrants: no line separates it; two small relu layers do, up to the points near the axes
        assertTrue(run.test().accuracy() > 0.9, "test accuracy " + run.test().accuracy());
    }

    @Test
    void fractionalTargetsGiveARegressionWithMseAndRSquared() throws IOException {
        SplittableRandom random = new SplittableRandom(4);
        StringBuilder csv = new StringBuilder("a,b,target\n");
        for (int i = 0; i < 300; i++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f%n", a, b, 2 * a - b + 0.5 + 0.1 * random.nextGaussian()));
        }
        Path file = dir.resolve("linear.csv");
        Files.writeString(file, csv);
        TrainCommand.Run run = train("--data", file.toString(), "--layers", "8", "--epochs", "60");
        assertFalse(run.classification());
        assertEquals("2-8(relu)-1(identity), mean_squared_error", run.network());
        // Var(target) = 4 + 1 + 0.01; the noise alone leaves R^2 = 1 - 0.01/5.01 = 0.998
        assertTrue(run.test().r2() > 0.97, "R^2 " + run.test().r2());
        assertTrue(run.test().mse() < 0.15, "MSE " + run.test().mse());
        assertTrue(Double.isNaN(run.test().accuracy()));
    }

    @Test
    void idxImagesAndLabelsTrainAClassifier() throws IOException {
        // 200 "images" of 2 x 2 pixels: class 1 is bright on the diagonal, class 0 off it
        SplittableRandom random = new SplittableRandom(5);
        int m = 200;
        ByteBuffer images = ByteBuffer.allocate(16 + 4 * m).putInt(0x00000803).putInt(m).putInt(2).putInt(2);
        ByteBuffer labels = ByteBuffer.allocate(8 + m).putInt(0x00000801).putInt(m);
        for (int j = 0; j < m; j++) {
            int label = j % 2;
            for (int p = 0; p < 4; p++) {
                boolean bright = (p == 0 || p == 3) == (label == 1);
                images.put((byte) (bright ? 150 + random.nextInt(100) : random.nextInt(100)));
            }
            labels.put((byte) label);
        }
        Path x = dir.resolve("images-idx3-ubyte");
        Path y = dir.resolve("labels-idx1-ubyte");
        Files.write(x, images.array());
        Files.write(y, labels.array());
        TrainCommand.Run run = train("--data", x.toString(), "--labels", y.toString(), "--layers", "4", "--epochs", "40");
        assertEquals("4-4(relu)-1(sigmoid), binary_cross_entropy", run.network());
        assertTrue(run.test().accuracy() > 0.95, "test accuracy " + run.test().accuracy());
    }

    @Test
    void aMalformedFileIsReportedWithItsLineAndExitCodeTwo() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "a,b,y\n1,2,0\n3,oops,1\n");
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.run("train", "--data", file.toString(), "--out", dir.resolve("out").toString());
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertEquals(2, status);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("line 3, column 2: feature \"oops\" is not a number"), message);
    }

    @Test
    void aJsonConfigBuildsTheNetworkAndSaveWritesAModelThatPredictsTheSame() throws Exception {
        Path trainFile = blobs("train.csv", 40, 5);
        dev.nnkit.NetworkConfig config = new dev.nnkit.NetworkConfig(2, List.of(
                new dev.nnkit.LayerConfig("dense(units=6)", "tanh", "xavier_normal", List.of("l2(lambda=0.01)")),
                new dev.nnkit.LayerConfig("dense(units=3)", "softmax", "xavier_normal", List.of())),
                "softmax_cross_entropy", 9);
        dev.nnkit.Hyperparameters training = dev.nnkit.Hyperparameters.defaults()
                .withOptimizer("adam(learning_rate=0.05)").withEpochs(12).withBatchSize(16).withSeed(9);
        Path json = dir.resolve("net.json");
        Files.writeString(json, dev.nnkit.io.NetworkConfigs.toJson(config, training));
        Path model = dir.resolve("blobs.nnkit");

        TrainCommand.Run run = train("--data", trainFile.toString(), "--ignore", "id", "--config", json.toString(),
                "--save", model.toString(), "--epochs", "999");
        assertEquals("2-6(tanh)-3(softmax), softmax_cross_entropy", run.network());
        assertEquals(12, run.epochCosts().length, "the config's training section replaces the --epochs flag");
        assertTrue(run.test().accuracy() > 0.9, "test accuracy " + run.test().accuracy());

        dev.nnkit.Network loaded = dev.nnkit.io.ModelFile.load(model).network();
        assertEquals(config, loaded.config());
        dev.nnkit.Network untrained = dev.nnkit.Network.fromConfig(config, dev.nnkit.PluginRegistry.defaults());
        assertFalse(java.util.Arrays.equals(untrained.parameter(1, "W").data, loaded.parameter(1, "W").data),
                "the file holds the trained parameters, not the initial ones");
    }

    @Test
    void dtypeFloat32TrainsInFloatAlongsideTheFloat64RunAndTheModelFileRecordsIt() throws Exception {
        Path trainFile = blobs("train.csv", 40, 11);
        Path model = dir.resolve("f32.nnkit");
        String[] common = {"--data", trainFile.toString(), "--ignore", "id", "--layers", "8", "--epochs", "6"};
        TrainCommand.Run wide = train(common);
        List<String> narrow = new java.util.ArrayList<>(List.of(common));
        narrow.addAll(List.of("--dtype", "float32", "--save", model.toString()));
        TrainCommand.Run run = train(narrow.toArray(String[]::new));

        assertEquals("2-8(relu)-3(softmax), softmax_cross_entropy, float32", run.network());
        assertEquals(dev.nnkit.Dtype.FLOAT32, dev.nnkit.io.ModelFile.load(model).network().dtype());
        assertTrue(run.test().accuracy() > 0.9, "test accuracy " + run.test().accuracy());
        // the same seed draws the same weights, batches and order: float32 follows float64 to float round-off
        for (int e = 0; e < 6; e++) {
            assertEquals(wide.epochCosts()[e], run.epochCosts()[e], 1e-4 * wide.epochCosts()[e], "epoch " + (e + 1));
        }
        assertFalse(java.util.Arrays.equals(wide.epochCosts(), run.epochCosts()), "the float32 run computed in float");
        // its predictions are float numbers (a float output widened), the float64 run's are not all
        DMatrixRMaj p = run.model().predict(run.pipeline().transform(run.rawTest().features()));
        for (double v : p.data) {
            assertEquals(v, (double) (float) v, 0.0, "a float32 network's output");
        }
        DMatrixRMaj q = wide.model().predict(wide.pipeline().transform(wide.rawTest().features()));
        assertFalse(java.util.Arrays.stream(q.data).allMatch(v -> v == (double) (float) v), "a check that can fail");
    }

    @Test
    void dtypeReplacesAConfigsDtypeOnlyWhenGiven() throws Exception {
        Path trainFile = blobs("train.csv", 10, 12);
        dev.nnkit.NetworkConfig config = new dev.nnkit.NetworkConfig(2, List.of(
                new dev.nnkit.LayerConfig("dense(units=3)", "softmax", "xavier_normal", List.of())),
                "softmax_cross_entropy", 1);
        Path f64 = dir.resolve("f64.json");
        Files.writeString(f64, dev.nnkit.io.NetworkConfigs.toJson(config));
        Path f32 = dir.resolve("f32.json");
        Files.writeString(f32, dev.nnkit.io.NetworkConfigs.toJson(config.withDtype(dev.nnkit.Dtype.FLOAT32)));
        String[] quick = {"--data", trainFile.toString(), "--ignore", "id", "--epochs", "1", "--config"};

        assertTrue(train(with(quick, f32.toString())).network().endsWith(", float32"), "the config's own dtype");
        assertTrue(train(with(quick, f64.toString(), "--dtype", "fp32")).network().endsWith(", float32"), "--dtype over it");
        assertEquals("2-3(softmax), softmax_cross_entropy",
                train(with(quick, f32.toString(), "--dtype", "float64")).network(), "--dtype float64 over a float32 config");
    }

    private static String[] with(String[] args, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void anUnknownDtypeIsRefusedBeforeTheDataIsReadNamingTheValueAndTheChoices() {
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--data", dir.resolve("absent.csv").toString(), "--dtype", "float16");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                command::setup);
        assertEquals("--dtype: dtype 'float16' is not known; use float64 (the default) or float32", e.getMessage());
    }

    @Test
    void aConfigNamingAnUnknownPluginIsRefusedWithTheRegistrysMessage() throws IOException {
        Path trainFile = blobs("train.csv", 10, 6);
        Path json = dir.resolve("bad.json");
        dev.nnkit.NetworkConfig config = new dev.nnkit.NetworkConfig(2, List.of(
                new dev.nnkit.LayerConfig("dense(units=3)", "softmaks", "xavier_normal", List.of())),
                "softmax_cross_entropy", 1);
        Files.writeString(json, dev.nnkit.io.NetworkConfigs.toJson(config));
        dev.nnkit.spi.PluginException e = org.junit.jupiter.api.Assertions.assertThrows(dev.nnkit.spi.PluginException.class,
                () -> train("--data", trainFile.toString(), "--ignore", "id", "--config", json.toString()));
        assertTrue(e.getMessage().contains("unknown activation 'softmaks'; did you mean 'softmax'?"), e.getMessage());
    }

    @Test
    void aScheduleIsChosenByNameAndPrintedAndAnUnknownOneIsRefused() throws IOException {
        Path trainFile = blobs("train.csv", 40, 7);
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--data", trainFile.toString(), "--ignore", "id", "--layers", "6", "--epochs", "6",
                "--schedule", "step_decay(every=3, factor=0.1)", "--out", dir.resolve("out").toString());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        TrainCommand.Run scheduled = TrainCommand.run(command.setup(), new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("6 epochs, mini-batches of 32, adam(learning_rate=0.01), schedule step_decay(every=3, "
                + "factor=0.1), seed 1"), out);
        TrainCommand.Run constant = train("--data", trainFile.toString(), "--ignore", "id", "--layers", "6", "--epochs", "6");
        assertEquals(scheduled.epochCosts()[0], constant.epochCosts()[0], 0.0, "the first epochs run at the same rate");
        assertFalse(scheduled.epochCosts()[5] == constant.epochCosts()[5], "from epoch 4 on the rate is a tenth");

        dev.nnkit.spi.PluginException e = org.junit.jupiter.api.Assertions.assertThrows(dev.nnkit.spi.PluginException.class,
                () -> train("--data", trainFile.toString(), "--ignore", "id", "--schedule", "warmup(steps=5, then=cosin(epochs=3))"));
        assertTrue(e.getMessage().startsWith("warmup: then=cosin(epochs=3): unknown schedule 'cosin'; did you mean 'cosine'?"),
                e.getMessage());
    }

    /** The third-party module's one_cycle, by name: on the command line and in a JSON config's training section. */
    @Test
    void aThirdPartyScheduleIsUsedByNameFromTheCommandLineAndFromJson() throws IOException {
        Path trainFile = blobs("train.csv", 40, 7);
        String spec = "one_cycle(epochs=6)";
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--data", trainFile.toString(), "--ignore", "id", "--layers", "6", "--epochs", "6",
                "--schedule", "one_cycle(epochs=6)", "--out", dir.resolve("out").toString());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        TrainCommand.Run cycled = TrainCommand.run(command.setup(), new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("schedule " + spec), out);
        TrainCommand.Run constant = train("--data", trainFile.toString(), "--ignore", "id", "--layers", "6", "--epochs", "6");
        assertFalse(cycled.epochCosts()[0] == constant.epochCosts()[0], "one_cycle starts at learning_rate / 25");

        Path json = dir.resolve("cycle.json");
        dev.nnkit.NetworkConfig config = new dev.nnkit.NetworkConfig(2, List.of(
                new dev.nnkit.LayerConfig("dense(units=6)", "tanh", "xavier_normal", List.of()),
                new dev.nnkit.LayerConfig("dense(units=3)", "softmax", "xavier_normal", List.of())),
                "softmax_cross_entropy", 1);
        dev.nnkit.Hyperparameters training = dev.nnkit.Hyperparameters.defaults()
                .withOptimizer("adam(learning_rate=0.01)").withSchedule("one_cycle(epochs=6)").withEpochs(6).withBatchSize(32);
        Files.writeString(json, dev.nnkit.io.NetworkConfigs.toJson(config, training));
        assertTrue(Files.readString(json).contains("\"schedule\" : \"" + spec + "\""), Files.readString(json));
        TrainCommand fromJson = new TrainCommand();
        new CommandLine(fromJson).parseArgs("--data", trainFile.toString(), "--ignore", "id", "--config", json.toString(),
                "--out", dir.resolve("out2").toString());
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        TrainCommand.run(fromJson.setup(), new PrintStream(second, true, StandardCharsets.UTF_8));
        assertTrue(second.toString(StandardCharsets.UTF_8).contains("schedule " + spec), second.toString(StandardCharsets.UTF_8));
    }
}
