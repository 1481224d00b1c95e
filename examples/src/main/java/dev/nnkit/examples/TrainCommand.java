package dev.nnkit.examples;

import dev.nnkit.Dtype;
import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.data.Pipeline;
import dev.nnkit.data.Scores;
import dev.nnkit.data.Standardizer;
import dev.nnkit.io.DataFileException;
import dev.nnkit.io.ModelFile;
import dev.nnkit.io.NetworkConfigs;
import dev.nnkit.io.formats.CsvReader;
import dev.nnkit.io.formats.IdxReader;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingDivergedException;
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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
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
                "The task comes from --task, or (AUTO) from labels that leave no doubt: class names, or integer classes "
                        + "0..k-1 (k <= 50) each present at least 3 times, are classification (2 classes: sigmoid + "
                        + "binary_cross_entropy; more: softmax + softmax_cross_entropy); mostly fractional values, or several "
                        + "label columns, are regression (identity + mean_squared_error); anything else is refused.",
                "Prints train and test metrics (accuracy, or MSE and R^2), saves the model with its preprocessing (--save; "
                        + "use it with predict and evaluate) and then writes train_cost.png into --out.",
                "Example: train --data xor.csv --layers 16,8 --activation relu --epochs 200 --batch-size 32"},
        footer = {"", "CSV: a header line is detected when no cell of the first line is a number; cells must be finite "
                + "decimal numbers, except class labels, which may be names."})
final class TrainCommand implements Callable<Integer> {

    /** The file name of the cost curve written into {@code --out}. */
    static final String COST_CHART = "train_cost.png";

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

    @Mixin final DtypeOption dtype = new DtypeOption();

    @Mixin final OutputOptions output = new OutputOptions();

    @Option(names = "--config", description = "A JSON network config (format nnkit-network) to build the network from, "
            + "instead of --layers/--activation/--init/--reg/--output-activation/--loss; its optional \"training\" "
            + "section replaces --optimizer/--schedule/--epochs/--batch-size/--seed; --dtype, when given, replaces its "
            + "\"dtype\".")
    Path config;

    @Option(names = "--save", description = "Write the trained network with its preprocessing (feature names, "
            + "standardization, task, classes) to this model file, atomically; checked before training starts.")
    Path save;

    @Mixin final ProgressOptions progress = new ProgressOptions();

    /**
     * Everything a training run needs, independent of where it came from: the flags today, a JSON
     * file tomorrow. {@code dtype} is the number type {@code --dtype} asked for, null when it was not
     * given (float64, or a {@code --config}'s own dtype).
     */
    record Setup(DataSource source, List<Integer> hiddenLayers, String activation, String initializer,
                 List<String> regularizers, String outputActivation, String loss, Hyperparameters hyperparameters,
                 Task task, Scale scale, double testFraction, int logEvery, Path out, Path config, Path save,
                 ProgressOptions progress, Dtype dtype) {
    }

    /** Where the examples come from and how to read them. */
    record DataSource(Path data, Path labels, Path test, Path testLabels, CsvReader csv, int limit) {

        boolean isIdx() throws IOException {
            return labels != null || looksLikeIdx(data);
        }
    }

