package dev.nnkit.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.ModelFixtures;
import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Pipeline;
import dev.nnkit.data.Standardizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files of format version 3: the pipeline section, its golden file, its checks, and older files without it. */
class ModelFilePipelineTest {

    @TempDir
    Path dir;

    private static final PluginRegistry REGISTRY = ModelFixtures.stepRegistry();

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    private static int intAt(byte[] file, int at) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    private static Path resource(String name) throws Exception {
        return Path.of(ModelFilePipelineTest.class.getResource(name).toURI());
    }

    @Test
    void theGoldenFileOfFormatVersion3PredictsFromRawFeatures() throws Exception {
        Path golden = resource("golden-v3.nnkit");
        byte[] bytes = Files.readAllBytes(golden);
        assertEquals(3, intAt(bytes, 8), "format version");
        assertEquals(2, intAt(bytes, 12), "flags: a pipeline, no training state");

        ModelFile.Contents contents = ModelFile.load(golden, REGISTRY);
        Pipeline p = contents.pipeline().orElseThrow();
        assertEquals(Pipeline.Task.CLASSIFICATION, p.task());
        assertEquals(List.of("sepal width", "ratio"), p.featureNames());
        assertEquals(List.of("answer"), p.labelNames());
        assertEquals(List.of("no", "yes"), p.classes());
        assertArrayEquals(new double[] {0.5, -1.25}, p.standardizer().orElseThrow().mean(), 0.0);
        assertArrayEquals(new double[] {2.0, 0.25}, p.standardizer().orElseThrow().deviation(), 0.0);
        assertTrue(contents.trainingState().isEmpty());

        // two raw examples, computed by hand from the values the golden file was written with
        double[][] raw = {{1.5, -3.5}, {-1.0, 0.0}};
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{raw[0][0], raw[1][0]}, {raw[0][1], raw[1][1]}});
        Pipeline.Predictions predictions = contents.predict(x);
        for (int j = 0; j < 2; j++) {
            double s0 = (raw[j][0] - 0.5) / 2.0;
            double s1 = (raw[j][1] + 1.25) / 0.25;
            double a1 = sigmoid(0.75 * s0 - 1.5 * s1 + 0.125);
            double a2 = sigmoid(-0.25 * s0 + 0.5 * s1 - 0.375);
            double yes = sigmoid(2.5 * a1 - 1.75 * a2 + 0.0625);
            assertEquals(yes, predictions.probabilities().get(1, j), 1e-15);
            assertEquals(1 - yes, predictions.probabilities().get(0, j), 1e-15);
            assertEquals(yes > 0.5 ? "yes" : "no", predictions.label(j));
        }
        assertFalse(predictions.label(0).equals(predictions.label(1)), "the two examples fall on either side");
    }

    @Test
    void olderFormatsLoadWithoutAPipelineAndSaySoWhenAskedToPredict() throws Exception {
        ModelFile.Contents v1 = ModelFile.load(resource("golden-v1.nnkit"));
        assertTrue(v1.pipeline().isEmpty());
        ModelFile.Contents v2 = ModelFile.load(resource("golden-v2.nnkit"), REGISTRY);
        assertTrue(v2.pipeline().isEmpty());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> v2.predict(new DMatrixRMaj(2, 1)));
        assertTrue(e.getMessage().contains("holds no pipeline"), e.getMessage());
    }

    @Test
    void aPipelineRoundTripsBitForBit() throws Exception {
        Network net = ModelFixtures.small(4);
        int inputs = net.config().inputSize();
        double[] mean = new double[inputs];
        double[] deviation = new double[inputs];
        for (int i = 0; i < inputs; i++) {
            mean[i] = 0.1 * (i + 1) / 3.0 - Math.PI;
            deviation[i] = Math.nextUp(1.0 / 7.0 + i);
        }
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            names.add("f \"" + i + "\" \u00e9");
        }
        Pipeline regression = Pipeline.regression(names, Standardizer.of(mean, deviation), List.of("target"));
        Network regressionNet = Network.builder(inputs).registry(REGISTRY).initializer("test_gaussian(std=0.5)").dense(3, "sigmoid")
                .dense(1, "sigmoid").loss("binary_cross_entropy").seed(1).build();
        Path file = dir.resolve("r.nnkit");
        ModelFile.save(regressionNet, regression, file);
        Pipeline back = ModelFile.load(file, REGISTRY).pipeline().orElseThrow();
        assertEquals(regression, back);
        assertArrayEquals(mean, back.standardizer().orElseThrow().mean(), 0.0);
        assertArrayEquals(deviation, back.standardizer().orElseThrow().deviation(), 0.0);
    }

    @Test
    void aPipelineThatDoesNotFitTheNetworkIsRefusedAtSave() throws IOException {
        Network net = dev.nnkit.GoldenFilesAccess.version3Network();
        Pipeline three = Pipeline.classification(List.of("a", "b"), null, "c", List.of("x", "y", "z"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.save(net, three, dir.resolve("m.nnkit")));
        assertTrue(e.getMessage().contains("1 outputs") && e.getMessage().contains("3 classes"), e.getMessage());
        Pipeline wide = Pipeline.regression(List.of("a", "b", "c"), null, List.of("y"));
        e = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(net, wide, dir.resolve("m.nnkit")));
        assertTrue(e.getMessage().contains("takes 2 features"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("m.nnkit")));
    }

    @Test
    void aDamagedPipelineIsRefusedWithItsOffset() throws Exception {
        byte[] bytes = Files.readAllBytes(resource("golden-v3.nnkit"));
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"classification\"");
        byte[] damaged = bytes.clone();
        byte[] replacement = "\"classificatioX\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(replacement, 0, damaged, at, replacement.length);
        DataFileException e = assertThrows(DataFileException.class,
                () -> ModelFile.read(new ModelFixtures.BytesChannel(ModelFixtures.reseal(damaged)), "m.nnkit", REGISTRY));
        assertTrue(e.getMessage().startsWith("m.nnkit: at byte ") && e.getMessage().contains("the pipeline")
                && e.getMessage().contains("classificatioX"), e.getMessage());

        // a pipeline whose standardizer has a zero deviation
        int dev = text.indexOf("2.0,0.25");
        e = assertThrows(DataFileException.class,
                () -> ModelFile.read(new ModelFixtures.BytesChannel(ModelFixtures.reseal(damaged2(bytes, dev))), "m.nnkit", REGISTRY));
        assertTrue(e.getMessage().contains("deviation of feature 0 is 0.0"), e.getMessage());
    }

    private static byte[] damaged2(byte[] bytes, int at) {
        byte[] out = bytes.clone();
        System.arraycopy("0.0,0.25".getBytes(StandardCharsets.US_ASCII), 0, out, at, 8);
        return out;
    }

    @Test
    void aVersion2FileWithThePipelineFlagIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(resource("golden-v2.nnkit"));
        byte[] damaged = bytes.clone();
        ByteBuffer.wrap(damaged).order(ByteOrder.LITTLE_ENDIAN).putInt(12, intAt(bytes, 12) | 2);
        DataFileException e = assertThrows(DataFileException.class,
                () -> ModelFile.read(new ModelFixtures.BytesChannel(ModelFixtures.reseal(damaged)), "m.nnkit", REGISTRY));
        assertTrue(e.getMessage().contains("flags 0x3") && e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void aFailedSaveNamesTheUsersPathAndTheReason() throws IOException {
        Network net = dev.nnkit.GoldenFilesAccess.version3Network();
        Path missing = dir.resolve("no-such-folder").resolve("m.nnkit");
        java.nio.file.FileSystemException e = assertThrows(java.nio.file.FileSystemException.class, () -> ModelFile.save(net, missing));
        assertEquals(missing.toString(), e.getFile());
        assertTrue(e.getMessage().contains("cannot write the model file: the folder " + missing.getParent().toAbsolutePath()
                + " does not exist"), e.getMessage());
        Path folder = Files.createDirectory(dir.resolve("a-folder.nnkit"));
        e = assertThrows(java.nio.file.FileSystemException.class, () -> ModelFile.save(net, folder));
        assertTrue(e.getMessage().endsWith("cannot write the model file: it is a folder"), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(folder), files.toList(), "no temporary file is left");
        }
    }
}
