package dev.nnkit.examples;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.io.DataFileException;
import dev.nnkit.io.ModelFile;
import dev.nnkit.io.NetworkConfigs;
import dev.nnkit.io.formats.CsvReader;
import dev.nnkit.io.formats.IdxReader;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingHistory;
import dev.nnkit.training.TrainingListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A generic trainer: a user's own data (CSV, or IDX images and labels) and a network described by
 * flags, trained and evaluated without writing Java.
 *
 * <p>The flags are collected into a {@link Setup} record (data, architecture, training), which is
 * all {@link #run} needs: a JSON configuration file (planned in another issue) only has to fill
 * the same record, e.g. with a {@code --config FILE} option whose values the flags override.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a network on your own data: a CSV file (one example per line; label column(s) chosen "
                + "with --label) or IDX files (--data images, --labels labels), with the network given by flags.",
                "The task is inferred from the labels (--task AUTO): one label column of integers >= 0 (at most 50 "
                        + "classes) or of names is classification (2 classes: sigmoid + binary_cross_entropy; more: "
                        + "softmax + softmax_cross_entropy); anything else is regression (identity + mean_squared_error).",
                "Prints train and test metrics (accuracy, or MSE and R^2) and writes train_cost.png into --out.",
                "Example: train --data xor.csv --layers 16,8 --activation relu --epochs 200 --batch-size 32"},
        footer = {"", "CSV: a header line is detected when no cell of the first line is a number; cells must be finite "
                + "decimal numbers, except class labels, which may be names."})
final class TrainCommand implements Callable<Integer> {

    /** Which kind of problem the labels describe. */
    enum Task { AUTO, CLASSIFICATION, REGRESSION }

    /** How features are scaled before training. */
    enum Scale { AUTO, STANDARD, NONE }

    @Spec
    CommandSpec spec;

    // ---------------------------------------------------------------- data

    @Option(names = "--data", required = true, description = "The training data: a CSV file, or an IDX images file (gzip or not).")
    Path data;

    @Option(names = "--labels", description = "IDX labels file for --data (IDX only).")
    Path labels;

    @Option(names = "--test", description = "A separate test file in the same format; without it --test-fraction of --data is held out.")
    Path test;

    @Option(names = "--test-labels", description = "IDX labels file for --test (IDX only).")
    Path testLabels;

    @Option(names = "--test-fraction", defaultValue = "0.2",
            description = "Fraction of --data held out for testing when there is no --test, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--label", split = ",", defaultValue = "-1",
            description = "CSV label column(s): names or 0-based indices, negative from the end (default: ${DEFAULT-VALUE}, the last).")
    List<String> labelColumns;

    @Option(names = "--ignore", split = ",", description = "CSV columns to leave out, e.g. an id column.")
    List<String> ignoredColumns = List.of();

