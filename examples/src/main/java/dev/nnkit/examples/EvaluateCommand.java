package dev.nnkit.examples;

import dev.nnkit.data.Dataset;
import dev.nnkit.data.Pipeline;
import dev.nnkit.data.Scores;
import dev.nnkit.io.ModelFile;
import dev.nnkit.io.formats.CsvReader;
import dev.nnkit.io.formats.IdxReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Scores a saved model on labelled examples: accuracy, per-class precision, recall and F1 and the
 * confusion matrix for classification; mean squared error, mean absolute error and {@code R^2} for
 * regression. The task, the features and the classes come from the model file's pipeline.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Scores a model saved by train --save on labelled examples (CSV with the label column(s) the model "
                + "was trained on, or IDX images with --labels).",
                "Classification: accuracy, per-class precision/recall/F1 and the confusion matrix; regression: MSE, MAE and R^2.",
                "Example: evaluate --model moons.nnkit --data test.csv"})
final class EvaluateCommand implements Callable<Integer> {

    @Mixin final ModelInputOptions input = new ModelInputOptions();

    /** What an evaluation found: the classification scores or the regression ones (the other is null). */
    record Result(Scores.Classification classification, Scores.Regression regression) {
    }

    @Override
    public Integer call() throws IOException {
        run(System.out);
        return 0;
    }

    /** Evaluates and prints the report. */
    Result run(PrintStream console) throws IOException {
        ModelFile.Contents contents = input.load();
        Pipeline pipeline = contents.pipeline().orElseThrow(() -> new IllegalArgumentException("--model " + input.model
                + " holds no pipeline (it was saved without one, or before model file format 3), so its task, features "
                + "and classes are unknown; evaluate needs a model saved by train --save or ModelFile.save(network, "
                + "pipeline, file)"));
        Path file = input.dataFile();
        boolean idx = input.isIdx(file);
        DMatrixRMaj x;
        DMatrixRMaj y;
        if (idx) {
            if (input.labels == null) {
                throw new IllegalArgumentException("--data " + input.data + " is an IDX file; give its labels with --labels FILE");
            }
            x = input.features(file, pipeline, true);
            y = IdxReader.defaults().labelRow(CliFiles.readable(input.labels, "--labels"), input.limit);
            if (y.numCols != x.numCols) {
                throw new IllegalArgumentException("--labels " + input.labels + " holds " + y.numCols + " labels but --data "
                        + input.data + " holds " + x.numCols + " items");
            }
        } else {
            CsvReader csv = input.csv().withFeatureColumns(ModelInputOptions.references(pipeline.featureNames()))
                    .withLabelColumns(ModelInputOptions.references(pipeline.labelNames()));
            if (pipeline.task() == Pipeline.Task.CLASSIFICATION) {
                csv = csv.withLabelEncoding(CsvReader.LabelEncoding.ONE_HOT).withClasses(pipeline.classes());
            }
            Dataset data = csv.read(file).data();
            x = data.features();
            y = data.labels();
        }
        Pipeline.Predictions predictions = contents.predict(x);
        int m = x.numCols;
        console.printf(Locale.ROOT, "model %s: %s; %s%n", input.model, contents.network(), pipeline);
        console.printf(Locale.ROOT, "data %s: %d examples%n%n", input.data, m);
        if (pipeline.task() == Pipeline.Task.REGRESSION) {
            Scores.Regression scores = Scores.regression(y, predictions.values());
            console.printf(Locale.ROOT, "MSE %.6g%nMAE %.6g%nR^2 %.4f%n", scores.mse(), scores.mae(), scores.r2());
            return new Result(null, scores);
        }
        List<String> classes = pipeline.classes();
        int[] actual = new int[m];
        int[] predicted = new int[m];
        for (int j = 0; j < m; j++) {
            actual[j] = idx ? classIndex(y.data[j], classes, j) : argmax(y, j);
            predicted[j] = predictions.classIndex(j);
        }
        Scores.Classification scores = Scores.classification(actual, predicted, classes);
        print(console, scores);
        return new Result(scores, null);
    }

    private static int classIndex(double label, List<String> classes, int j) {
        int k = classes.indexOf(label == Math.rint(label) ? Long.toString((long) label) : Double.toString(label));
        if (k < 0) {
            throw new IllegalArgumentException("label " + label + " of item " + j + " is not one of the model's classes "
                    + classes);
        }
        return k;
    }

    private static int argmax(DMatrixRMaj y, int j) {
        int best = 0;
        for (int c = 1; c < y.numRows; c++) {
            if (y.get(c, j) > y.get(best, j)) {
                best = c;
            }
        }
        return best;
    }

    static void print(PrintStream console, Scores.Classification s) {
        int k = s.classes().size();
        int right = 0;
        for (int c = 0; c < k; c++) {
            right += s.confusion()[c][c];
        }
        console.printf(Locale.ROOT, "accuracy %.2f %% (%d of %d)%n%n", 100 * s.accuracy(), right, s.examples());
        int width = Math.max(5, s.classes().stream().mapToInt(String::length).max().orElse(5));
        console.printf(Locale.ROOT, "%-" + width + "s %9s %9s %9s %9s%n", "class", "precision", "recall", "F1", "support");
        for (int c = 0; c < k; c++) {
            int support = 0;
            for (int p = 0; p < k; p++) {
                support += s.confusion()[c][p];
            }
            console.printf(Locale.ROOT, "%-" + width + "s %9s %9s %9s %9d%n", s.classes().get(c), ratio(s.precision()[c]),
                    ratio(s.recall()[c]), ratio(s.f1()[c]), support);
        }
        console.printf(Locale.ROOT, "%nconfusion matrix (rows: true class, columns: predicted class)%n");
        int cell = Math.max(6, width);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", ""));
        for (String c : s.classes()) {
            line.append(String.format(Locale.ROOT, " %" + cell + "s", c));
        }
        console.println(line);
        for (int a = 0; a < k; a++) {
            line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", s.classes().get(a)));
            for (int p = 0; p < k; p++) {
                line.append(String.format(Locale.ROOT, " %" + cell + "d", s.confusion()[a][p]));
            }
            console.println(line);
        }
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
