package dev.nnkit.examples;

import dev.nnkit.data.Pipeline;
import dev.nnkit.io.DataFileException;
import dev.nnkit.io.ModelFile;
import dev.nnkit.io.formats.CsvReader;
import dev.nnkit.io.formats.IdxReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Option;

/**
 * {@code --model}, {@code --data}, {@code --labels}, {@code --delimiter}, {@code --header} and
 * {@code --limit}: a saved model and the examples to give it, the options {@code predict} and
 * {@code evaluate} share. A CSV file's feature columns are found by the names the model was trained
 * with (in any order, other columns ignored); a file without a header gives them in training order.
 */
final class ModelInputOptions {

    @Option(names = "--model", required = true, description = "A model file saved by train --save (or ModelFile.save).")
    Path model;

    @Option(names = "--data", required = true, description = "The examples: a CSV file (- for standard input), or an IDX "
            + "images file (gzip or not).")
    Path data;

    @Option(names = "--labels", description = "IDX labels file for --data (evaluate, IDX only).")
    Path labels;

    @Option(names = "--delimiter", defaultValue = ",", description = "CSV cell delimiter; \\t for tab (default: '${DEFAULT-VALUE}').")
    String delimiter;

    @Option(names = "--header", defaultValue = "AUTO", description = "CSV header line: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CsvReader.Header header;

    @Option(names = "--limit", defaultValue = "0", description = "IDX: read only the first N items; 0 = all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--ignore", split = ",", description = "CSV columns to leave out, names or 0-based indices, e.g. the "
            + "label or an id column (for a model saved without a pipeline, whose features are every column not left out).")
    List<String> ignoredColumns = List.of();

    private static final Pattern POSITION = Pattern.compile("column (\\d+)");

    /** The model, its file checked first. */
    ModelFile.Contents load() throws IOException {
        CliFiles.requireReadable(model, "--model");
        if (looksLikeJson(model)) {
            throw new IllegalArgumentException("--model " + model + " is a JSON network config, not a trained model: train "
                    + "it first (train --config " + model + " --data FILE --save model.nnkit) and give that model file");
        }
        try {
            return ModelFile.load(model);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new RunFailedException(CliFiles.describe(e, "read", model), e);
        }
    }

    /** Whether a file starts, after white space, with '{' as a JSON document does (model files do not). */
    static boolean looksLikeJson(Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            for (int b = in.read(), n = 0; b >= 0 && n < 4096; b = in.read(), n++) {
                if (!Character.isWhitespace(b)) {
                    return b == '{';
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The data file, checked, and copied when it is a pipe or standard input. */
    Path dataFile() throws IOException {
        return CliFiles.readable(data, "--data");
    }

    CsvReader csv() {
        String d = delimiter.equals("\\t") ? "\t" : delimiter;
        if (d.length() != 1) {
            throw new IllegalArgumentException("--delimiter '" + delimiter + "' must be one character (\\t for tab)");
        }
        return CsvReader.defaults().withDelimiter(d.charAt(0)).withHeader(header);
    }

    /**
     * Column references for names a model was trained with: {@code column k} (a file without a
     * header) becomes the index {@code k}; any other name is looked up in the header.
     */
    static String[] references(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            Matcher m = POSITION.matcher(name);
            out.add(m.matches() ? m.group(1) : name);
        }
        return out.toArray(String[]::new);
    }

    /** The raw features the pipeline names, read from {@code file} (CSV or IDX). */
    DMatrixRMaj features(Path file, Pipeline pipeline, boolean idx) throws IOException {
        if (idx) {
            DMatrixRMaj x = IdxReader.defaults().features(file, limit);
            if (pipeline != null && x.numRows != pipeline.featureNames().size()) {
                throw new IllegalArgumentException("--data " + data + " holds items of " + x.numRows + " values but the model "
                        + model + " takes " + pipeline.featureNames().size() + " features");
            }
            return x;
        }
        try {
            CsvReader reader = csv().withoutLabels().withIgnoredColumns(ignoredColumns.toArray(String[]::new));
            if (pipeline == null) {
                return reader.readFeatures(file).features();
            }
            return reader.withFeatureColumns(byPositionWithoutHeader(file, pipeline.featureNames())).readFeatures(file)
                    .features();
        } catch (DataFileException e) {
            String hint = e.line() == 1 ? delimiterHint(file) : "";
            if (hint.isEmpty()) {
                throw e;
            }
            throw new IllegalArgumentException(e.getMessage() + hint, e);
        }
    }

    /**
     * The column references for a model's feature names: by name, or, for a file without a header
     * (its first line holds a number, or {@code --header ABSENT}) whose columns are exactly the
     * model's features, by position in training order, with a note on standard error.
     *
     * @throws IllegalArgumentException for a file without a header whose column count is not the
     *                                  model's number of features: what to do instead
     */
    String[] byPositionWithoutHeader(Path file, List<String> featureNames) {
        String[] byName = references(featureNames);
        boolean named = java.util.Arrays.stream(byName).anyMatch(r -> !r.matches("\\d+"));
        if (!named || header == CsvReader.Header.PRESENT) {
            return byName;
        }
        String first;
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            first = in.readLine();
        } catch (IOException e) {
            return byName; // the reader reports it, with its reason
        }
        if (first == null) {
            return byName;
        }
        String d = delimiter.equals("\\t") ? "\t" : delimiter;
        String[] cells = first.split(Pattern.quote(d), -1);
        boolean headerless = header == CsvReader.Header.ABSENT
                || java.util.Arrays.stream(cells).anyMatch(ModelInputOptions::isNumber);
        if (!headerless) {
            return byName;
        }
        int columns = cells.length - ignoredColumns.size();
        if (columns != featureNames.size()) {
            throw new IllegalArgumentException("--data " + data + " has no header line, so its columns cannot be found by the "
                    + "names the model " + model + " was trained with " + featureNames + ": add that header line, or give "
                    + "exactly " + featureNames.size() + " columns in that order (it has " + columns + "; leave others out "
                    + "with --ignore)");
        }
        System.err.println("note: " + data + " has no header line: its " + columns + " columns are taken as the model's "
                + "features " + featureNames + ", in that order");
        String[] positions = new String[cells.length];
        int k = 0;
        java.util.Set<String> ignored = new java.util.HashSet<>(ignoredColumns);
        for (int i = 0; i < cells.length; i++) {
            if (!ignored.contains(Integer.toString(i)) && !ignored.contains(Integer.toString(i - cells.length))) {
                positions[k++] = Integer.toString(i);
            }
        }
        return java.util.Arrays.copyOf(positions, k);
    }

    private static boolean isNumber(String cell) {
        try {
            Double.parseDouble(cell.trim());
            return !cell.isBlank();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The hint {@code train} gives for a file split by another common delimiter than {@code --delimiter}:
     * empty unless the first line holds one.
     */
    private String delimiterHint(Path file) {
        String first;
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            first = in.readLine();
        } catch (IOException e) {
            return "";
        }
        char current = (delimiter.equals("\\t") ? "\t" : delimiter).charAt(0);
        for (char c : new char[] {';', '\t', '|', ','}) {
            if (first != null && c != current && first.indexOf(c) >= 0) {
                String shown = c == '\t' ? "\\t" : String.valueOf(c);
                return "; the line holds '" + shown + "' but the delimiter is '" + (current == '\t' ? "\\t" : String.valueOf(current))
                        + "': if '" + shown + "' is the delimiter, give --delimiter '" + shown + "'";
            }
        }
        return "";
    }

    /** IDX when {@code --labels} is given or the file starts like one. */
    boolean isIdx(Path file) throws IOException {
        return labels != null || TrainCommand.looksLikeIdx(file);
    }
}
