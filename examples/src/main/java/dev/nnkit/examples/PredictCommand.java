package dev.nnkit.examples;

import dev.nnkit.data.Pipeline;
import dev.nnkit.io.DataFileException;
import dev.nnkit.io.ModelFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Predicts with a saved model from raw features: the model file's pipeline prepares them as in
 * training (the same columns, the same standardization) and names the answers (class names and
 * probabilities, or the predicted values), written as CSV.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predicts with a model saved by train --save: raw features in (CSV or IDX), one CSV line out per "
                + "example, on standard output or into --output.",
                "Classification: the predicted class, then the probability of each class; regression: the predicted values.",
                "Example: predict --model moons.nnkit --data new.csv --output predictions.csv"})
final class PredictCommand implements Callable<Integer> {

    @Mixin final ModelInputOptions input = new ModelInputOptions();

    @Option(names = "--output", description = "Write the predictions to this CSV file (atomically) instead of standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
        run(System.out, System.err);
        return 0;
    }

    /** Predicts; returns the CSV text written. */
    String run(PrintStream stdout, PrintStream stderr) throws IOException {
        if (output != null) {
            Map<String, Path> inputs = new LinkedHashMap<>();
            inputs.put("--model", input.model);
            inputs.put("--data", input.data);
            inputs.put("--labels", input.labels);
            CliFiles.requireDistinct(Map.of("--output", output), inputs);
            CliFiles.requireWritable(output, "--output", "predictions.csv");
        }
        ModelFile.Contents contents = input.load();
        Pipeline pipeline = contents.pipeline().orElse(null);
        DMatrixRMaj raw;
        try {
            Path file = input.dataFile();
            raw = input.features(file, pipeline, input.isIdx(file));
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new RunFailedException(CliFiles.describe(e, "read", input.data), e);
        }
        String csv;
        if (pipeline == null && raw.numRows != contents.network().config().inputSize()) {
            throw new IllegalArgumentException("--data " + input.data + " has " + raw.numRows + " columns but the model "
                    + input.model + " (saved without a pipeline) takes " + contents.network().config().inputSize()
                    + " inputs: leave the label and any other column out with --ignore, e.g. --ignore -1 for the last");
        }
        if (pipeline == null) {
            stderr.println("warning: " + input.model + " holds no pipeline (it was saved without one, or before model file "
                    + "format 3): the features go to the network as they are and the outputs are printed as they are");
            csv = outputsCsv(contents.network().predict(raw));
        } else {
            csv = toCsv(contents.predict(raw));
        }
        if (output == null) {
            stdout.print(csv);
            stdout.flush();
        } else {
            CliFiles.writeAtomically(output, csv);
            stderr.printf(Locale.ROOT, "wrote %d predictions to %s%n", raw.numCols, output);
        }
        return csv;
    }

    /** One line per example: the class and each class's probability, or each target's value; full precision. */
    static String toCsv(Pipeline.Predictions predictions) {
        Pipeline p = predictions.pipeline();
        StringBuilder out = new StringBuilder();
        int m = predictions.size();
        if (p.task() == Pipeline.Task.CLASSIFICATION) {
            out.append(quote(p.labelNames().get(0)));
            for (String c : p.classes()) {
                out.append(',').append(quote("p(" + c + ")"));
            }
            out.append('\n');
            DMatrixRMaj probabilities = predictions.probabilities();
            for (int j = 0; j < m; j++) {
                out.append(quote(predictions.label(j)));
                for (int c = 0; c < p.classes().size(); c++) {
                    out.append(',').append(probabilities.get(c, j));
                }
                out.append('\n');
            }
        } else {
            List<String> targets = p.labelNames();
            out.append(String.join(",", targets.stream().map(PredictCommand::quote).toList())).append('\n');
            DMatrixRMaj values = predictions.values();
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < targets.size(); i++) {
                    out.append(i == 0 ? "" : ",").append(values.get(i, j));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String outputsCsv(DMatrixRMaj a) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < a.numRows; i++) {
            out.append(i == 0 ? "" : ",").append("output ").append(i + 1);
        }
        out.append('\n');
        for (int j = 0; j < a.numCols; j++) {
            for (int i = 0; i < a.numRows; i++) {
                out.append(i == 0 ? "" : ",").append(a.get(i, j));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A CSV cell: quoted when it holds a comma, a quote or a line break. */
    static String quote(String cell) {
        return cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
                ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }
}
