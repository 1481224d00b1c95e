package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.io.formats.IdxReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Fashion-MNIST: a slice of the real files (installed by CI) trains well above chance. */
class FashionCommandTest {

    private static boolean installed() {
        try {
            FashionCommand.locate(FashionCommand.DEFAULT_DATA);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static final String MISSING = "Fashion-MNIST is not installed in " + FashionCommand.DEFAULT_DATA
            + " (apt-get install dataset-fashion-mnist); the test on the real files is skipped";

    @Test
    void classifyingInChunksGivesWhatOneWholePassGives() {
        int m = 2_345; // two whole chunks of 1,000 and a partial one
        java.util.Random r = new java.util.Random(4);
        byte[] pixels = new byte[m * 6];
        r.nextBytes(pixels);
        DMatrixRMaj y = new DMatrixRMaj(3, m);
        for (int j = 0; j < m; j++) {
            y.set(r.nextInt(3), j, 1.0);
        }
        dev.nnkit.data.Dataset data = dev.nnkit.data.Dataset.ofUnsignedByteRows(pixels, 6, 1.0 / 255, y);
        dev.nnkit.Network net = dev.nnkit.Network.builder(6).dense(5, "tanh").dense(3, "softmax")
                .initializer("xavier_normal").loss("softmax_cross_entropy").seed(2).build();
        int[] whole = net.classify(data.features());
        assertArrayEquals(whole, FashionCommand.classifyInChunks(net, data));
        assertTrue(java.util.Arrays.stream(whole).distinct().count() > 1, "a test that could tell chunks apart");
    }

    @Test
    void theRealFilesHaveTheirDocumentedShape() throws IOException {
        assumeTrue(installed(), MISSING);
        List<Path> files = FashionCommand.locate(FashionCommand.DEFAULT_DATA);
        IdxReader idx = IdxReader.defaults();
        assertArrayEquals(new int[] {1, 28, 28}, idx.read(files.get(0), 1).dimensions());
        assertArrayEquals(new int[] {2, 28, 28}, idx.read(files.get(2), 2).dimensions());
        DMatrixRMaj labels = idx.labelRow(files.get(3), 0);
        assertEquals(10_000, labels.numCols);
        int[] perClass = new int[10];
        for (double v : labels.data) {
            perClass[(int) v]++;
        }
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass,
                "the test set has 1,000 images of each class");
    }

    @Test
    void aSliceOfTheRealDataTrainsFarAboveChance(@TempDir Path dir) throws IOException {
        assumeTrue(installed(), MISSING);
        FashionCommand command = new FashionCommand();
        // without --no-progress: output that is not a terminal gets no bar, and the per-epoch lines always
        new CommandLine(command).parseArgs("--limit", "5000", "--test-limit", "2000", "--epochs", "2", "--out", dir.toString());
        assumeTrue(System.console() == null, "the test's output is a terminal");
        assertFalse(command.progress.shown(), "no bar when the output is not a terminal");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        FashionCommand.Run run = command.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(5000, run.trainSize());
        assertEquals(2000, run.testSize());
        assertEquals("784-256(relu)-128(relu)-10(softmax), softmax_cross_entropy", run.network());
        // chance is 0.10; 5,000 images and 2 epochs of Adam give about 0.80
        assertTrue(run.testAccuracy() > 0.70, "test accuracy " + run.testAccuracy());
        assertEquals(2, run.testAccuracies().length);
        assertTrue(run.epochCosts()[1] < run.epochCosts()[0], "the cost falls: " + java.util.Arrays.toString(run.epochCosts()));
        int total = 0;
        int correct = 0;
        for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
                total += run.confusion()[i][j];
            }
            correct += run.confusion()[i][i];
        }
        assertEquals(2000, total);
        assertEquals(run.testAccuracy(), (double) correct / total, 1e-12);
        for (String name : FashionCommand.CLASS_NAMES) {
            assertTrue(out.contains(name), name + " in\n" + out);
        }
        assertTrue(out.contains("confusion matrix (rows: true class, columns: predicted class)"), out);
        assertTrue(out.contains("epoch 1/2: mean cost ") && out.contains("epoch 2/2: mean cost "), out);
        assertFalse(out.contains(" img") || out.contains("\r"), "no progress bar: " + out);
        BufferedImage training = ImageIO.read(dir.resolve("fashion_training.png").toFile());
        assertNotNull(training);
        assertEquals(1280, training.getWidth());
        assertNotNull(ImageIO.read(dir.resolve("fashion_confusion.png").toFile()));
    }

    private static FashionCommand command(String... args) {
        FashionCommand command = new FashionCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void batchNormGoesAfterEachHiddenDenseLayerWithDropoutAfterItAndWeightPenaltiesOnTheDenseWeights() {
        dev.nnkit.Network plain = command().network();
        assertEquals(3, plain.depth(), "the default network is unchanged: 784-256-128-10");
        assertEquals("784-256(relu)-128(relu)-10(softmax), softmax_cross_entropy", plain.toString());

        dev.nnkit.Network bn = command("--batch-norm", "--reg", "l2(lambda=0.5);dropout(keep_prob=0.9)").network();
        assertEquals(5, bn.depth());
        assertEquals("784-256(identity)-256(batch_norm, relu)-128(identity)-128(batch_norm, relu)-10(softmax), "
                + "softmax_cross_entropy", bn.toString());
        for (int l : new int[] {2, 4}) {
            assertTrue(bn.layer(l) instanceof dev.nnkit.layers.BatchNorm, "layer " + l + ": " + bn.layer(l));
            assertEquals(List.of("dropout(keep_prob=0.9)"), bn.regularizers(l).stream().map(Object::toString).toList());
            assertEquals(List.of("gamma", "beta"), bn.parameters(l).stream().map(dev.nnkit.spi.Parameter::name).toList());
        }
        for (int l : new int[] {1, 3}) {
            assertEquals("identity", bn.activation(l).toString());
            assertEquals(List.of("l2(lambda=0.5)"), bn.regularizers(l).stream().map(Object::toString).toList());
        }
        assertEquals(List.of("l2(lambda=0.5)"), bn.regularizers(5).stream().map(Object::toString).toList(),
                "the output layer: the weight penalty, as without batch norm, and no dropout");
        // batch_norm draws nothing: the dense layers get the same weights as without it, for the same seed
        assertArrayEquals(plain.parameter(1, "W").data, bn.parameter(1, "W").data, 0.0);
        assertArrayEquals(plain.parameter(2, "W").data, bn.parameter(3, "W").data, 0.0);
        assertArrayEquals(plain.parameter(3, "W").data, bn.parameter(5, "W").data, 0.0);
    }

    @Test
    void dtypeFloat32BuildsFloat32NetworksWithAndWithoutBatchNorm() {
        assertEquals(dev.nnkit.Dtype.FLOAT64, command().network().dtype(), "float64 unless asked");
        assertEquals("784-256(relu)-128(relu)-10(softmax), softmax_cross_entropy, float32",
                command("--dtype", "float32").network().toString());
        assertEquals(dev.nnkit.Dtype.FLOAT32, command("--dtype", "f32", "--batch-norm").network().dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> command("--dtype", "bf16", "--data", "/nonexistent").run(
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertEquals("--dtype: dtype 'bf16' is not known; use float64 (the default) or float32", e.getMessage(),
                "refused before the data is looked for");
    }

    @Test
    void aSliceTrainedInFloat32ReachesTheAccuracyOfFloat64(@TempDir Path dir) throws IOException {
        assumeTrue(installed(), MISSING);
        String[] slice = {"--hidden", "64,32", "--limit", "3000", "--test-limit", "1000", "--epochs", "2", "--no-progress"};
        FashionCommand.Run wide = command(with(slice, "--out", dir.resolve("f64").toString()))
                .run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        FashionCommand.Run narrow = command(with(slice, "--dtype", "float32", "--out", dir.resolve("f32").toString()))
                .run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("784-64(relu)-32(relu)-10(softmax), softmax_cross_entropy, float32"), out);
        assertTrue(out.contains("2 epochs of mini-batches of 128, seed 1, float32: "), out);
        // the same weights, batches and dropout draws: the two runs part only by float round-off
        assertEquals(wide.testAccuracy(), narrow.testAccuracy(), 0.01, "test accuracy, 1,000 images");
        assertEquals(wide.epochCosts()[0], narrow.epochCosts()[0], 1e-3 * wide.epochCosts()[0], "the first epoch's cost");
        // chance is 0.10; this slice gives about 0.67
        assertTrue(narrow.testAccuracy() > 0.5, "test accuracy " + narrow.testAccuracy());
    }

    private static String[] with(String[] args, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void theLearningRateFollowsOneScheduleFromFineTuneEpochsOrFromScheduleButNotBoth() {
        assertEquals("step_decay(every=6, factor=0.1)", command().scheduleSpec(), "the default: 6 epochs, then 2 at a tenth");
        assertEquals("constant", command("--fine-tune-epochs", "0").scheduleSpec());
        assertEquals("step_decay(every=1, factor=0.1)", command("--epochs", "2").scheduleSpec(),
                "the default 2 fine-tuning epochs shrink to epochs - 1 for a short run");
        IllegalArgumentException clamped = assertThrows(IllegalArgumentException.class,
                () -> command("--epochs", "8", "--fine-tune-epochs", "9").scheduleSpec(), "a value given is never clamped");
        assertTrue(clamped.getMessage().startsWith("--fine-tune-epochs 9 must be in [0, --epochs 8)"), clamped.getMessage());
        assertThrows(IllegalArgumentException.class, () -> command("--epochs", "3", "--fine-tune-epochs", "3").scheduleSpec());
        assertEquals("step_decay(every=1, factor=0.1)", command("--epochs", "3", "--fine-tune-epochs", "2").scheduleSpec());
        assertEquals("cosine(epochs=8)", command("--schedule", "cosine(epochs=8)").scheduleSpec());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> command("--schedule", "cosine(epochs=8)", "--fine-tune-epochs", "2").scheduleSpec());
        assertEquals("--schedule cosine(epochs=8) and --fine-tune-epochs 2 both set the learning rate; give one "
                + "(--fine-tune-epochs N is --schedule step_decay(every=<epochs - N>, factor=0.1))", e.getMessage());
        dev.nnkit.spi.PluginException unknown = assertThrows(dev.nnkit.spi.PluginException.class,
                () -> command("--schedule", "cosin(epochs=8)", "--data", "/nonexistent").run(
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(unknown.getMessage().startsWith("unknown schedule 'cosin'; did you mean 'cosine'?"), unknown.getMessage());
    }

    @Test
    void theFirstEpochReachingTheTargetAndBatchesOfOneRefused() {
        assertEquals(java.util.OptionalInt.of(3), FashionCommand.firstEpochReaching(new double[] {0.8, 0.87, 0.88, 0.87, 0.9},
                0.88));
        assertEquals(java.util.OptionalInt.of(1), FashionCommand.firstEpochReaching(new double[] {0.9}, 0.88));
        assertEquals(java.util.OptionalInt.empty(), FashionCommand.firstEpochReaching(new double[] {0.8, 0.879}, 0.88));
        FashionCommand command = command("--batch-norm", "--batch-size", "128");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> command.checkBatchNormBatches(true, 2 * 128 + 1));
        assertTrue(e.getMessage().contains("257 training images in mini-batches of 128 leave a batch of 1"), e.getMessage());
        command.checkBatchNormBatches(true, 2 * 128 + 2);
        command.checkBatchNormBatches(false, 2 * 128 + 1); // without batch norm a batch of 1 is fine
    }

    @Test
    void aSliceTrainsWithBatchNormAndTheComparisonReportsBothCurves(@TempDir Path dir) throws IOException {
        assumeTrue(installed(), MISSING);
        // a smaller network and slice keep the test quick; batches of 32 give 63 steps per epoch
        FashionCommand single = command("--batch-norm", "--hidden", "64,32", "--limit", "2000", "--test-limit", "1000",
                "--epochs", "2", "--fine-tune-epochs", "0", "--batch-size", "32", "--no-progress", "--out",
                dir.resolve("single").toString());
        FashionCommand.Run run = single.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals("784-64(identity)-64(batch_norm, relu)-32(identity)-32(batch_norm, relu)-10(softmax), "
                + "softmax_cross_entropy", run.network());
        // evaluated in inference mode, with the running averages: chance is 0.10, this slice gives about 0.77
        assertTrue(run.testAccuracy() > 0.7, "test accuracy " + run.testAccuracy());

        FashionCommand command = command("--compare-batch-norm", "--hidden", "64,32", "--limit", "2000", "--test-limit",
                "1000", "--epochs", "2", "--fine-tune-epochs", "0", "--batch-size", "32", "--target", "0.75",
                "--no-progress", "--out", dir.toString());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        FashionCommand.Comparison c = command.compare(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals("784-64(relu)-32(relu)-10(softmax), softmax_cross_entropy", c.plainNetwork());
        assertEquals(run.network(), c.batchNormNetwork());
        assertEquals(2, c.without().testAccuracies().length);
        assertEquals(2, c.with().testAccuracies().length);
        assertTrue(c.with().testAccuracies()[1] > 0.7, java.util.Arrays.toString(c.with().testAccuracies()));
        assertEquals(FashionCommand.firstEpochReaching(c.without().testAccuracies(), 0.75), c.reachWithout());
        assertEquals(FashionCommand.firstEpochReaching(c.with().testAccuracies(), 0.75), c.reachWith());
        assertTrue(c.with().epochSeconds()[1] > c.with().epochSeconds()[0] && c.with().epochSeconds()[0] > 0);
        assertTrue(out.contains("first epoch with test accuracy >= 0.75: without batch norm "), out);
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "%15.4f", c.with().testAccuracies()[1])), out);

        org.knowm.xchart.XYChart chart = command.comparisonAccuracyChart(c).chart();
        assertArrayEquals(new double[] {100 * c.without().testAccuracies()[0], 100 * c.without().testAccuracies()[1]},
                chart.getSeriesMap().get("without batch norm").getYData(), 1e-12);
        assertArrayEquals(new double[] {100 * c.with().testAccuracies()[0], 100 * c.with().testAccuracies()[1]},
                chart.getSeriesMap().get("with batch norm").getYData(), 1e-12);
        assertArrayEquals(new double[] {75, 75}, chart.getSeriesMap().get("target 0.75").getYData(), 1e-12);
        assertEquals(List.of(dir.resolve("fashion_batchnorm.png")), c.images());
        BufferedImage image = ImageIO.read(dir.resolve("fashion_batchnorm.png").toFile());
        assertNotNull(image);
        assertEquals(1280, image.getWidth(), "two 640-pixel panels");
        assertTrue(out.contains("wrote " + dir.resolve("fashion_batchnorm.png")), out);
    }

    @Test
    void missingFilesSayHowToGetThem(@TempDir Path dir) {
        IOException e = assertThrows(FashionCommand.MissingDataException.class, () -> FashionCommand.locate(dir));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("--data FOLDER"), e.getMessage());
        assertTrue(e.getMessage().contains("missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz"), e.getMessage());

        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.run("fashion", "--data", dir.toString(), "--out", dir.resolve("out").toString());
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Fashion-MNIST was not found in " + dir), err.toString());
    }

    @Test
    void theConfusionMatrixCountsTrueClassesByRow() {
        DMatrixRMaj oneHot = new DMatrixRMaj(3, 4);
        oneHot.set(0, 0, 1);
        oneHot.set(2, 1, 1);
        oneHot.set(2, 2, 1);
        oneHot.set(1, 3, 1);
        int[][] counts = FashionCommand.confusion(new int[] {0, 1, 2, 1}, oneHot);
        assertArrayEquals(new int[] {1, 0, 0}, counts[0]);
        assertArrayEquals(new int[] {0, 1, 0}, counts[1]);
        assertArrayEquals(new int[] {0, 1, 1}, counts[2]);
    }
}
