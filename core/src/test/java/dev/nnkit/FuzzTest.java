package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnkit.io.DataFileException;
import dev.nnkit.io.ModelFile;
import dev.nnkit.io.ModelFileFixtures;
import dev.nnkit.io.NetworkConfigs;
import dev.nnkit.io.formats.CsvReader;
import dev.nnkit.io.formats.IdxReader;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.training.TrainingState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of every reader of untrusted input: the model-file reader (raw, and with
 * the checksum recomputed so that the mutations reach the structure, the config and the values),
 * the JSON config reader, the spec-string parser with the registry, and the IDX and CSV readers.
 * Each target starts from valid inputs and applies random bit flips, byte changes, insertions,
 * deletions, truncations, duplicated chunks, interesting integers and dictionary tokens; the only
 * exceptions allowed to escape are the documented ones ({@link DataFileException},
 * {@link PluginException}, and {@link IllegalArgumentException} from building a network).
 *
 * <p>Bounded by default ({@value #DEFAULT_ITERATIONS} cases per target, at most
 * {@value #DEFAULT_SECONDS} s each); a longer session (see RELIABILITY.md):
 * {@code mvn -o -pl core test -Dtest=FuzzTest -Dnnkit.fuzz.iterations=2000000 -Dnnkit.fuzz.seconds=600 -Dnnkit.fuzz.seed=7}.
 * A failure names the target, the seed, the case number and the input in Base64.
 */
class FuzzTest {

    static final int DEFAULT_ITERATIONS = 2000;
    static final int DEFAULT_SECONDS = 20;
    private static final long SEED = Long.getLong("nnkit.fuzz.seed", 20_251_123L);
    private static final int ITERATIONS = Integer.getInteger("nnkit.fuzz.iterations", DEFAULT_ITERATIONS);
    private static final long NANOS = TimeUnit.SECONDS.toNanos(Long.getLong("nnkit.fuzz.seconds", DEFAULT_SECONDS));

    @TempDir
    Path dir;

    /** What one input is fed to; throws whatever the code under test throws. */
    @FunctionalInterface
    interface Target {
        void accept(byte[] input) throws Exception;
    }

    private static final byte[][] INTERESTING_INTS = ints(0, 1, -1, 2, 7, 8, 255, 256, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
            0x7FFFFFFF, 0x80000000, 0x3FFFFFFF, 1 << 20, (1 << 20) + 1, 1 << 16, 100_000_000);

    private static byte[][] ints(int... values) {
        byte[][] out = new byte[values.length * 2][];
        for (int k = 0; k < values.length; k++) {
            out[2 * k] = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(values[k]).array();
            out[2 * k + 1] = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(values[k]).array();
        }
        return out;
    }

    private static byte[][] tokens(String... texts) {
        byte[][] out = new byte[texts.length][];
        for (int k = 0; k < texts.length; k++) {
            out[k] = texts[k].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static final byte[][] JSON_TOKENS = tokens("{", "}", "[", "]", "\"", ",", ":", "null", "true", "false", "-0",
            "1e999", "-1", "0", "4294967296", "99999999999999999999", "1.5", "\"layers\"", "\"training\"", "\"seed\"",
            "\"regularizers\"", "\\u0000", "\\ud800", "\\", "/*", "//", "\n", "\u00e9", "\ud83d\ude00", "dense(units=",
            "(", ")", "=", ",", "sigmoid", "adam(learning_rate=1e-300)", "units=2147483647", "[[[[[[[[[[[[", "{\"a\":{\"b\":");
    private static final byte[][] SPEC_TOKENS = tokens("(", ")", "=", ",", " ", "\t", ".", "+", "-", "e", "E", "1e999", "NaN",
            "Infinity", "0x10", "_", "\u00e9", "\u0130", "\u212a", "dense", "units", "alpha", "learning_rate", "beta1", "std",
            "factor", "true", "2147483648", "-0", "\u0000");
    private static final byte[][] CSV_TOKENS = tokens(",", ";", "\"", "\"\"", "\n", "\r\n", "\r", "\ufeff", "NaN", "Infinity",
            "1e999", "-0", "0x1", "label", "class", " ", "1,2,3\n", "a,b\n", "\u00e9");

    private static byte[] mutate(byte[] input, Random r, byte[][] dictionary) {
        byte[] out = input;
        int changes = 1 + r.nextInt(r.nextInt(4) == 0 ? 16 : 3);
        for (int c = 0; c < changes; c++) {
            int n = out.length;
            switch (r.nextInt(9)) {
                case 0 -> {
                    if (n > 0) {
                        out = out.clone();
                        out[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> {
                    if (n > 0) {
                        out = out.clone();
                        out[r.nextInt(n)] = (byte) r.nextInt(256);
                    }
                }
                case 2 -> {
                    byte[] inserted = new byte[1 + r.nextInt(8)];
                    r.nextBytes(inserted);
                    out = insert(out, r.nextInt(n + 1), inserted);
                }
                case 3 -> {
                    if (n > 0) {
                        int from = r.nextInt(n);
                        int to = Math.min(n, from + 1 + r.nextInt(Math.max(1, Math.min(64, n - from))));
                        out = concat(Arrays.copyOf(out, from), Arrays.copyOfRange(out, to, n));
                    }
                }
                case 4 -> out = Arrays.copyOf(out, r.nextInt(n + 1));
                case 5 -> {
                    byte[] value = INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)];
                    if (n >= 4) {
                        out = out.clone();
                        System.arraycopy(value, 0, out, r.nextInt(n - 3), 4);
                    }
                }
                case 6, 7 -> out = insert(out, r.nextInt(n + 1), dictionary[r.nextInt(dictionary.length)]);
                default -> {
                    if (n > 1) {
                        int from = r.nextInt(n);
                        int length = 1 + r.nextInt(Math.min(32, n - from));
                        out = insert(out, r.nextInt(n + 1), Arrays.copyOfRange(out, from, from + length));
                    }
                }
            }
            if (out.length > 1 << 20) {
                out = Arrays.copyOf(out, 1 << 20);
            }
        }
        return out;
    }

    private static byte[] insert(byte[] into, int at, byte[] what) {
        byte[] out = new byte[into.length + what.length];
        System.arraycopy(into, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(into, at, out, at + what.length, into.length - at);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Runs a target on mutations of the seeds; inputs that pass become seeds too (a little corpus).
     *
     * @return the number of inputs the target accepted without an exception
     */
    private static int fuzz(String name, List<byte[]> seeds, byte[][] dictionary, Target target,
                            List<Class<? extends Throwable>> allowed) {
        Random random = new Random(SEED ^ name.hashCode());
        List<byte[]> corpus = new ArrayList<>(seeds);
        long deadline = System.nanoTime() + NANOS;
        int accepted = 0;
        for (int i = 0; i < ITERATIONS && System.nanoTime() < deadline; i++) {
            byte[] input = mutate(corpus.get(random.nextInt(corpus.size())), random, dictionary);
            try {
                target.accept(input);
                accepted++;
                if (corpus.size() < 256) {
                    corpus.add(input);
                }
            } catch (Throwable t) {
                if (allowed.stream().noneMatch(type -> type.isInstance(t))) {
                    throw new AssertionError(name + ": case " + i + " (seed " + SEED + ") threw " + t + "; input (Base64): "
                            + Base64.getEncoder().encodeToString(input), t);
                }
                if (t.getMessage() == null || t.getMessage().isBlank()) {
                    fail(name + ": case " + i + " threw " + t.getClass().getName() + " without a message");
                }
            }
        }
        return accepted;
    }

    private static final List<Class<? extends Throwable>> FILE_ERRORS = List.of(DataFileException.class, PluginException.class);

    private static List<byte[]> modelSeeds(Path dir) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        Network small = ModelFixtures.small(3);
        seeds.add(ModelFixtures.bytesOf(small, null, dir));
        TrainingState state = new TrainingState(new Hyperparameters("adam(learning_rate=0.01)", 5, 2, 1, true), 2, 4,
                List.of(new double[6], new double[3], new double[3], new double[1],
                        new double[6], new double[3], new double[3], new double[1]));
        seeds.add(ModelFixtures.bytesOf(small, state, dir));
        Network linear = Network.builder(1).registry(ModelFixtures.registry()).dense(1, "test_scaled(factor=2)")
                .initializer("test_gaussian").loss("mean_squared_error").seed(1).build();
        seeds.add(ModelFixtures.bytesOf(linear, new TrainingState(new Hyperparameters("sgd(learning_rate=0.1)", 3, 0, 1, false),
                1, 1, List.of()), dir));
        return seeds;
    }

    private static void predictAfterLoading(ModelFile.Contents contents) {
        Network net = contents.network();
        DMatrixRMaj y = net.predict(new DMatrixRMaj(net.units(0), 2));
        assertEquals(net.units(net.depth()), y.numRows);
    }

    @Test
    void modelFileReaderRefusesMutatedFilesWithItsOwnExceptionsOnly() throws IOException {
        int accepted = fuzz("model file", modelSeeds(dir), INTERESTING_INTS,
                input -> predictAfterLoading(ModelFileFixtures.read(input)), FILE_ERRORS);
        // the checksum catches every mutation but the rare one that changes nothing
        assertTrue(accepted < ITERATIONS / 20, accepted + " mutated files were accepted");
    }

    @Test
    void modelFileReaderRefusesResealedMutationsWithItsOwnExceptionsOnly() throws IOException {
        // the checksum is recomputed after each mutation, so the structure, the config and the values are what is tested
        fuzz("resealed model file", modelSeeds(dir), concat2(INTERESTING_INTS, JSON_TOKENS), input -> {
            if (input.length >= 32) {
                predictAfterLoading(ModelFileFixtures.read(ModelFixtures.reseal(input)));
            } else {
                ModelFileFixtures.read(input);
            }
        }, FILE_ERRORS);
    }

    private static byte[][] concat2(byte[][] a, byte[][] b) {
        byte[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void jsonConfigReaderRefusesMutatedDocumentsWithItsOwnExceptionsOnly() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(NetworkConfigsTest.VALID.getBytes(StandardCharsets.UTF_8));
        seeds.add(NetworkConfigs.toJson(ModelFixtures.medium(1).config(), Hyperparameters.defaults()).getBytes(StandardCharsets.UTF_8));
        seeds.add(NetworkConfigs.toJson(ModelFixtures.small(1).config()).getBytes(StandardCharsets.UTF_8));
        fuzz("JSON config", seeds, JSON_TOKENS, input -> {
            NetworkConfigs.Document doc = NetworkConfigs.fromJson(new StringReader(new String(input, StandardCharsets.UTF_8)),
                    "fuzz.json", ModelFixtures.registry());
            // build the network when it is small enough to build in a test
            long weights = 0;
            long previous = doc.network().inputSize();
            for (LayerConfig layer : doc.network().layers()) {
                long units = ModelFixtures.registry().create(Layer.class, layer.layer()).outputSize((int) previous);
                weights += units * previous;
                previous = units;
            }
            if (weights <= 1_000_000) {
                try {
                    Network.fromConfig(doc.network(), ModelFixtures.registry());
                } catch (IllegalArgumentException e) {
                    assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), e.toString());
                }
            }
        }, FILE_ERRORS);
    }

    @Test
    void specStringsAreParsedOrRefusedWithAPluginException() {
        List<byte[]> seeds = new ArrayList<>();
        for (String spec : List.of("dense(units=4)", "adam(learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8)",
                "test_gaussian(std=0.5)", "test_scaled(factor=-2.5)", "sigmoid", "sgd(learning_rate=0.1, momentum=0.9)",
                "test_l2(lambda=0.7)", "binary_cross_entropy()")) {
            seeds.add(spec.getBytes(StandardCharsets.UTF_8));
        }
        List<Class<?>> kinds = List.of(Activation.class, Initializer.class, Regularizer.class, Layer.class, Loss.class, Optimizer.class);
        fuzz("spec string", seeds, SPEC_TOKENS, input -> {
            String text = new String(input, StandardCharsets.UTF_8);
            PluginSpec spec = PluginSpec.parse(text);
            // the canonical form parses back to the same spec
            assertEquals(spec, PluginSpec.parse(spec.toString()), "canonical form of " + text);
            for (Class<?> kind : kinds) {
                try {
                    Object plugin = ModelFixtures.registry().create(kind, text);
                    assertEquals(plugin.toString(), ModelFixtures.registry().create(kind, plugin.toString()).toString());
                } catch (PluginException e) {
                    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                }
            }
        }, List.of(PluginException.class));
    }

    private static byte[] idx(int type, int[] dims, byte[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(values).array();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void idxReaderRefusesMutatedFilesWithDataFileExceptionsOnly() throws IOException {
        byte[] images = idx(0x08, new int[] {3, 2, 2}, new byte[] {0, 10, (byte) 200, (byte) 255, 1, 2, 3, 4, 5, 6, 7, 8});
        byte[] labels = idx(0x08, new int[] {3}, new byte[] {0, 9, 4});
        ByteBuffer doubles = ByteBuffer.allocate(4 * 8);
        for (double v : new double[] {0.5, -1, 2e-3, 7}) {
            doubles.putDouble(v);
        }
        byte[] floats = idx(0x0E, new int[] {2, 2}, doubles.array());
        List<byte[]> seeds = List.of(images, labels, floats, gzip(images), gzip(labels));
        Path labelsFile = dir.resolve("labels.idx");
        Files.write(labelsFile, labels);
        // a new file for each case: rewriting one file costs milliseconds on ext4, which flushes a
        // file truncated and rewritten in place
        int[] count = {0};
        fuzz("IDX", seeds, INTERESTING_INTS, input -> {
            Path imagesFile = dir.resolve("images-" + count[0]++ + ".idx");
            Files.write(imagesFile, input);
            try {
                IdxReader.defaults().read(imagesFile, 0);
                try {
                    IdxReader.defaults().dataset(imagesFile, labelsFile, 10, 0);
                } catch (DataFileException e) {
                    assertTrue(!e.getMessage().isBlank());
                }
                IdxReader.defaults().oneHot(imagesFile, 10, 2);
            } finally {
                Files.delete(imagesFile);
            }
        }, List.of(DataFileException.class));
    }

    @Test
    void csvReaderRefusesMutatedFilesWithDataFileExceptionsOnly() {
        List<byte[]> seeds = List.of(
                "x1,x2,label\n0.5,-1,1\n2,3e-2,0\n".getBytes(StandardCharsets.UTF_8),
                "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n".getBytes(StandardCharsets.UTF_8),
                "1,2,0\r\n3,4,1\r\n\r\n\"5\",\"6\",\"1\"\n".getBytes(StandardCharsets.UTF_8));
        fuzz("CSV", seeds, CSV_TOKENS,
                input -> CsvReader.defaults().read(new StringReader(new String(input, StandardCharsets.UTF_8)), "fuzz.csv"),
                List.of(DataFileException.class));
    }
}
