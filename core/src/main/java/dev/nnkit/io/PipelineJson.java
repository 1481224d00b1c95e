package dev.nnkit.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.nnkit.data.Pipeline;
import dev.nnkit.data.Standardizer;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline section of a model file (format version 3) as JSON, format {@code nnkit-pipeline}
 * version 1:
 *
 * <pre>{@code
 * {"format": "nnkit-pipeline", "version": 1,
 *  "task": "classification",                   // or "regression"
 *  "features": ["x", "y"],                     // input order
 *  "standardize": {"mean": [0.5, 0.25], "deviation": [0.87, 0.5]},   // optional
 *  "labels": ["color"],                        // classification: the label column; regression: the targets
 *  "classes": ["red", "blue"]}                 // classification only, output order
 * }</pre>
 *
 * <p>Numbers are written as Java's shortest decimal that reads back to the same double, so a
 * pipeline round-trips bit for bit.
 */
final class PipelineJson {

    static final String FORMAT = "nnkit-pipeline";
    static final int VERSION = 1;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(100)
                    .maxDocumentLength(ModelFile.MAX_CONFIG_BYTES).build())
            .build();

    private PipelineJson() {
    }

    static String toJson(Pipeline pipeline) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
            g.writeStringField("task", pipeline.task() == Pipeline.Task.CLASSIFICATION ? "classification" : "regression");
            strings(g, "features", pipeline.featureNames());
            if (pipeline.standardizer().isPresent()) {
                Standardizer s = pipeline.standardizer().get();
                g.writeObjectFieldStart("standardize");
                doubles(g, "mean", s.mean());
                doubles(g, "deviation", s.deviation());
                g.writeEndObject();
            }
            strings(g, "labels", pipeline.labelNames());
            if (pipeline.task() == Pipeline.Task.CLASSIFICATION) {
                strings(g, "classes", pipeline.classes());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string cannot fail", e);
        }
        return out.toString();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void doubles(JsonGenerator g, String name, double[] values) throws IOException {
        g.writeArrayFieldStart(name);
        for (double v : values) {
            g.writeNumber(Double.toString(v));
        }
        g.writeEndArray();
    }

    /**
     * Reads a pipeline document.
     *
     * @throws IllegalArgumentException naming the field and what was wrong
     */
    static Pipeline fromJson(String json) {
        String format = null;
        Integer version = null;
        String task = null;
        List<String> features = null;
        List<String> labels = null;
        List<String> classes = null;
        double[] mean = null;
        double[] deviation = null;
        try (JsonParser p = JSON.createParser(json)) {
            expect(p, JsonToken.START_OBJECT, "the pipeline");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "format" -> format = string(p, field);
                    case "version" -> version = p.currentToken() == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                    case "task" -> task = string(p, field);
                    case "features" -> features = strings(p, field);
                    case "labels" -> labels = strings(p, field);
                    case "classes" -> classes = strings(p, field);
                    case "standardize" -> {
                        if (p.currentToken() != JsonToken.START_OBJECT) {
                            throw new IllegalArgumentException("\"standardize\" must be an object with \"mean\" and \"deviation\"");
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            p.nextToken();
                            switch (inner) {
                                case "mean" -> mean = doubles(p, "standardize.mean");
                                case "deviation" -> deviation = doubles(p, "standardize.deviation");
                                default -> throw new IllegalArgumentException("unknown field \"standardize." + inner + "\"");
                            }
                        }
                        if (mean == null || deviation == null) {
                            throw new IllegalArgumentException("\"standardize\" needs both \"mean\" and \"deviation\"");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown field \"" + field + "\"; a pipeline has format, "
                            + "version, task, features, standardize, labels and classes");
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("text after the pipeline object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the pipeline is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from a string cannot fail", e);
        }
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("\"format\" is " + (format == null ? "missing" : "\"" + format + "\"")
                    + "; a pipeline's is \"" + FORMAT + "\"");
        }
        if (version == null || version != VERSION) {
            throw new IllegalArgumentException("pipeline version " + version + " is not one this nnkit reads (" + VERSION + ")");
        }
        if (features == null || labels == null) {
            throw new IllegalArgumentException("a pipeline needs \"features\" and \"labels\"");
        }
        Standardizer standardizer = mean == null ? null : Standardizer.of(mean, deviation);
        if ("classification".equals(task)) {
            if (classes == null || labels.size() != 1) {
                throw new IllegalArgumentException("a classification pipeline needs \"classes\" and one label");
            }
            return Pipeline.classification(features, standardizer, labels.get(0), classes);
        }
        if ("regression".equals(task)) {
            if (classes != null) {
                throw new IllegalArgumentException("a regression pipeline has no \"classes\"");
            }
            return Pipeline.regression(features, standardizer, labels);
        }
        throw new IllegalArgumentException("\"task\" is " + task + "; it must be \"classification\" or \"regression\"");
    }

    private static void expect(JsonParser p, JsonToken token, String what) throws IOException {
        if (p.nextToken() != token) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
    }

    private static String string(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return p.getText();
    }

    private static List<String> strings(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(string(p, field));
        }
        return out;
    }

    private static double[] doubles(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("\"" + field + "\" must be an array of numbers");
        }
        double[] out = new double[16];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!p.currentToken().isNumeric()) {
                throw new IllegalArgumentException("\"" + field + "\" must hold numbers only");
            }
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, 2 * n);
            }
            out[n++] = Double.parseDouble(p.getText());
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
