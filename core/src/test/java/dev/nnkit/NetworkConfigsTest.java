package dev.nnkit;

import dev.nnkit.io.DataFileException;
import dev.nnkit.io.NetworkConfigs;
import dev.nnkit.spi.PluginException;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class NetworkConfigsTest {

    /** A valid document, one field per line so that error positions are easy to read. */
    static final String VALID = """
            {
              "format": "nnkit-network",
              "version": 1,
              "input_size": 2,
              "layers": [
                {"layer": "dense(units=3)", "activation": "sigmoid", "initializer": "test_gaussian(std=0.8)",
                 "regularizers": ["test_l2(lambda=0.01)"]},
                {"layer": "dense(units=1)", "activation": "sigmoid", "initializer": "test_gaussian(std=0.8)"}
              ],
              "loss": "binary_cross_entropy",
              "seed": 1,
              "training": {"optimizer": "adam(learning_rate=0.01)", "epochs": 20, "batch_size": 8, "seed": 5, "shuffle": true}
            }
            """;

    static NetworkConfigs.Document parse(String json) throws IOException {
        return NetworkConfigs.fromJson(new StringReader(json), "net.json", ModelFixtures.registry());
    }

    @Test
    void aWrittenConfigReadsBackEqual() throws IOException {
        NetworkConfig config = ModelFixtures.small(9).config();
        Hyperparameters hp = new Hyperparameters("adam(learning_rate=0.01)", 20, 8, -5L, false);
        NetworkConfigs.Document back = parse(NetworkConfigs.toJson(config, hp));
        assertEquals(config, back.network());
        assertEquals(Optional.of(hp), back.training());
        NetworkConfigs.Document noTraining = parse(NetworkConfigs.toJson(config));
        assertEquals(config, noTraining.network());
        assertFalse(noTraining.training().isPresent());
        assertEquals(Long.MIN_VALUE, parse(NetworkConfigs.toJson(new NetworkConfig(2, config.layers(), config.loss(),
                Long.MIN_VALUE))).network().seed());
    }

    @Test
    void theWrittenTextIsTheDocumentedLayout() {
        NetworkConfig config = ModelFixtures.small(1).config();
        assertEquals("""
                {
                  "format" : "nnkit-network",
                  "version" : 1,
                  "input_size" : 2,
                  "layers" : [ {
                    "layer" : "dense(units=3)",
                    "activation" : "sigmoid",
                    "initializer" : "test_gaussian(std=0.8)",
                    "regularizers" : [ "test_l2(lambda=0.01)" ]
                  }, {
                    "layer" : "dense(units=1)",
                    "activation" : "sigmoid",
                    "initializer" : "test_gaussian(std=0.8)",
                    "regularizers" : [ ]
                  } ],
                  "loss" : "binary_cross_entropy",
                  "seed" : 1,
                  "training" : {
                    "optimizer" : "sgd(learning_rate=0.01)",
                    "schedule" : "constant",
                    "epochs" : 100,
                    "batch_size" : 0,
                    "seed" : 42,
                    "shuffle" : true
                  }
                }
                """, NetworkConfigs.toJson(config, Hyperparameters.defaults()));
    }

    @Test
    void aHandWrittenDocumentBuildsTheNetworkItDescribes() throws IOException {
        NetworkConfigs.Document doc = parse(VALID);
        assertEquals(ModelFixtures.small(1).config(), doc.network());
        assertEquals(new Hyperparameters("adam(learning_rate=0.01)", 20, 8, 5, true), doc.training().orElseThrow());
        Network net = Network.fromConfig(doc.network(), ModelFixtures.registry());
        assertEquals("2-3(sigmoid)-1(sigmoid), binary_cross_entropy", net.toString());
        // absent regularizers mean none
        assertEquals(List.of(), doc.network().layers().get(1).regularizers());
    }

    @Test
    void theScheduleIsWrittenAndReadBackAndADocumentWithoutOneMeansConstant() throws IOException {
        NetworkConfig config = ModelFixtures.small(9).config();
        Hyperparameters hp = new Hyperparameters("adam(learning_rate=0.01)", "warmup(steps=5, then=cosine(epochs=20))", 20, 8,
                5L, true);
        String json = NetworkConfigs.toJson(config, hp);
        assertTrue(json.contains("\"schedule\" : \"warmup(steps=5, then=cosine(epochs=20))\","), json);
        assertEquals(Optional.of(hp), parse(json).training());
        // VALID, like every document written before schedules, has no "schedule": the constant rate
        assertEquals("constant", parse(VALID).training().orElseThrow().schedule());
        assertEquals(new Hyperparameters("adam(learning_rate=0.01)", "constant", 20, 8, 5, true),
                parse(VALID).training().orElseThrow());
    }

    @Test
    void theDtypeIsWrittenOnlyForFloat32AndReadBack() throws IOException {
        NetworkConfig f64 = ModelFixtures.small(9).config();
        assertFalse(NetworkConfigs.toJson(f64).contains("dtype"), "a float64 document is as it was before dtypes");
        NetworkConfig f32 = f64.withDtype(Dtype.FLOAT32);
        String json = NetworkConfigs.toJson(f32);
        assertTrue(json.contains("\"dtype\" : \"float32\""), json);
        assertEquals(f32, parse(json).network());
        assertEquals(Dtype.FLOAT64, parse(VALID).network().dtype(), "absent means float64");
        String bad = json.replace("\"float32\"", "\"float16\"");
        DataFileException e = assertThrows(DataFileException.class, () -> parse(bad));
        assertTrue(e.getMessage().contains("\"dtype\" is \"float16\"; use \"float64\" (the default) or \"float32\""),
                e.getMessage());
    }

    @Test
    void readsFilesAndRefusesInvalidUtf8(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("net.json");
        Files.writeString(good, VALID);
        assertEquals(1, NetworkConfigs.read(good, ModelFixtures.registry()).network().seed());
        Path bad = dir.resolve("bad.json");
        byte[] bytes = VALID.replace("nnkit-network", "nnkit-netw\u00e9rk").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(bad, bytes);
        DataFileException e = assertThrows(DataFileException.class, () -> NetworkConfigs.read(bad, ModelFixtures.registry()));
        assertEquals(bad + ": the file is not valid UTF-8 text (java.nio.charset.MalformedInputException: Input length = 1)",
                e.getMessage());
    }

    @Test
    void theDefaultRegistryEntryPointReadsAndNamesTheSourceConfig() throws IOException {
        String json = VALID.replace("\"test_l2(lambda=0.01)\"", "");
        assertEquals(2, NetworkConfigs.fromJson(json).network().layers().size());
        DataFileException e = assertThrows(DataFileException.class, () -> NetworkConfigs.fromJson("[]"));
        assertEquals("config", e.file());
        assertEquals(1, e.line());
    }

    @Test
    void unresolvedDefaultsCannotBeWritten() {
        NetworkConfig config = new NetworkConfig(2, List.of(LayerConfig.dense(1)), "mean_squared_error", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkConfigs.toJson(config));
        assertEquals("layer 1 (dense(units=1)) has no activation; a config written as JSON has every network default"
                + " resolved: take it from Network.Builder.config() or Network.config()", e.getMessage());
    }

    /** Each malformed document and the exact message it gets (the table of RELIABILITY.md). */
    static List<String[]> malformed() {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"", "net.json: the document is empty; expected a JSON object {\"format\": \"nnkit-network\", ...}"});
        cases.add(new String[] {"[1, 2]", "net.json: line 1, column 1: the document is an array; expected a JSON object {\"format\": \"nnkit-network\", ...}"});
        cases.add(new String[] {VALID.replace("\"seed\": 1,", "\"seed\": 1,,"),
            "net.json: line 11, column 13: malformed JSON: Unexpected character (',' (code 44)): was expecting double-quote to start field name"});
        cases.add(new String[] {VALID.substring(0, 200),
            "net.json: line 7, column 23: malformed JSON: Unexpected end-of-input: expected close marker for Array (start marker at line 7, column 22)"});
        cases.add(new String[] {VALID + "{}", "net.json: line 14, column 1: unexpected an object after the end of the document; a config is one JSON object"});
        cases.add(new String[] {VALID + "x", "net.json: line 14, column 2: malformed JSON: Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"});
        cases.add(new String[] {VALID.replace("\"version\": 1,", "\"version\": 1, // the version\n"),
            "net.json: line 3, column 17: malformed JSON: Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)"});
        cases.add(new String[] {VALID.replace("\"seed\": 1,", "\"seed\": 1, \"loss\": \"mean_squared_error\","),
            "net.json: line 11, column 20: malformed JSON: Duplicate field 'loss'"});
        cases.add(new String[] {VALID.replace("\"seed\": 1,", "\"sede\": 1,"),
            "net.json: line 11, column 3: unknown field \"sede\" in the document; did you mean \"seed\"?; the fields are format, version, input_size, layers, loss, seed, random, dtype, training"});
        cases.add(new String[] {VALID.replace("\"activation\": \"sigmoid\", \"initializer\": \"test_gaussian(std=0.8)\"}",
                "\"activation\": \"sigmoid\", \"initializer\": \"test_gaussian(std=0.8)\", \"units\": 1}"),
            "net.json: line 8, column 99: unknown field \"units\" in layer 2; the fields are layer, activation, initializer, regularizers"});
        cases.add(new String[] {VALID.replace("\"seed\": 1,", ""),
            "net.json: line 1, column 1: missing \"seed\" in the document (the object starting here); add e.g. \"seed\": 1"});
        cases.add(new String[] {VALID.replace("\"activation\": \"sigmoid\", \"initializer\": \"test_gaussian(std=0.8)\"}", "\"activation\": \"sigmoid\"}"),
            "net.json: line 8, column 5: missing \"initializer\" in layer 2 (the object starting here); add e.g. \"initializer\": \"he_normal\""});
        cases.add(new String[] {VALID.replace("\"epochs\": 20, ", ""),
            "net.json: line 12, column 15: missing \"epochs\" in \"training\" (the object starting here); add e.g. \"epochs\": 100"});
        cases.add(new String[] {VALID.replace("\"input_size\": 2", "\"input_size\": \"2\""),
            "net.json: line 4, column 17: input_size is the string \"2\"; expected a whole number"});
        cases.add(new String[] {VALID.replace("\"input_size\": 2", "\"input_size\": 2.5"),
            "net.json: line 4, column 17: input_size is 2.5; expected a whole number"});
        cases.add(new String[] {VALID.replace("\"input_size\": 2", "\"input_size\": 0"),
            "net.json: line 4, column 17: input_size is 0; it must be >= 1"});
        cases.add(new String[] {VALID.replace("\"input_size\": 2", "\"input_size\": 4294967296"),
            "net.json: line 4, column 17: input_size is 4294967296; it must be >= 1"});
        cases.add(new String[] {VALID.replace("\"seed\": 1,", "\"seed\": 99999999999999999999,"),
            "net.json: line 11, column 11: seed is 99999999999999999999; it must fit in a 64-bit signed integer"});
        cases.add(new String[] {VALID.replace("\"seed\": 1,", "\"seed\": null,"),
            "net.json: line 11, column 11: seed is null; expected a whole number"});
        cases.add(new String[] {VALID.replace("\"format\": \"nnkit-network\"", "\"format\": \"keras\""),
            "net.json: line 2, column 13: \"format\" is \"keras\"; an nnkit network config has \"format\": \"nnkit-network\""});
        cases.add(new String[] {VALID.replace("\"version\": 1", "\"version\": 2"),
            "net.json: line 3, column 14: \"version\" is 2, newer than this nnkit reads (1); upgrade nnkit to read it"});
        cases.add(new String[] {VALID.replace("\"version\": 1", "\"version\": 0"),
            "net.json: line 3, column 14: \"version\" is 0; the versions are 1 and up; this nnkit reads 1"});
        cases.add(new String[] {VALID.replaceAll("(?s)\"layers\": \\[.*?\\n  \\],", "\"layers\": [],"),
            "net.json: line 5, column 13: \"layers\" is empty; a network needs at least one layer (the output layer), e.g. [{\"layer\": \"dense(units=1)\", \"activation\": \"sigmoid\", \"initializer\": \"he_normal\"}]"});
        cases.add(new String[] {VALID.replace("\"layers\": [", "\"layers\": [[[[[[[[[[").replace("\n  ],", "]]]]]]]]]]\n  ],"),
            "net.json: line 5, column 14: layer 1 is an array; expected an object {\"layer\": \"dense(units=4)\", \"activation\": ..., ...}"});
        cases.add(new String[] {VALID.replace("\"regularizers\": [\"test_l2(lambda=0.01)\"]", "\"regularizers\": \"test_l2(lambda=0.01)\""),
            "net.json: line 7, column 22: layer 1 \"regularizers\" is the string \"test_l2(lambda=0.01)\"; expected an array of spec strings, e.g. [\"l2(lambda=0.7)\"]"});
        cases.add(new String[] {VALID.replace("\"regularizers\": [\"test_l2(lambda=0.01)\"]", "\"regularizers\": [0.7]"),
            "net.json: line 7, column 23: layer 1 regularizer 1 is the number 0.7; expected a spec string such as \"l2(lambda=0.7)\""});
        cases.add(new String[] {VALID.replace("\"activation\": \"sigmoid\", \"initializer\": \"test_gaussian(std=0.8)\"}", "\"activation\": \" \", \"initializer\": \"test_gaussian(std=0.8)\"}"),
            "net.json: line 8, column 47: layer 2 activation is blank; expected a spec string such as tanh"});
        cases.add(new String[] {VALID.replace("\"layer\": \"dense(units=3)\"", "\"layer\": \"dense(units=100000)\"")
                .replace("\"input_size\": 2", "\"input_size\": 100000"),
            "net.json: line 5, column 3: layer 1 (dense(units=100000)) on an input of 100000 would have 100000 x 100000 = 10000000000 weights, more than a Java array holds (2147483639)"});
        cases.add(new String[] {VALID.replace("\"shuffle\": true", "\"shuffle\": \"yes\""),
            "net.json: line 12, column 110: training \"shuffle\" is the string \"yes\"; expected true or false"});
        cases.add(new String[] {VALID.replace("\"epochs\": 20", "\"epochs\": 0"),
            "net.json: line 12, column 67: training \"epochs\" is 0; it must be >= 1"});
        cases.add(new String[] {VALID.replace("\"batch_size\": 8", "\"batch_size\": -1"),
            "net.json: line 12, column 85: training \"batch_size\" is -1; it must be >= 0 (0 for full batch)"});
        cases.add(new String[] {VALID.replace("\"training\": {", "\"training\": {\"learning_rate\": 0.1, "),
            "net.json: line 12, column 16: unknown field \"learning_rate\" in \"training\"; the fields are optimizer, schedule, epochs, batch_size, seed, shuffle"});
        cases.add(new String[] {VALID.replace("\"binary_cross_entropy\"", "\"" + "a".repeat(20_000) + "\""),
            "net.json: line 10, column 17398: malformed JSON: String value length (17385) exceeds the maximum allowed (10000, from `StreamReadConstraints.getMaxStringLength()`)"});
        return cases;
    }

    @Test
    void malformedDocumentsAreRefusedWithTheirPosition() {
        List<Executable> checks = new ArrayList<>();
        for (String[] c : malformed()) {
            checks.add(() -> assertEquals(c[1], assertThrows(DataFileException.class, () -> parse(c[0]),
                    "no error for " + c[1]).getMessage()));
        }
        assertAll(checks);
    }

    @Test
    void errorsCarryTheirPositionForPrograms() {
        DataFileException e = assertThrows(DataFileException.class, () -> parse(VALID.replace("\"seed\": 1,", "\"sede\": 1,")));
        assertEquals("net.json", e.file());
        assertEquals(11, e.line());
        assertEquals(-1, e.offset());
        assertTrue(e.problem().startsWith("unknown field \"sede\""), e.problem());
    }

    /** Spec strings naming unknown plugins or arguments: the registry's own message, with the position. */
    static List<String[]> badPlugins() {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {VALID.replace("\"activation\": \"sigmoid\", \"initializer\": \"test_gaussian(std=0.8)\"}",
                "\"activation\": \"sigmoidd\", \"initializer\": \"test_gaussian(std=0.8)\"}"),
            "net.json: line 8, column 47: layer 2 activation: unknown activation 'sigmoidd'; did you mean 'sigmoid'?; known activation names: sigmoid, test_scaled"});
        cases.add(new String[] {VALID.replace("\"loss\": \"binary_cross_entropy\"", "\"loss\": \"focal\""),
            "net.json: line 10, column 11: loss: unknown loss 'focal'; known loss names: binary_cross_entropy, mean_squared_error, softmax_cross_entropy"});
        cases.add(new String[] {VALID.replace("adam(learning_rate=0.01)", "adam(learning_rate=-1)"),
            "net.json: line 12, column 29: training optimizer: adam: learning_rate=-1.0 is invalid; learning_rate must be > 0, e.g. learning_rate=0.01"});
        cases.add(new String[] {VALID.replace("adam(learning_rate=0.01)", "adam(lr=0.01)"),
            "net.json: line 12, column 29: training optimizer: adam: unknown argument 'lr'; it accepts learning_rate, beta1, beta2, epsilon"});
        cases.add(new String[] {VALID.replace("\"layer\": \"dense(units=3)\"", "\"layer\": \"dense(units=3\""),
            "net.json: line 6, column 15: layer 1 layer: cannot parse spec string \"dense(units=3\": unbalanced parentheses: the '(' is never closed (1 more '(' than ')') at position 5; expected name or name(key=value, ...), e.g. leaky_relu(alpha=0.2)"});
        cases.add(new String[] {VALID.replace("\"epochs\": 20", "\"schedule\": \"warmup(steps=5, then=cosin(epochs=3))\", \"epochs\": 20"),
            "net.json: line 12, column 69: training schedule: warmup: then=cosin(epochs=3): unknown schedule 'cosin'; did you mean 'cosine'?; known schedule names: constant, cosine, exponential, inverse_time, step_decay, warmup"});
        cases.add(new String[] {VALID.replace("test_l2(lambda=0.01)", "dropout(keep_prob=0.8)"),
            "net.json: line 7, column 23: layer 1 regularizer 1: unknown regularizer 'dropout'; known regularizer names: test_l2"});
        cases.add(new String[] {VALID.replace("\"layer\": \"dense(units=3)\"", "\"layer\": \"dense(units=0)\""),
            "net.json: line 6, column 15: layer 1 layer: dense: units=0 is invalid; units must be > 0"});
        return cases;
    }

    @Test
    void unknownPluginsAreRefusedWithTheRegistrysMessageAndThePosition() {
        List<Executable> checks = new ArrayList<>();
        for (String[] c : badPlugins()) {
            checks.add(() -> {
                PluginException e = assertThrows(PluginException.class, () -> parse(c[0]), "no error for " + c[1]);
                assertEquals(c[1], e.getMessage());
                assertInstanceOf(PluginException.class, e.getCause());
            });
        }
        assertAll(checks);
    }
}