    @Option(names = "--header", defaultValue = "AUTO", description = "CSV header line: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CsvReader.Header header;

    @Option(names = "--delimiter", defaultValue = ",", description = "CSV cell delimiter; \\t for tab (default: '${DEFAULT-VALUE}').")
    String delimiter;

    @Option(names = "--limit", defaultValue = "0", description = "IDX: read only the first N items of each file; 0 = all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--task", defaultValue = "AUTO", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Task task;

    @Option(names = "--scale", defaultValue = "AUTO",
            description = "Feature scaling: STANDARD (zero mean, unit variance, from the training part), NONE, or AUTO "
                    + "(STANDARD for CSV, NONE for IDX, whose pixels are already in [0, 1]) (default: ${DEFAULT-VALUE}).")
    Scale scale;

    // ---------------------------------------------------------------- network

    @Option(names = "--layers", split = ",", defaultValue = "16",
            description = "Units of the hidden layers, comma-separated; the output layer is added (default: ${DEFAULT-VALUE}).")
    List<Integer> layers;

    @Mixin final HiddenLayerOptions hiddenLayers = new HiddenLayerOptions("relu", "he_normal");

    @Option(names = "--reg", split = ";", description = "Regularizer of the hidden layers, e.g. l2(lambda=0.01) or "
            + "dropout(keep_prob=0.9); repeatable or ';'-separated.")
    List<String> regularizers = List.of();

    @Option(names = "--output-activation", description = "Output activation; default from the task (sigmoid, softmax or identity).")
    String outputActivation;

    @Option(names = "--loss", description = "Loss; default from the task (binary_cross_entropy, softmax_cross_entropy or "
            + "mean_squared_error).")
    String loss;

    // ---------------------------------------------------------------- training

    @Mixin final MiniBatchOptions miniBatch = new MiniBatchOptions("adam(learning_rate=0.01)", 100, 32);

    @Option(names = "--schedule", defaultValue = "constant",
            description = "Learning-rate schedule: every step's rate from the optimizer's learning_rate, e.g. "
                    + "exponential(rate=0.95), step_decay(every=30, factor=0.1), inverse_time(decay_rate=1), cosine(epochs=100) "
                    + "or warmup(steps=100, then=cosine(epochs=100)) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--log-every", defaultValue = "0",
            description = "Print the cost every N epochs; 0 = about ten times in all (default: ${DEFAULT-VALUE}).")
    int logEvery;

    /** {@code --seed}, set by {@link #seedOption}. */
    long seed;

    @Mixin final SeedOption seedOption = new SeedOption(seed -> this.seed = seed);

    @Mixin final OutputOptions output = new OutputOptions();

    @Option(names = "--config", description = "A JSON network config (format nnkit-network) to build the network from, "
            + "instead of --layers/--activation/--init/--reg/--output-activation/--loss; its optional \"training\" "
            + "section replaces --optimizer/--schedule/--epochs/--batch-size/--seed.")
    Path config;

    @Option(names = "--save", description = "Write the trained network to this model file (atomically).")
    Path save;

    /**
     * Everything a training run needs, independent of where it came from: the flags today, a JSON
     * file tomorrow.
     */
    record Setup(DataSource source, List<Integer> hiddenLayers, String activation, String initializer,
                 List<String> regularizers, String outputActivation, String loss, Hyperparameters hyperparameters,
                 Task task, Scale scale, double testFraction, int logEvery, Path out, Path config, Path save) {
    }

    /** Where the examples come from and how to read them. */
    record DataSource(Path data, Path labels, Path test, Path testLabels, CsvReader csv, int limit) {

        boolean isIdx() throws IOException {
            return labels != null || looksLikeIdx(data);
        }
    }

    @Override
    public Integer call() {
        try {
            run(setup(), System.out);
            return 0;
        } catch (DataFileException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("train: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            spec.commandLine().getErr().println("train: cannot read " + e.getMessage()
                    + (e instanceof java.nio.file.NoSuchFileException ? ": no such file" : ""));
            return 2;
        }
    }

    /** The setup the flags describe. */
    Setup setup() {
        String d = delimiter.equals("\\t") ? "\t" : delimiter;
        if (d.length() != 1) {
            throw new IllegalArgumentException("--delimiter '" + delimiter + "' must be one character (\\t for tab)");
        }
        CsvReader csv = CsvReader.defaults().withDelimiter(d.charAt(0)).withHeader(header)
                .withLabelColumns(labelColumns.toArray(String[]::new))
                .withIgnoredColumns(ignoredColumns.toArray(String[]::new));
        Hyperparameters hp = miniBatch.hyperparameters(schedule, seed);
        return new Setup(new DataSource(data, labels, test, testLabels, csv, limit), layers, hiddenLayers.activation,
                hiddenLayers.initializer, regularizers, outputActivation, loss, hp, task, scale, testFraction, logEvery,
                output.out, config, save);
    }

    /** Reads the data, builds and trains the network, prints the metrics and writes the cost curve. */
    static Run run(Setup setup, PrintStream console) throws IOException {
        if (!(setup.testFraction >= 0 && setup.testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction " + setup.testFraction + " must be in [0, 1)");
        }
        Loaded loaded = load(setup);
        Dataset train = loaded.train;
        Dataset testSet = loaded.test;
        String split = "";
        if (testSet == null && setup.testFraction > 0) {
            int m = train.size();
            int testCount = (int) Math.round(setup.testFraction * m);
            if (testCount < 1 || testCount >= m) {
                throw new IllegalArgumentException("--test-fraction " + setup.testFraction + " of " + m
                        + " examples leaves no " + (testCount < 1 ? "test" : "training") + " examples");
            }
            Dataset shuffled = train.shuffled(new SplittableRandom(setup.hyperparameters.seed()));
            testSet = shuffled.slice(0, testCount);
            train = shuffled.slice(testCount, m);
            split = String.format(Locale.ROOT, " (a random %.0f %% held out for testing)", 100 * setup.testFraction);
        }
        boolean standardize = setup.scale == Scale.STANDARD || setup.scale == Scale.AUTO && !loaded.idx;
        if (standardize) {
            double[][] stats = standardization(train);
            train = standardized(train, stats);
            testSet = testSet == null ? null : standardized(testSet, stats);
        }

        Kind kind = loaded.kind;
        Hyperparameters hp = setup.hyperparameters;
        Network network;
        String architecture;
        if (setup.config != null) {
            NetworkConfigs.Document document = NetworkConfigs.read(setup.config, PluginRegistry.defaults());
            network = Network.fromConfig(document.network(), PluginRegistry.defaults());
            hp = document.training().orElse(hp);
            architecture = "from " + setup.config;
        } else {
            String outputActivation = setup.outputActivation != null ? setup.outputActivation : kind.outputActivation;
            String loss = setup.loss != null ? setup.loss : kind.loss;
            Network.Builder builder = Network.builder(train.inputSize()).activation(setup.activation)
                    .initializer(setup.initializer).regularizers(setup.regularizers.toArray(String[]::new)).loss(loss)
                    .seed(hp.seed());
            for (int units : setup.hiddenLayers) {
                if (units <= 0) {
                    throw new IllegalArgumentException("--layers: a hidden layer of " + units + " units; units must be > 0");
                }
                builder.dense(units);
            }
            network = builder.dense(train.outputSize(), outputActivation).build();
            architecture = "init " + setup.initializer
                    + (setup.regularizers.isEmpty() ? "" : "; hidden regularizers " + setup.regularizers);
        }

        console.printf(Locale.ROOT, "data: %s, %d training and %s test examples%s, %d feature%s%s%n", loaded.description,
                train.size(), testSet == null ? "no" : Integer.toString(testSet.size()), split, train.inputSize(),
                train.inputSize() == 1 ? "" : "s",
                standardize ? ", standardized with the training mean and deviation" : "");
        console.printf(Locale.ROOT, "task: %s%s%n", kind.description, loaded.classes.isEmpty() ? ""
                : " " + abbreviate(loaded.classes));
        console.printf(Locale.ROOT, "network %s; %s%n", network, architecture);
        Hyperparameters training = hp;
        console.printf(Locale.ROOT, "%d epochs, %s, %s%s, seed %d%n%n", hp.epochs(),
                hp.batchSize() == 0 || hp.batchSize() >= train.size() ? "full batch" : "mini-batches of " + hp.batchSize(),
                hp.optimizer(), hp.schedule().equals(Hyperparameters.CONSTANT_SCHEDULE) ? "" : ", schedule " + hp.schedule(),
                hp.seed());

        int every = setup.logEvery > 0 ? setup.logEvery : Math.max(1, training.epochs() / 10);
        Dataset heldOut = testSet;
        double[] testCosts = new double[heldOut == null ? 0 : training.epochs()];
        long start = System.nanoTime();
        TrainingHistory history = new Trainer(training).listener(new TrainingListener() {
            @Override
            public void onEpochEnd(TrainingContext context) {
                int epoch = context.epoch();
                double meanCost = context.epochCost();
                if (heldOut != null) {
                    testCosts[epoch - 1] = network.cost(heldOut);
                }
                if (epoch == 1 || epoch % every == 0 || epoch == training.epochs()) {
                    console.printf(Locale.ROOT, "epoch %d/%d: cost %.6f%s%n", epoch, training.epochs(), meanCost,
                            heldOut == null ? "" : String.format(Locale.ROOT, ", test cost %.6f", testCosts[epoch - 1]));
                }
            }
        }).fit(network, train);
        double seconds = (System.nanoTime() - start) / 1e9;

        Metrics trainMetrics = metrics(network, train, kind);
        Metrics testMetrics = testSet == null ? null : metrics(network, testSet, kind);
        console.printf(Locale.ROOT, "%ntrained in %.1f s%n%n", seconds);
        console.printf(Locale.ROOT, "%-6s %12s %12s%s%n", "set", "examples", "cost J",
                kind.classification ? String.format(Locale.ROOT, " %10s", "accuracy")
                        : String.format(Locale.ROOT, " %12s %9s", "MSE", "R^2"));
        print(console, "train", train.size(), trainMetrics, kind);
        if (testMetrics != null) {
            print(console, "test", testSet.size(), testMetrics, kind);
        }
        Plots.LineChart chart = Plots.lineChart("Cost per epoch", "epoch", "cost J (log scale)").logY()
                .size(760, 420).legend(org.knowm.xchart.style.Styler.LegendPosition.InsideNE).series("training (mean over the epoch's batches)", history.epochCosts());
        if (testCosts.length > 0) {
            chart.series("test (after the epoch)", testCosts);
        }
        Path image = Plots.save(chart.render(), setup.out.resolve("train_cost.png"));
        console.printf("%nwrote %s%n", image);
        if (setup.save != null) {
            ModelFile.save(network, setup.save);
            console.printf("saved the trained network to %s%n", setup.save);
        }
        return new Run(kind.classification, loaded.classes, network.toString(), train.size(),
                testSet == null ? 0 : testSet.size(), trainMetrics, testMetrics, history.epochCosts(), testCosts,
                List.of(image));
    }

    private static void print(PrintStream console, String name, int m, Metrics metrics, Kind kind) {
        console.printf(Locale.ROOT, "%-6s %12d %12.6f%s%n", name, m, metrics.cost, kind.classification
                ? String.format(Locale.ROOT, " %9.2f%%", 100 * metrics.accuracy)
                : String.format(Locale.ROOT, " %12.6g %9.4f", metrics.mse, metrics.r2));
    }

    /** Cost, accuracy (classification) or mean squared error and R^2 (regression) on a data set. */
    static Metrics metrics(Network network, Dataset data, Kind kind) {
        double cost = network.cost(data);
        if (kind.classification) {
            return new Metrics(cost, network.accuracy(data), Double.NaN, Double.NaN);
        }
        DMatrixRMaj predicted = network.predict(data.features());
        DMatrixRMaj y = data.labels();
        int n = y.getNumElements();
        int m = y.numCols;
        double squared = 0;
        double total = 0;
        for (int i = 0; i < y.numRows; i++) {
            double mean = 0;
            for (int j = 0; j < m; j++) {
                mean += y.data[i * m + j];
            }
            mean /= m;
            for (int j = 0; j < m; j++) {
                double e = predicted.data[i * m + j] - y.data[i * m + j];
                double d = y.data[i * m + j] - mean;
                squared += e * e;
                total += d * d;
            }
        }
        return new Metrics(cost, Double.NaN, squared / n, total > 0 ? 1 - squared / total : Double.NaN);
    }

    // ---------------------------------------------------------------- reading

    /** The kind of problem and the output layer and loss that suit it. */
    record Kind(boolean classification, String outputActivation, String loss, String description) {
        static Kind binary() {
            return new Kind(true, "sigmoid", "binary_cross_entropy", "binary classification, labels 0/1 (sigmoid output)");
        }

        static Kind multiclass(int k) {
            return new Kind(true, "softmax", "softmax_cross_entropy", k + "-class classification (softmax output), classes");
        }

        static Kind regression(int outputs) {
            return new Kind(false, "identity", "mean_squared_error", "regression of " + outputs + " target"
                    + (outputs == 1 ? "" : "s") + " (identity output)");
        }
    }

    private record Loaded(Dataset train, Dataset test, Kind kind, List<String> classes, String description, boolean idx) {
    }

    /** The most integer classes {@code --task auto} takes for classification. */
    static final int AUTO_MAX_CLASSES = 50;

    private static Loaded load(Setup setup) throws IOException {
        DataSource source = setup.source;
        if (source.isIdx()) {
            return loadIdx(setup);
        }
        if (source.testLabels != null) {
            throw new IllegalArgumentException("--test-labels is for IDX data; a CSV file holds its own labels");
        }
        CsvReader csv = source.csv;
        Task task = setup.task;
        CsvReader.CsvTable table = null;
        if (task != Task.REGRESSION) {
            try {
                table = csv.withLabelEncoding(CsvReader.LabelEncoding.ONE_HOT).read(source.data);
                if (task == Task.AUTO && table.classes().size() > AUTO_MAX_CLASSES && isInteger(table.classes())) {
                    table = null;
                }
            } catch (DataFileException e) {
                // AUTO: labels that are not classes (fractions, negative numbers, a single value) mean regression;
                // any other problem with the file is reported as it is
                if (task == Task.CLASSIFICATION || !e.problem().contains("class label")) {
                    throw e;
                }
            } catch (IllegalArgumentException e) {
                if (task == Task.CLASSIFICATION) {
                    throw e; // e.g. several label columns
                }
            }
        }
        if (table == null) {
            CsvReader.CsvTable values = csv.read(source.data);
            Dataset testSet = source.test == null ? null : csv.read(source.test).data();
            return new Loaded(values.data(), testSet, Kind.regression(values.labelNames().size()), List.of(),
                    "CSV " + source.data + " (labels " + values.labelNames() + ")", false);
        }
        Dataset testSet = null;
        if (source.test != null) {
            testSet = csv.withLabelEncoding(CsvReader.LabelEncoding.ONE_HOT).withClasses(table.classes()).read(source.test).data();
        }
        Dataset train = table.data();
        Kind kind = Kind.multiclass(table.classes().size());
        if (table.classes().size() == 2 && setup.loss == null) {
            train = secondRow(train);
            testSet = testSet == null ? null : secondRow(testSet);
            kind = Kind.binary();
        }
        String description = "CSV " + source.data + " (label " + table.labelNames().get(0) + ")";
        return new Loaded(train, testSet, kind, table.classes(), description, false);
    }

    private static Loaded loadIdx(Setup setup) throws IOException {
        DataSource source = setup.source;
        if (source.labels == null) {
            throw new IllegalArgumentException(source.data + " is an IDX file; give its labels with --labels FILE");
        }
        if (source.test != null && source.testLabels == null) {
            throw new IllegalArgumentException("--test " + source.test + " is IDX data; give its labels with --test-labels FILE");
        }
        IdxReader idx = IdxReader.defaults();
        DMatrixRMaj x = idx.features(source.data, source.limit);
        DMatrixRMaj y = idx.labelRow(source.labels, source.limit);
        DMatrixRMaj testX = source.test == null ? null : idx.features(source.test, source.limit);
        DMatrixRMaj testY = source.test == null ? null : idx.labelRow(source.testLabels, source.limit);
        if (x.numCols != y.numCols) {
            throw new IllegalArgumentException(source.labels + " holds " + y.numCols + " labels but " + source.data + " holds "
                    + x.numCols + " items");
        }
        int max = -1;
        boolean integers = true;
        for (DMatrixRMaj labels : testY == null ? List.of(y) : List.of(y, testY)) {
            for (int j = 0; j < labels.numCols; j++) {
                double v = labels.data[j];
                integers &= v >= 0 && v == Math.rint(v);
                max = integers ? Math.max(max, (int) v) : max;
            }
        }
        boolean classify = setup.task == Task.CLASSIFICATION
                || setup.task == Task.AUTO && integers && max >= 1 && max < AUTO_MAX_CLASSES;
        if (classify && !integers) {
            throw new IllegalArgumentException("--task CLASSIFICATION needs integer labels >= 0; " + source.labels
                    + " holds other values");
        }
        String description = "IDX " + source.data + " with labels " + source.labels;
        if (!classify) {
            return new Loaded(new Dataset(x, y), testX == null ? null : new Dataset(testX, testY), Kind.regression(1),
                    List.of(), description, true);
        }
        int k = max + 1;
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            classes.add(Integer.toString(c));
        }
        if (k == 2 && setup.loss == null) {
            return new Loaded(new Dataset(x, y), testX == null ? null : new Dataset(testX, testY), Kind.binary(), classes,
                    description, true);
        }
        return new Loaded(new Dataset(x, oneHot(y, k)), testX == null ? null : new Dataset(testX, oneHot(testY, k)),
                Kind.multiclass(k), classes, description, true);
    }

    private static DMatrixRMaj oneHot(DMatrixRMaj row, int k) {
        int m = row.numCols;
        DMatrixRMaj y = new DMatrixRMaj(k, m);
        for (int j = 0; j < m; j++) {
            y.data[(int) row.data[j] * m + j] = 1;
        }
        return y;
    }

    /** Row 1 of two one-hot rows: 1 for the second class, 0 for the first. */
    private static Dataset secondRow(Dataset data) {
        DMatrixRMaj y = data.labels();
        DMatrixRMaj row = new DMatrixRMaj(1, y.numCols);
        System.arraycopy(y.data, y.numCols, row.data, 0, y.numCols);
        return new Dataset(data.features(), row);
    }

    private static boolean isInteger(List<String> classes) {
        return classes.stream().allMatch(c -> c.chars().allMatch(Character::isDigit));
    }

    /** IDX files start with two zero bytes, or are gzip (0x1f 0x8b) and are not named .csv. */
    static boolean looksLikeIdx(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            int b0 = in.read();
            int b1 = in.read();
            return b0 == 0 && b1 == 0 || b0 == 0x1f && b1 == 0x8b;
        }
    }

    /** Per-feature mean and standard deviation of the training examples (deviation 1 for a constant feature). */
    static double[][] standardization(Dataset train) {
        DMatrixRMaj x = train.features();
        int m = x.numCols;
        double[] mean = new double[x.numRows];
        double[] deviation = new double[x.numRows];
        for (int i = 0; i < x.numRows; i++) {
            double sum = 0;
            for (int j = 0; j < m; j++) {
                sum += x.data[i * m + j];
            }
            mean[i] = sum / m;
            double squares = 0;
            for (int j = 0; j < m; j++) {
                double d = x.data[i * m + j] - mean[i];
                squares += d * d;
            }
            double sd = Math.sqrt(squares / m);
            deviation[i] = sd > 1e-12 ? sd : 1.0;
        }
        return new double[][] {mean, deviation};
    }

    static Dataset standardized(Dataset data, double[][] stats) {
        DMatrixRMaj x = data.features();
        int m = x.numCols;
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < m; j++) {
                x.data[i * m + j] = (x.data[i * m + j] - stats[0][i]) / stats[1][i];
            }
        }
        return new Dataset(x, data.labels());
    }

    private static String abbreviate(List<String> classes) {
        return classes.size() <= 12 ? classes.toString()
                : classes.subList(0, 10).toString().replace("]", ", ... " + classes.get(classes.size() - 1) + "]");
    }

    /** Cost, and accuracy for classification or MSE and R^2 for regression (NaN where not applicable). */
    record Metrics(double cost, double accuracy, double mse, double r2) {
    }

    /** What one run produced. */
    record Run(boolean classification, List<String> classes, String network, int trainSize, int testSize, Metrics train,
               Metrics test, double[] epochCosts, double[] testCosts, List<Path> images) {
    }
}
