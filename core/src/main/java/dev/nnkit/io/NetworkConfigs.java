package dev.nnkit.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.nnkit.Dtype;
import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.internal.Access;
import dev.nnkit.internal.Checks;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.RandomSource;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.Schedule;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Network configs, and optionally their training settings, as JSON documents written with the
 * spec strings of the {@link PluginRegistry}. The same document is the header of a
 * {@link ModelFile model file}.
 *
 * <pre>{@code
 * {
 *   "format" : "nnkit-network",
 *   "version" : 1,
 *   "input_size" : 2,
 *   "layers" : [ {
 *     "layer" : "dense(units=4)",
 *     "activation" : "tanh",
 *     "initializer" : "xavier_normal",
 *     "regularizers" : [ "l2(lambda=0.7)" ]
 *   }, {
 *     "layer" : "dense(units=1)",
 *     "activation" : "sigmoid",
 *     "initializer" : "xavier_normal",
 *     "regularizers" : [ ]
 *   } ],
 *   "loss" : "binary_cross_entropy",
 *   "seed" : 1,
 *   "training" : {
 *     "optimizer" : "adam(learning_rate=0.001)",
 *     "schedule" : "step_decay(every=60, factor=0.1)",
 *     "epochs" : 100,
 *     "batch_size" : 32,
 *     "seed" : 42,
 *     "shuffle" : true
 *   }
 * }
 * }</pre>
 *
 * <p><b>Fields.</b> At the top: {@code format} (the string {@code nnkit-network}), {@code version}
 * ({@value #FORMAT_VERSION}), {@code input_size} (an integer {@code >= 1}), {@code layers} (1 to
 * {@value #MAX_LAYERS} layer objects, output layer last), {@code loss} (a loss spec), {@code seed}
 * (a 64-bit integer) are required; {@code random} (a {@link RandomSource} spec, e.g.
 * {@code "numpy_legacy"}) and {@code training} are optional: a document without {@code random}
 * draws its weights from the default source {@code splittable}, and a written document has the
 * field only when the source is not the default. {@code dtype} ({@code "float64"} or
 * {@code "float32"}, see {@link Dtype}) is optional in the same way: absent means float64, and a
 * written document has it only for a float32 network. A layer has {@code layer},
 * {@code activation} and {@code initializer} (spec strings, required) and {@code regularizers} (an
 * array of up to {@value #MAX_REGULARIZERS} spec strings, optional: absent means none). The
 * training section ({@link Hyperparameters}) has {@code optimizer} (a spec), {@code epochs}
 * ({@code >= 1}), {@code batch_size} ({@code >= 0}, 0 for full batch), {@code seed} and
 * {@code shuffle} (a boolean), all required, and {@code schedule} (a learning-rate schedule spec),
 * optional: a document without it (every document written before schedules existed) means
 * {@code constant}. Written documents always have it.
 *
 * <p><b>Strict reading.</b> Unknown fields (with the closest known one suggested), missing
 * required fields, values of the wrong JSON type, numbers out of range, duplicate keys, comments,
 * anything after the closing brace, nesting deeper than {@value #MAX_DEPTH}, strings longer than
 * {@value #MAX_STRING_LENGTH} characters and documents longer than {@value #MAX_DOCUMENT_LENGTH}
 * characters are refused with a {@link DataFileException} naming the source, the 1-based line and
 * column, the value and the rule. Every spec string is made into its plugin with the given
 * registry while reading, so a spec that does not parse, names a plugin that is not on the class
 * path, or has an unknown or invalid argument is refused with the registry's
 * {@link PluginException}, its message prefixed by the source, line, column and field. A layer
 * whose weight matrix {@code n[l] x n[l-1]} would not fit in a Java array is refused too; a
 * config from an untrusted source may still describe a large network, which
 * {@link Network#fromConfig} allocates. How the plugins fit together (e.g. the loss and the output
 * activation) is checked by {@link Network#fromConfig}.
 *
 * <p>Every method is thread-safe.
 */
public final class NetworkConfigs {

    /** The version of the JSON document this class writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The value of the {@code format} field. */
    public static final String FORMAT_NAME = "nnkit-network";
    /** The most layers a document may hold. */
    public static final int MAX_LAYERS = 10_000;
    /** The most regularizers one layer may list. */
    public static final int MAX_REGULARIZERS = 100;
    /** The deepest nesting of arrays and objects accepted (the schema needs 3). */
    public static final int MAX_DEPTH = 8;
    /** The longest string value or field name accepted, in characters. */
    public static final int MAX_STRING_LENGTH = 10_000;
    /** The longest document accepted, in characters. */
    public static final int MAX_DOCUMENT_LENGTH = 1 << 20;

    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;
    /** Jackson's "[Source: REDACTED (...); line: 7, column: 22]" inside a message, shortened to "line 7, column 22". */
    private static final Pattern SOURCE_REFERENCE = Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");
    private static final String SPEC_EXAMPLE = "; expected a spec string such as ";
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_STRING_LENGTH)
                    .maxNumberLength(100)
                    .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                    .build())
            .build();

    private NetworkConfigs() {
    }

    /**
     * A parsed document: the network and, when the document has a {@code training} section, the
     * training settings.
     *
     * @param network  the architecture, every layer's activation, initializer and regularizers set
     * @param training the training settings, or empty when the document has none
     */
    public record Document(NetworkConfig network, Optional<Hyperparameters> training) {

        /** Checks that both components are present ({@code training} may be empty). */
        public Document {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(training, "training");
        }
    }

    /** The config as a JSON document without a training section; see {@link #toJson(NetworkConfig, Hyperparameters)}. */
    public static String toJson(NetworkConfig config) {
        return toJson(config, null);
    }

    /**
     * The config and the training settings as a JSON document, pretty-printed, fields in the order
     * of the class documentation. A layer's {@code null} regularizer list is written as
     * {@code []} (both mean none when the network is built).
     *
     * @param training the training settings, or {@code null} for no training section
     * @throws IllegalArgumentException when a layer's activation or initializer is {@code null}
     *         (a network default not resolved: take the config from {@link Network.Builder#config()}
     *         or {@link Network#config()}), or the loss is not set
     */
    public static String toJson(NetworkConfig config, Hyperparameters training) {
        Objects.requireNonNull(config, "config");
        StringWriter out = new StringWriter();
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try (JsonGenerator g = JSON.createGenerator(out).setPrettyPrinter(pretty)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT_NAME);
            g.writeNumberField("version", FORMAT_VERSION);
            g.writeNumberField("input_size", config.inputSize());
            g.writeArrayFieldStart("layers");
            for (int l = 1; l <= config.layers().size(); l++) {
                LayerConfig layer = config.layers().get(l - 1);
                g.writeStartObject();
                g.writeStringField("layer", layer.layer());
                g.writeStringField("activation", resolved(layer.activation(), l, layer, "activation"));
                g.writeStringField("initializer", resolved(layer.initializer(), l, layer, "initializer"));
                g.writeArrayFieldStart("regularizers");
                for (String spec : layer.regularizers() == null ? List.<String>of() : layer.regularizers()) {
                    g.writeString(Objects.requireNonNull(spec, "regularizer spec"));
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (config.loss() == null) {
                throw new IllegalArgumentException("the config's loss is not set; give a spec such as binary_cross_entropy");
            }
            g.writeStringField("loss", config.loss());
            g.writeNumberField("seed", config.seed());
            if (!NetworkConfig.DEFAULT_RANDOM.equals(config.random())) {
                g.writeStringField("random", config.random()); // absent for the default: older documents stay byte-identical
            }
            if (config.dtype() != Dtype.FLOAT64) {
                g.writeStringField("dtype", config.dtype().spec()); // likewise absent for the default
            }
            if (training != null) {
                g.writeObjectFieldStart("training");
                g.writeStringField("optimizer", training.optimizer());
                g.writeStringField("schedule", training.schedule());
                g.writeNumberField("epochs", training.epochs());
                g.writeNumberField("batch_size", training.batchSize());
                g.writeNumberField("seed", training.seed());
                g.writeBooleanField("shuffle", training.shuffle());
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string failed", e);
        }
        return out.append('\n').toString();
    }

    private static String resolved(String spec, int l, LayerConfig layer, String what) {
        if (spec == null) {
            throw new IllegalArgumentException("layer " + l + " (" + layer.layer() + ") has no " + what
                    + "; a config written as JSON has every network default resolved: take it from"
                    + " Network.Builder.config() or Network.config()");
        }
        return spec;
    }

    /**
     * Reads a document, validating its spec strings with {@link PluginRegistry#defaults()}.
     *
     * @throws DataFileException when the JSON is malformed or breaks the schema; the source is
     *         called {@code config} in the message
     * @throws PluginException   when a spec string does not parse or names an unknown plugin or argument
     */
    public static Document fromJson(String json) throws DataFileException {
        try {
            return fromJson(new StringReader(Objects.requireNonNull(json, "json")), "config", PluginRegistry.defaults());
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a string failed", e);
        }
    }

    /**
     * Reads a document from a file (UTF-8), validating its spec strings with {@code registry}.
     *
     * @throws DataFileException when the JSON is malformed or breaks the schema
     * @throws PluginException   when a spec string does not parse or names an unknown plugin or argument
     * @throws IOException       when the file cannot be read
     */
    public static Document read(Path file, PluginRegistry registry) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return fromJson(in, file.toString(), registry);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw DataFileException.whole(file.toString(), "the file is not valid UTF-8 text (" + e + ")");
        }
    }

    /**
     * Reads a document, validating its spec strings with {@code registry}.
     *
     * @param json     the text; read to its end (one document, nothing after it). Not closed.
     * @param source   the name of the source in error messages, e.g. a file name
     * @param registry the plugins that spec strings must name
     * @throws DataFileException when the JSON is malformed or breaks the schema
     * @throws PluginException   when a spec string does not parse or names an unknown plugin or argument
     * @throws IOException       when {@code json} fails to read
     */
    public static Document fromJson(Reader json, String source, PluginRegistry registry) throws IOException {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(registry, "registry");
        try (JsonParser parser = JSON.createParser(json)) {
            try {
                return new DocumentReader(parser, source, registry).document();
            } catch (JsonProcessingException e) {
                throw malformed(e, parser, source);
            }
        }
    }

    private static DataFileException malformed(JsonProcessingException e, JsonParser parser, String source) {
        // a broken constraint (too long, too deep) comes without a location: take the parser's
        JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        String problem = "malformed JSON: " + SOURCE_REFERENCE.matcher(e.getOriginalMessage()).replaceAll("line $1, column $2");
        if (at == null || at.getLineNr() < 1) {
            return DataFileException.whole(source, problem);
        }
        return DataFileException.atLine(source, at.getLineNr(), Math.max(0, at.getColumnNr()), problem);
    }

    /** A recursive-descent reader of the one schema; every error names the field and its position. */
    private static final class DocumentReader {
        private static final Set<String> TOP = fields("format", "version", "input_size", "layers", "loss", "seed", "random", "dtype",
                "training");
        private static final Set<String> LAYER = fields("layer", "activation", "initializer", "regularizers");
        private static final Set<String> TRAINING = fields("optimizer", "schedule", "epochs", "batch_size", "seed", "shuffle");

        private final JsonParser p;
        private final String source;
        private final PluginRegistry registry;

        DocumentReader(JsonParser parser, String source, PluginRegistry registry) {
            this.p = parser;
            this.source = source;
            this.registry = registry;
        }

        private static Set<String> fields(String... names) {
            return new LinkedHashSet<>(List.of(names));
        }

        Document document() throws IOException {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw DataFileException.whole(source, "the document is empty; expected a JSON object {\"format\": \""
                        + FORMAT_NAME + "\", ...}");
            }
            JsonLocation start = p.currentTokenLocation();
            expect(first, JsonToken.START_OBJECT, "the document", "a JSON object {\"format\": \"" + FORMAT_NAME + "\", ...}");
            String format = null;
            Integer version = null;
            Integer inputSize = null;
            List<LayerConfig> layers = null;
            String loss = null;
            Long seed = null;
            String random = null; // absent: the default source
            Dtype dtype = null; // absent: float64
            Hyperparameters training = null;
            JsonLocation layersAt = null;
            for (String field = nextField(TOP, "the document"); field != null; field = nextField(TOP, "the document")) {
                switch (field) {
                    case "format" -> {
                        format = string("format");
                        if (!FORMAT_NAME.equals(format)) {
                            throw error("\"format\" is \"" + shorten(format) + "\"; an nnkit network config has \"format\": \""
                                    + FORMAT_NAME + "\"");
                        }
                    }
                    case "version" -> {
                        version = integer("version", 0, Integer.MAX_VALUE);
                        if (version != FORMAT_VERSION) {
                            throw error("\"version\" is " + version + (version > FORMAT_VERSION
                                    ? ", newer than this nnkit reads (" + FORMAT_VERSION + "); upgrade nnkit to read it"
                                    : "; the versions are 1 and up; this nnkit reads " + FORMAT_VERSION));
                        }
                    }
                    case "input_size" -> inputSize = integer("input_size", 1, Integer.MAX_VALUE);
                    case "layers" -> {
                        layersAt = p.currentTokenLocation();
                        layers = layers();
                    }
                    case "loss" -> {
                        loss = string("loss");
                        plugin(Loss.class, loss, "loss", "binary_cross_entropy");
                    }
                    case "seed" -> seed = longInteger("seed");
                    case "random" -> {
                        random = string("random");
                        plugin(RandomSource.class, random, "random source", "numpy_legacy");
                    }
                    case "dtype" -> {
                        String name = string("dtype");
                        try {
                            dtype = Dtype.parse(name);
                        } catch (IllegalArgumentException e) {
                            throw error("\"dtype\" is \"" + shorten(name) + "\"; use \"float64\" (the default) or \"float32\"");
                        }
                    }
                    case "training" -> training = training();
                    default -> throw new IllegalStateException(field);
                }
            }
            JsonToken after = p.nextToken();
            if (after != null) {
                throw error("unexpected " + describe(after) + " after the end of the document; a config is one JSON object");
            }
            requirePresent(format, "format", "the document", start, "\"" + FORMAT_NAME + "\"");
            requirePresent(version, "version", "the document", start, String.valueOf(FORMAT_VERSION));
            requirePresent(inputSize, "input_size", "the document", start, "2");
            requirePresent(layers, "layers", "the document", start, "[{\"layer\": \"dense(units=1)\", ...}]");
            requirePresent(loss, "loss", "the document", start, "\"binary_cross_entropy\"");
            requirePresent(seed, "seed", "the document", start, "1");
            checkSizes(inputSize, layers, layersAt);
            return new Document(new NetworkConfig(inputSize, layers, loss, seed, random, dtype), Optional.ofNullable(training));
        }

        /** Refuses a layer whose weight matrix n[l] x n[l-1] would exceed a Java array. */
        private void checkSizes(int inputSize, List<LayerConfig> layers, JsonLocation at) throws DataFileException {
            long previous = inputSize;
            for (int l = 1; l <= layers.size(); l++) {
                long units = registry.create(Layer.class, layers.get(l - 1).layer()).outputSize((int) previous);
                if (units * previous > MAX_ARRAY) {
                    throw DataFileException.atLine(source, at.getLineNr(), at.getColumnNr(), "layer " + l + " ("
                            + layers.get(l - 1).layer() + ") on an input of " + previous + " would have " + units + " x "
                            + previous + " = " + units * previous + " weights, more than a Java array holds ("
                            + MAX_ARRAY + ")");
                }
                previous = Math.max(1, units);
            }
        }

        private List<LayerConfig> layers() throws IOException {
            expect(p.nextToken(), JsonToken.START_ARRAY, "\"layers\"", "an array of layer objects");
            JsonLocation start = p.currentTokenLocation();
            List<LayerConfig> layers = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (layers.size() == MAX_LAYERS) {
                    throw error("more than " + MAX_LAYERS + " layers; the limit is " + MAX_LAYERS);
                }
                layers.add(layer(t, layers.size() + 1));
            }
            if (layers.isEmpty()) {
                throw DataFileException.atLine(source, start.getLineNr(), start.getColumnNr(),
                        "\"layers\" is empty; a network needs at least one layer (the output layer),"
                                + " e.g. [{\"layer\": \"dense(units=1)\", \"activation\": \"sigmoid\", \"initializer\": \"he_normal\"}]");
            }
            return layers;
        }

        private LayerConfig layer(JsonToken t, int l) throws IOException {
            String what = "layer " + l;
            expect(t, JsonToken.START_OBJECT, what, "an object {\"layer\": \"dense(units=4)\", \"activation\": ..., ...}");
            JsonLocation start = p.currentTokenLocation();
            String layer = null;
            String activation = null;
            String initializer = null;
            List<String> regularizers = List.of();
            for (String field = nextField(LAYER, what); field != null; field = nextField(LAYER, what)) {
                switch (field) {
                    case "layer" -> {
                        layer = string(what + " \"layer\"");
                        plugin(Layer.class, layer, what + " layer", "dense(units=4)");
                    }
                    case "activation" -> {
                        activation = string(what + " \"activation\"");
                        plugin(Activation.class, activation, what + " activation", "tanh");
                    }
                    case "initializer" -> {
                        initializer = string(what + " \"initializer\"");
                        plugin(Initializer.class, initializer, what + " initializer", "he_normal");
                    }
                    case "regularizers" -> regularizers = regularizers(what);
                    default -> throw new IllegalStateException(field);
                }
            }
            requirePresent(layer, "layer", what, start, "\"dense(units=4)\"");
            requirePresent(activation, "activation", what, start, "\"tanh\"");
            requirePresent(initializer, "initializer", what, start, "\"he_normal\"");
            return new LayerConfig(layer, activation, initializer, regularizers);
        }

        private List<String> regularizers(String what) throws IOException {
            expect(p.nextToken(), JsonToken.START_ARRAY, what + " \"regularizers\"", "an array of spec strings, e.g. [\"l2(lambda=0.7)\"]");
            List<String> specs = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (specs.size() == MAX_REGULARIZERS) {
                    throw error(what + " lists more than " + MAX_REGULARIZERS + " regularizers; the limit is " + MAX_REGULARIZERS);
                }
                expect(t, JsonToken.VALUE_STRING, what + " regularizer " + (specs.size() + 1), "a spec string such as \"l2(lambda=0.7)\"");
                String spec = p.getText();
                plugin(Regularizer.class, spec, what + " regularizer " + (specs.size() + 1), "l2(lambda=0.7)");
                specs.add(spec);
            }
            return specs;
        }

        private Hyperparameters training() throws IOException {
            expect(p.nextToken(), JsonToken.START_OBJECT, "\"training\"",
                    "an object {\"optimizer\": \"adam(learning_rate=0.001)\", \"epochs\": 100, ...}");
            JsonLocation start = p.currentTokenLocation();
            String optimizer = null;
            String schedule = Hyperparameters.CONSTANT_SCHEDULE; // absent in documents written before schedules
            Integer epochs = null;
            Integer batchSize = null;
            Long seed = null;
            Boolean shuffle = null;
            for (String field = nextField(TRAINING, "\"training\""); field != null; field = nextField(TRAINING, "\"training\"")) {
                switch (field) {
                    case "optimizer" -> {
                        optimizer = string("training \"optimizer\"");
                        plugin(Optimizer.class, optimizer, "training optimizer", "adam(learning_rate=0.001)");
                    }
                    case "schedule" -> {
                        schedule = string("training \"schedule\"");
                        plugin(Schedule.class, schedule, "training schedule", "exponential(rate=0.95)");
                    }
                    case "epochs" -> epochs = integer("training \"epochs\"", 1, Integer.MAX_VALUE);
                    case "batch_size" -> batchSize = integer("training \"batch_size\"", 0, Integer.MAX_VALUE);
                    case "seed" -> seed = longInteger("training \"seed\"");
                    case "shuffle" -> {
                        JsonToken t = p.nextToken();
                        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                            throw error("training \"shuffle\" is " + describe(t) + "; expected true or false");
                        }
                        shuffle = t == JsonToken.VALUE_TRUE;
                    }
                    default -> throw new IllegalStateException(field);
                }
            }
            requirePresent(optimizer, "optimizer", "\"training\"", start, "\"adam(learning_rate=0.001)\"");
            requirePresent(epochs, "epochs", "\"training\"", start, "100");
            requirePresent(batchSize, "batch_size", "\"training\"", start, "32 (0 for full batch)");
            requirePresent(seed, "seed", "\"training\"", start, "42");
            requirePresent(shuffle, "shuffle", "\"training\"", start, "true");
            return new Hyperparameters(optimizer, schedule, epochs, batchSize, seed, shuffle);
        }

        /** The next field name of the current object, or null at its end; unknown names are refused. */
        private String nextField(Set<String> known, String what) throws IOException {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_OBJECT) {
                return null;
            }
            if (t != JsonToken.FIELD_NAME) {
                throw error("expected a field name in " + what + ", found " + describe(t));
            }
            String name = p.currentName();
            if (!known.contains(name)) {
                String closest = Access.model().closest(name, known);
                throw error("unknown field \"" + shorten(name) + "\" in " + what
                        + (closest == null ? "" : "; did you mean \"" + closest + "\"?")
                        + "; the fields are " + String.join(", ", known));
            }
            return name;
        }

        private String string(String what) throws IOException {
            JsonToken t = p.nextToken();
            expect(t, JsonToken.VALUE_STRING, what, "a string");
            return p.getText();
        }

        private int integer(String what, int min, int max) throws IOException {
            long value = longInteger(what);
            if (value < min || value > max) {
                throw error(what + " is " + value + "; it must be " + (max == Integer.MAX_VALUE
                        ? ">= " + min + (min == 0 ? " (0 for full batch)" : "")
                        : "in [" + min + ", " + max + "]"));
            }
            return (int) value;
        }

        private long longInteger(String what) throws IOException {
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                throw error(what + " is " + shorten(p.getText()) + "; expected a whole number");
            }
            expect(t, JsonToken.VALUE_NUMBER_INT, what, "a whole number");
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw error(what + " is " + shorten(p.getText()) + "; it must fit in a 64-bit signed integer");
            }
            return p.getLongValue();
        }

        private void plugin(Class<?> kind, String spec, String what, String example) throws IOException {
            if (spec.isBlank()) {
                throw error(what + " is blank" + SPEC_EXAMPLE + example);
            }
            try {
                registry.create(kind, spec);
            } catch (PluginException e) {
                JsonLocation at = p.currentTokenLocation();
                throw new PluginException(source + ": line " + at.getLineNr() + ", column " + at.getColumnNr() + ": "
                        + what + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw error(what + " \"" + shorten(spec) + "\" cannot be made: " + e);
            }
        }

        private void expect(JsonToken t, JsonToken wanted, String what, String expected) throws IOException {
            if (t != wanted) {
                throw error(what + " is " + describe(t) + "; expected " + expected);
            }
        }

        /** Refuses a missing required field, pointing at the object that lacks it. */
        private void requirePresent(Object value, String field, String where, JsonLocation objectStart, String example)
                throws DataFileException {
            if (value == null) {
                throw DataFileException.atLine(source, objectStart.getLineNr(), objectStart.getColumnNr(),
                        "missing \"" + field + "\" in " + where + " (the object starting here); add e.g. \"" + field
                                + "\": " + example);
            }
        }

        private String describe(JsonToken t) throws IOException {
            if (t == null) {
                return "the end of the input";
            }
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case END_OBJECT, END_ARRAY -> "the end of " + (t == JsonToken.END_OBJECT ? "an object" : "an array");
                case FIELD_NAME -> "the field name \"" + shorten(p.currentName()) + "\"";
                case VALUE_STRING -> "the string \"" + shorten(p.getText()) + "\"";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + shorten(p.getText());
                case VALUE_TRUE, VALUE_FALSE -> "the boolean " + p.getText();
                case VALUE_NULL -> "null";
                default -> t.toString();
            };
        }

        private DataFileException error(String problem) {
            JsonLocation at = p.currentTokenLocation();
            return DataFileException.atLine(source, at.getLineNr(), at.getColumnNr(), problem);
        }

        private static String shorten(String text) {
            return text.length() > 60 ? text.substring(0, 60) + "..." : text;
        }
    }
}