    @Override
    public Integer call() throws IOException {
        run(setup(), System.out);
        return 0;
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
                output.out, config, save, progress, dtype.given() ? dtype.dtype() : null);
    }

    /**
     * Reads the data, builds and trains the network, prints the metrics, saves the model (with its
     * pipeline) and then writes the cost curve. Every output is checked before the data is read; a
     * picture that cannot be written is a warning, never a lost model.
     */
    static Run run(Setup setup, PrintStream console) throws IOException {
        if (!(setup.testFraction >= 0 && setup.testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction " + setup.testFraction + " must be in [0, 1)");
        }
        for (int units : setup.config == null ? setup.hiddenLayers : List.<Integer>of()) {
            if (units <= 0) {
                throw new IllegalArgumentException("--layers: a hidden layer of " + units + " units; units must be > 0");
            }
        }
        if (setup.config == null) {
            // the plugin names first: an unknown one is refused before the data is read
            PluginRegistry registry = PluginRegistry.defaults();
            registry.create(dev.nnkit.spi.Optimizer.class, setup.hyperparameters.optimizer());
            registry.create(dev.nnkit.spi.Schedule.class, setup.hyperparameters.schedule());
            new HiddenLayerOptions(setup.activation, setup.initializer).check();
        }
        if (setup.source.labels != null && !looksLikeIdx(setup.source.data) && Files.isRegularFile(setup.source.data)) {
            throw new IllegalArgumentException("--labels is for IDX data only; --data " + setup.source.data + " is not an IDX "
                    + "file (a CSV file holds its own labels: choose their column with --label)");
        }
        Map<String, Path> outputs = new java.util.LinkedHashMap<>();
        outputs.put("--save", setup.save);
        outputs.put("the cost chart (in --out)", setup.out.resolve(COST_CHART));
        outputs.put("--out", setup.out);
        Map<String, Path> inputs = new java.util.LinkedHashMap<>();
        inputs.put("--data", setup.source.data);
        inputs.put("--labels", setup.source.labels);
        inputs.put("--test", setup.source.test);
        inputs.put("--test-labels", setup.source.testLabels);
        inputs.put("--config", setup.config);
        CliFiles.requireDistinct(outputs, inputs);
        if (setup.save != null) {
            CliFiles.requireWritable(setup.save, "--save");
        }
        new OutputOptions(setup.out).check();
        Loaded loaded;
        try {
            loaded = load(withReadableSources(setup));
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new RunFailedException(CliFiles.describe(e, "read", setup.source.data), e);
        }
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
        Dataset rawTrain = train;
        Dataset rawTest = testSet;
        boolean standardize = setup.scale == Scale.STANDARD || setup.scale == Scale.AUTO && !loaded.idx;
        Standardizer standardizer = null;
        if (standardize) {
            standardizer = Standardizer.fit(train.features());
            train = standardizer.apply(train);
            testSet = testSet == null ? null : standardizer.apply(testSet);
        }
        Kind kind = loaded.kind;
        Pipeline pipeline = kind.classification
                ? Pipeline.classification(loaded.featureNames, standardizer, loaded.labelNames.get(0), loaded.classes)
                : Pipeline.regression(loaded.featureNames, standardizer, loaded.labelNames);

        Hyperparameters hp = setup.hyperparameters;
        Network network;
        String architecture;
        if (setup.config != null) {
            NetworkConfigs.Document document = NetworkConfigs.read(setup.config, PluginRegistry.defaults());
            NetworkConfig config = setup.dtype == null ? document.network() : document.network().withDtype(setup.dtype);
            network = Network.fromConfig(config, PluginRegistry.defaults());
            hp = document.training().orElse(hp);
            architecture = "from " + setup.config;
        } else {
            String outputActivation = setup.outputActivation != null ? setup.outputActivation : kind.outputActivation;
            String loss = setup.loss != null ? setup.loss : kind.loss;
            Network.Builder builder = Network.builder(train.inputSize()).activation(setup.activation)
                    .initializer(setup.initializer).regularizers(setup.regularizers.toArray(String[]::new)).loss(loss)
                    .seed(hp.seed()).dtype(setup.dtype == null ? Dtype.FLOAT64 : setup.dtype);
            for (int units : setup.hiddenLayers) {
                builder.dense(units);
            }
            network = builder.dense(train.outputSize(), outputActivation).build();
            architecture = "init " + setup.initializer
                    + (setup.regularizers.isEmpty() ? "" : "; hidden regularizers " + setup.regularizers);
        }
        try {
            pipeline.requireFits(network.config().inputSize(), network.units(network.depth()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the network " + network + " does not fit the data: " + e.getMessage(), e);
        }

        console.printf(Locale.ROOT, "data: %s, %d training and %s test examples%s, %d feature%s%s%n", loaded.description,
                train.size(), testSet == null ? "no" : Integer.toString(testSet.size()), split, train.inputSize(),
                train.inputSize() == 1 ? "" : "s",
                standardize ? ", standardized with the training mean and deviation (saved with the model)" : "");
        console.printf(Locale.ROOT, "task: %s%s%s%n", kind.description, loaded.classes.isEmpty() ? ""
                : " " + abbreviate(loaded.classes), loaded.taskReason.isEmpty() ? "" : " (" + loaded.taskReason + ")");
        console.printf(Locale.ROOT, "network %s; %s%n", network, architecture);
        Hyperparameters training = hp;
        int batch = hp.batchSize() == 0 || hp.batchSize() >= train.size() ? train.size() : hp.batchSize();
        // the network line above already ends with the dtype when it is float32
        console.printf(Locale.ROOT, "%d epochs, %s, %s%s, seed %d%n%n", hp.epochs(),
                batch == train.size() ? "full batch" : "mini-batches of " + hp.batchSize(),
                hp.optimizer(), hp.schedule().equals(Hyperparameters.CONSTANT_SCHEDULE) ? "" : ", schedule " + hp.schedule(),
                hp.seed());

        int every = setup.logEvery > 0 ? setup.logEvery : Math.max(1, training.epochs() / 10);
        Dataset heldOut = testSet;
        double[] testCosts = new double[heldOut == null ? 0 : training.epochs()];
        // why the per-epoch test cost stopped (out of memory on a large network, say): the training goes on
        String[] testCostFailure = new String[1];
        long start = System.nanoTime();
        TrainingHistory history;
        try {
            history = new Trainer(training).listener(setup.progress == null ? new TrainingListener() { }
                    : setup.progress.listener(train.size(), batch, System.err)).listener(new TrainingListener() {
                @Override
                public void onEpochEnd(TrainingContext context) {
                    int epoch = context.epoch();
                    double meanCost = context.epochCost();
                    if (heldOut != null && testCostFailure[0] == null) {
                        try {
                            testCosts[epoch - 1] = network.cost(heldOut);
                        } catch (OutOfMemoryError | RuntimeException e) {
                            testCostFailure[0] = e instanceof OutOfMemoryError ? "the JVM ran out of memory (at most "
                                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB, -Xmx)" : e.getMessage();
                        }
                    }
                    if (testCostFailure[0] != null && heldOut != null) {
                        testCosts[epoch - 1] = Double.NaN;
                    }
                    if (epoch == 1 || epoch % every == 0 || epoch == training.epochs()) {
                        console.printf(Locale.ROOT, "epoch %d/%d: cost %s%s%n", epoch, training.epochs(), cost(meanCost),
                                heldOut == null || testCostFailure[0] != null ? "" : ", test cost " + cost(testCosts[epoch - 1]));
                    }
                }
            }).fit(network, train);
        } catch (TrainingDivergedException e) {
            throw new RunFailedException("the training run failed, so no model was saved"
                    + (setup.save == null ? "" : " to " + setup.save) + ":\n" + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (testCostFailure[0] != null) {
            System.err.println("warning: the test cost after each epoch could not be computed, so it is left out: "
                    + testCostFailure[0]);
        }
        // the model first: a report that fails (out of memory on a large network, say) loses nothing
        boolean saved = false;
        if (setup.save != null) {
            try {
                Path folder = setup.save.toAbsolutePath().getParent();
                if (folder != null) {
                    Files.createDirectories(folder);
                }
                ModelFile.save(network, pipeline, setup.save);
            } catch (IOException e) {
                throw new RunFailedException(CliFiles.describe(e, "write", setup.save), e);
            }
            saved = true;
            console.printf("%nsaved the trained network and its pipeline to %s%n", setup.save);
        }
        Metrics trainMetrics;
        Metrics testMetrics;
        try {
            trainMetrics = metrics(network, train, kind);
            testMetrics = testSet == null ? null : metrics(network, testSet, kind);
        } catch (RuntimeException | OutOfMemoryError e) {
            if (!saved) {
                throw e;
            }
            String why = e instanceof OutOfMemoryError ? "the JVM ran out of memory (at most "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB, -Xmx)" : e.getMessage();
            throw new RunFailedException("the model was saved to " + setup.save + ", but its train and test metrics could "
                    + "not be computed: " + why + "; evaluate it with: evaluate --model " + setup.save + " --data FILE", e);
        }
        console.printf(Locale.ROOT, "%ntrained in %.1f s%n%n", seconds);
        console.printf(Locale.ROOT, "%-6s %12s %12s%s%n", "set", "examples", "cost J",
                kind.classification ? String.format(Locale.ROOT, " %10s", "accuracy")
                        : String.format(Locale.ROOT, " %12s %9s", "MSE", "R^2"));
        print(console, "train", train.size(), trainMetrics, kind);
        if (testMetrics != null) {
            print(console, "test", testSet.size(), testMetrics, kind);
        }
        List<String> warnings = warnings(history.epochCosts(), kind, testMetrics != null ? testMetrics : trainMetrics,
                testMetrics != null ? testSet : train, testMetrics != null ? "test" : "training", training, trainMetrics);
        for (String warning : warnings) {
            System.err.println("warning: " + warning);
        }

        List<Path> images = new ArrayList<>();
        Path image = setup.out.resolve(COST_CHART);
        try {
            Plots.LineChart chart = Plots.lineChart("Cost per epoch", "epoch", "cost J (log scale)").logY()
                    .size(760, 420).legend(org.knowm.xchart.style.Styler.LegendPosition.InsideNE)
                    .series("training (mean over the epoch's batches)", history.epochCosts());
            if (testCosts.length > 0 && testCostFailure[0] == null) {
                chart.series("test (after the epoch)", testCosts);
            }
            CliFiles.writePng(chart.render(), image);
            images.add(image);
            console.printf("%nwrote %s%n", image);
        } catch (IOException | RuntimeException e) {
            String why = e instanceof IOException io ? CliFiles.describe(io, "write", image) : e.toString();
            System.err.println("warning: the cost curve was not written: " + why
                    + (setup.save == null ? "" : "; the model was saved to " + setup.save));
        }
        return new Run(kind.classification, loaded.classes, network.toString(), train.size(),
                testSet == null ? 0 : testSet.size(), trainMetrics, testMetrics, history.epochCosts(), testCosts,
                images, network, pipeline, rawTrain, rawTest, warnings);
    }

    /** The cost as a number a reader takes in: fixed-point when moderate, else with an exponent. */
    static String cost(double value) {
        return Math.abs(value) < 1e6 && (value == 0 || Math.abs(value) >= 1e-4)
                ? String.format(Locale.ROOT, "%.6f", value) : String.format(Locale.ROOT, "%.4g", value);
    }

    /** How much below the first epoch's cost the last one must be for the run to count as learning: 0.1 %. */
    static final double MIN_RELATIVE_IMPROVEMENT = 1e-3;

    /**
     * A run that got worse or did not learn, or ended where guessing would: the final epoch's cost
     * not below the first's by at least {@value #MIN_RELATIVE_IMPROVEMENT} of it (a cost that moved
     * in its sixth digit did not learn), classification accuracy no better than always answering
     * the most frequent class, or regression R^2 <= 0 on the training part (no better than always
     * answering the mean of the targets).
     */
    static List<String> warnings(double[] epochCosts, Kind kind, Metrics metrics, Dataset data, String set,
                                 Hyperparameters hp, Metrics trainMetrics) {
        List<String> out = new ArrayList<>();
        String rate = "optimizer " + hp.optimizer() + (hp.schedule().equals(Hyperparameters.CONSTANT_SCHEDULE) ? ""
                : ", schedule " + hp.schedule());
        int n = epochCosts.length;
        if (n >= 2 && !(epochCosts[n - 1] <= epochCosts[0] - MIN_RELATIVE_IMPROVEMENT * Math.abs(epochCosts[0]))) {
            boolean worse = epochCosts[n - 1] > epochCosts[0];
            out.add(String.format(Locale.ROOT, "the run %s: the cost went from %s (epoch 1) to %s (epoch %d) with %s; try "
                    + "a learning rate ten times %s", worse ? "got worse" : "did not learn (the cost fell by less than 0.1 %)",
                    cost(epochCosts[0]), cost(epochCosts[n - 1]), n, rate, worse ? "smaller" : "larger, or more epochs"));
        }
        if (!kind.classification && trainMetrics != null && trainMetrics.r2 <= 0) {
            out.add(String.format(Locale.ROOT, "the training R^2 %.4f is <= 0: the network predicts the training targets no "
                    + "better than their mean does, so it learned nothing useful (%s); try another learning rate, more "
                    + "epochs or more units", trainMetrics.r2, rate));
        }
        if (kind.classification && data != null) {
            DMatrixRMaj y = data.labels();
            int m = y.numCols;
            double majority;
            if (y.numRows == 1) {
                double ones = 0;
                for (int j = 0; j < m; j++) {
                    ones += y.data[j];
                }
                majority = Math.max(ones, m - ones) / m;
            } else {
                double best = 0;
                for (int c = 0; c < y.numRows; c++) {
                    double count = 0;
                    for (int j = 0; j < m; j++) {
                        count += y.data[c * m + j];
                    }
                    best = Math.max(best, count);
                }
                majority = best / m;
            }
            if (metrics.accuracy <= majority + 1e-9) {
                out.add(String.format(Locale.ROOT, "the %s accuracy %.2f %% is no better than always answering the most "
                        + "frequent class (%.2f %%): the network learned nothing useful (%s); try another learning rate, "
                        + "more epochs or more units", set, 100 * metrics.accuracy, 100 * majority, rate));
            }
        }
        return out;
    }

    private static void print(PrintStream console, String name, int m, Metrics metrics, Kind kind) {
        console.printf(Locale.ROOT, "%-6s %12d %12s%s%n", name, m, cost(metrics.cost), kind.classification
                ? String.format(Locale.ROOT, " %9.2f%%", 100 * metrics.accuracy)
                : String.format(Locale.ROOT, " %12.6g %9.4f", metrics.mse, metrics.r2));
    }

    /** Cost, accuracy (classification) or mean squared error and R^2 (regression) on a data set. */
    static Metrics metrics(Network network, Dataset data, Kind kind) {
        double cost = network.cost(data);
        if (kind.classification) {
            return new Metrics(cost, network.accuracy(data), Double.NaN, Double.NaN);
        }
        Scores.Regression scores = Scores.regression(data.labels(), network.predict(data.features()));
        return new Metrics(cost, Double.NaN, scores.mse(), scores.r2());
    }

    /** The setup with every data file checked, and a pipe or standard input copied so that it can be read twice. */
    private static Setup withReadableSources(Setup setup) throws IOException {
        DataSource s = setup.source;
        DataSource readable = new DataSource(CliFiles.readable(s.data, "--data"),
                s.labels == null ? null : CliFiles.readable(s.labels, "--labels"),
                s.test == null ? null : CliFiles.readable(s.test, "--test"),
                s.testLabels == null ? null : CliFiles.readable(s.testLabels, "--test-labels"), s.csv, s.limit);
        if (setup.config != null) {
            CliFiles.requireReadable(setup.config, "--config");
        }
        return new Setup(readable, setup.hiddenLayers, setup.activation, setup.initializer, setup.regularizers,
                setup.outputActivation, setup.loss, setup.hyperparameters, setup.task, setup.scale, setup.testFraction,
                setup.logEvery, setup.out, setup.config, setup.save, setup.progress, setup.dtype);
    }

    // ---------------------------------------------------------------- reading

    /** The kind of problem and the output layer and loss that suit it. */
    record Kind(boolean classification, String outputActivation, String loss, String description) {
        static Kind binary() {
            return new Kind(true, "sigmoid", "binary_cross_entropy", "binary classification (sigmoid output), classes");
        }

        static Kind multiclass(int k) {
            return new Kind(true, "softmax", "softmax_cross_entropy", k + "-class classification (softmax output), classes");
        }

        static Kind regression(int outputs) {
            return new Kind(false, "identity", "mean_squared_error", "regression of " + outputs + " target"
                    + (outputs == 1 ? "" : "s") + " (identity output)");
        }
    }

    private record Loaded(Dataset train, Dataset test, Kind kind, List<String> classes, String description, boolean idx,
                          List<String> featureNames, List<String> labelNames, String taskReason) {
    }

    /** The most integer classes {@code --task AUTO} takes for classification. */
    static final int AUTO_MAX_CLASSES = 50;
    /** How often {@code --task AUTO} wants to see each integer class. */
    static final int AUTO_MIN_PER_CLASS = 3;

    /**
     * The task the labels ask for: {@code requested} unless it is AUTO; for AUTO, classification when
     * the labels are integer classes {@code 0..k-1} ({@code 2 <= k <=} {@value #AUTO_MAX_CLASSES}) each
     * present at least {@value #AUTO_MIN_PER_CLASS} times, regression when at least half of them are
     * fractions and there are at least 10 distinct values, and otherwise a refusal that shows what was
     * found and names the flag.
     *
     * @return the task and, for AUTO, the reason in a few words
     */
    static Map.Entry<Task, String> decideTask(double[] labels, Task requested, String where) {
        TreeMap<Double, Integer> counts = new TreeMap<>();
        int fractions = 0;
        boolean nonNegativeIntegers = true;
        for (double v : labels) {
            counts.merge(v, 1, Integer::sum);
            boolean integer = v == Math.rint(v);
            fractions += integer ? 0 : 1;
            nonNegativeIntegers &= integer && v >= 0 && v < Integer.MAX_VALUE;
        }
        if (requested == Task.REGRESSION) {
            return Map.entry(Task.REGRESSION, "");
        }
        if (requested == Task.CLASSIFICATION) {
            if (!nonNegativeIntegers) {
                double bad = counts.keySet().stream().filter(v -> v != Math.rint(v) || v < 0).findFirst().orElse(Double.NaN);
                throw new IllegalArgumentException("--task CLASSIFICATION needs class labels that are names or integers >= 0; "
                        + where + " holds " + number(bad) + " (" + summary(counts, labels.length) + ")");
            }
            return Map.entry(Task.CLASSIFICATION, "");
        }
        int k = counts.isEmpty() ? 0 : (int) (double) counts.lastKey() + 1;
        int fewest = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        if (nonNegativeIntegers && k == counts.size() && k >= 2 && k <= AUTO_MAX_CLASSES && fewest >= AUTO_MIN_PER_CLASS) {
            return Map.entry(Task.CLASSIFICATION, "--task AUTO: every label is a class 0.." + (k - 1) + ", each at least "
                    + AUTO_MIN_PER_CLASS + " times");
        }
        if (2 * fractions >= labels.length && counts.size() >= 10) {
            return Map.entry(Task.REGRESSION, "--task AUTO: the labels are mostly fractions, " + counts.size()
                    + (counts.size() >= 1000 ? "+" : "") + " distinct values");
        }
        String why;
        if (counts.size() == 1) {
            why = "every label is " + number(counts.firstKey());
        } else if (nonNegativeIntegers && k != counts.size()) {
            why = "integer labels but classes " + missing(counts, k) + " of 0.." + (k - 1) + " never occur";
        } else if (nonNegativeIntegers && k > AUTO_MAX_CLASSES) {
            why = k + " integer classes, more than the " + AUTO_MAX_CLASSES + " that AUTO takes for classification";
        } else if (nonNegativeIntegers) {
            why = "a class occurs only " + fewest + " time" + (fewest == 1 ? "" : "s");
        } else if (fractions > 0) {
            why = "mostly whole numbers with " + fractions + " fraction" + (fractions == 1 ? "" : "s");
        } else {
            why = "negative whole numbers";
        }
        throw new IllegalArgumentException("cannot tell the task from the labels of " + where + ": " + why + " ("
                + summary(counts, labels.length) + "); set --task CLASSIFICATION or --task REGRESSION");
    }

    private static String missing(TreeMap<Double, Integer> counts, int k) {
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < k && out.size() < 6; c++) {
            if (!counts.containsKey((double) c)) {
                out.add(c);
            }
        }
        return out.toString().replace("[", "").replace("]", "") + (out.size() == 6 ? ", ..." : "");
    }

    /** {@code 200 labels, 3 distinct: 1 x103, 0 x96, 0.5 x1}. */
    private static String summary(TreeMap<Double, Integer> counts, int m) {
        List<Map.Entry<Double, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> b.getValue() - a.getValue() != 0 ? b.getValue() - a.getValue() : Double.compare(a.getKey(), b.getKey()));
        StringBuilder out = new StringBuilder(m + " labels, " + counts.size() + " distinct: ");
        for (int i = 0; i < Math.min(6, entries.size()); i++) {
            out.append(i == 0 ? "" : ", ").append(number(entries.get(i).getKey())).append(" x").append(entries.get(i).getValue());
        }
        return out.append(entries.size() > 6 ? ", ..." : "").toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

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
        CsvReader.CsvTable values = null;
        try {
            values = read(csv, source.data);
        } catch (DataFileException e) {
            // labels that are names, not numbers: classification whatever AUTO would say
            if (task == Task.REGRESSION || !(e.problem().startsWith("label ") && e.problem().contains("is not a number"))) {
                throw e;
            }
        }
        if (values != null && values.labelNames().size() > 1) {
            if (task == Task.CLASSIFICATION) {
                throw new IllegalArgumentException("--task CLASSIFICATION takes one label column (of class names or "
                        + "integers); --label gives " + values.labelNames().size() + ": " + values.labelNames());
            }
            return regression(values, source, "several label columns " + values.labelNames() + ", one target each");
        }
        String where = values == null ? "" : "column '" + values.labelNames().get(0) + "' of "
                + CliFiles.displayName(source.data);
        Map.Entry<Task, String> decided = values == null ? Map.entry(Task.CLASSIFICATION, "the labels are names")
                : decideTask(values.data().labels().data, task, where);
        if (decided.getKey() == Task.REGRESSION) {
            return regression(values, source, decided.getValue());
        }
        CsvReader.CsvTable table = read(csv.withLabelEncoding(CsvReader.LabelEncoding.ONE_HOT), source.data);
        Dataset testSet = null;
        if (source.test != null) {
            testSet = read(csv.withLabelEncoding(CsvReader.LabelEncoding.ONE_HOT).withClasses(table.classes()), source.test)
                    .data();
        }
        Dataset train = table.data();
        Kind kind = Kind.multiclass(table.classes().size());
        if (table.classes().size() == 2 && setup.loss == null) {
            train = secondRow(train);
            testSet = testSet == null ? null : secondRow(testSet);
            kind = Kind.binary();
        }
        String description = "CSV " + CliFiles.displayName(source.data) + " (label " + table.labelNames().get(0) + ")";
        return new Loaded(train, testSet, kind, table.classes(), description, false, unique(table.featureNames()),
                table.labelNames(), values == null && task == Task.AUTO ? "--task AUTO: the labels are names"
                : decided.getValue());
    }

    private static Loaded regression(CsvReader.CsvTable values, DataSource source, String reason) throws IOException {
        Dataset testSet = source.test == null ? null : read(source.csv, source.test).data();
        return new Loaded(values.data(), testSet, Kind.regression(values.labelNames().size()), List.of(),
                "CSV " + CliFiles.displayName(source.data) + " (labels " + values.labelNames() + ")", false,
                unique(values.featureNames()),
                values.labelNames(), reason);
    }

    /** Reads a CSV file, naming it in messages as the user gave it (a pipe's copy by the pipe). */
    private static CsvReader.CsvTable read(CsvReader csv, Path file) throws IOException {
        String name = CliFiles.displayName(file);
        if (name.equals(file.toString())) {
            return csv.read(file);
        }
        try (java.io.Reader in = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            return csv.read(in, name);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(name + ": the file is not UTF-8 text: is it a binary file?", e);
        }
    }

    /** Header names made distinct for the pipeline: a repeated name gets its column number. */
    private static List<String> unique(List<String> names) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).isBlank() ? "feature " + i : names.get(i);
            out.add(seen.add(name) ? name : name + " #" + i);
        }
        return out;
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
        List<String> features = new ArrayList<>();
        for (int i = 0; i < x.numRows; i++) {
            features.add("pixel " + i);
        }
        Map.Entry<Task, String> decided = decideTask(y.data, setup.task, source.labels.toString());
        String description = "IDX " + source.data + " with labels " + source.labels;
        if (decided.getKey() == Task.REGRESSION) {
            return new Loaded(new Dataset(x, y), testX == null ? null : new Dataset(testX, testY), Kind.regression(1),
                    List.of(), description, true, features, List.of("label"), decided.getValue());
        }
        int max = 0;
        for (DMatrixRMaj labels : testY == null ? List.of(y) : List.of(y, testY)) {
            for (int j = 0; j < labels.numCols; j++) {
                max = Math.max(max, (int) labels.data[j]);
            }
        }
        int k = max + 1;
        if (testY != null) {
            decideTask(testY.data, Task.CLASSIFICATION, source.testLabels.toString());
            int trainK = (int) java.util.Arrays.stream(y.data, 0, y.numCols).max().orElse(0) + 1;
            if (k > trainK) {
                throw new IllegalArgumentException(source.testLabels + " holds class " + (k - 1) + " but the training labels "
                        + source.labels + " have classes 0.." + (trainK - 1));
            }
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            classes.add(Integer.toString(c));
        }
        if (k == 2 && setup.loss == null) {
            return new Loaded(new Dataset(x, y), testX == null ? null : new Dataset(testX, testY), Kind.binary(), classes,
                    description, true, features, List.of("label"), decided.getValue());
        }
        return new Loaded(new Dataset(x, oneHot(y, k)), testX == null ? null : new Dataset(testX, oneHot(testY, k)),
                Kind.multiclass(k), classes, description, true, features, List.of("label"), decided.getValue());
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

    /** IDX files start with two zero bytes, or are gzip (0x1f 0x8b) and are not named .csv. */
    static boolean looksLikeIdx(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            int b0 = in.read();
            int b1 = in.read();
            return b0 == 0 && b1 == 0 || b0 == 0x1f && b1 == 0x8b;
        }
    }

    private static String abbreviate(List<String> classes) {
        return classes.size() <= 12 ? classes.toString()
                : classes.subList(0, 10).toString().replace("]", ", ... " + classes.get(classes.size() - 1) + "]");
    }

    /** Cost, and accuracy for classification or MSE and R^2 for regression (NaN where not applicable). */
    record Metrics(double cost, double accuracy, double mse, double r2) {
    }

    /**
     * What one run produced, with the trained network, its pipeline and the raw (not standardized)
     * training and test examples.
     */
    record Run(boolean classification, List<String> classes, String network, int trainSize, int testSize, Metrics train,
               Metrics test, double[] epochCosts, double[] testCosts, List<Path> images, Network model, Pipeline pipeline,
               Dataset rawTrain, Dataset rawTest, List<String> warnings) {
    }
}
