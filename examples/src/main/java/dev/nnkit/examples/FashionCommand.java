package dev.nnkit.examples;

import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.io.formats.IdxReader;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingHistory;
import dev.nnkit.training.TrainingListener;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Real data: Fashion-MNIST (Zalando, 60,000 training and 10,000 test images of 28 x 28 grey
 * pixels, ten classes of clothing), read from the IDX files with {@link IdxReader}. A multilayer
 * perceptron, every part chosen by name, is trained with mini-batches; the command reports the
 * test accuracy, the accuracy per class, the confusion matrix, and writes the cost curve.
 * The published reference points: an MLP 256-128-100 at 0.8833, scikit-learn's MLPClassifier at
 * about 0.87-0.88.
 *
 * <p>{@code --batch-norm} inserts {@code batch_norm} after each hidden dense layer (which then has
 * the identity activation): {@code dense(identity) -> batch_norm -> activation}.
 * {@code --compare-batch-norm} trains the network twice, without and with it, with the same seed,
 * optimizer and schedule, and reports the first epoch at which each reaches {@code --target} test
 * accuracy.
 *
 * <p>The learning rate follows a schedule in one run: by default
 * {@code step_decay(every=6, factor=0.1)}, the last {@code --fine-tune-epochs} (2) of the 8 epochs at a
 * tenth of Adam's rate, with Adam's moments kept across the drop; {@code --schedule} chooses any
 * other.
 */
@Command(name = "fashion", mixinStandardHelpOptions = true,
        description = {"Trains a multilayer perceptron on Fashion-MNIST (default 784-256-128-10, relu, he_normal, "
                + "dropout on the hidden layers, softmax, adam, mini-batches of 128) and reports the test accuracy, the "
                + "accuracy per class and the confusion matrix.",
                "Reads the IDX files (gzip or not) from --data, by default /usr/share/datasets/fashion-mnist "
                        + "(Debian/Ubuntu: apt-get install dataset-fashion-mnist).",
                "Writes fashion_training.png and fashion_confusion.png into --out; with --compare-batch-norm, "
                        + "fashion_batchnorm.png instead."})
final class FashionCommand implements Callable<Integer> {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    static final Path DEFAULT_DATA = Path.of("/usr/share/datasets/fashion-mnist");
    /** The file names of the data set, without the optional {@code .gz}. */
    static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    /** The ten classes, in label order. */
    static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    @Spec
    CommandSpec spec;

    @Option(names = "--data", description = "Folder with the four IDX files, .gz or not (default: " + "${DEFAULT-VALUE}).",
            defaultValue = "/usr/share/datasets/fashion-mnist")
    Path data;

    @Option(names = "--hidden", split = ",", defaultValue = "256,128",
            description = "Units of the hidden layers, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Mixin final HiddenLayerOptions hiddenLayers = new HiddenLayerOptions("relu", "he_normal");

    @Option(names = "--reg", split = ";", defaultValue = "dropout(keep_prob=0.9)",
            description = "Regularizers of the hidden layers, separated by ';'; 'none' for none (default: ${DEFAULT-VALUE}).")
    List<String> regularizers;

    @Option(names = "--output-activation", defaultValue = "softmax",
            description = "Activation of the output layer (default: ${DEFAULT-VALUE}).")
    String outputActivation;

    @Option(names = "--loss", defaultValue = "softmax_cross_entropy", description = "Loss (default: ${DEFAULT-VALUE}).")
    String loss;

    @Mixin final MiniBatchOptions miniBatch = new MiniBatchOptions("adam(learning_rate=0.001)", 8, 128);

    @Option(names = "--fine-tune-epochs", defaultValue = "2",
            description = "The last N of --epochs run with the learning rate divided by 10: shorthand for --schedule "
                    + "step_decay(every=<epochs - N>, factor=0.1), the optimizer's moments kept; 0 keeps one rate "
                    + "(default: ${DEFAULT-VALUE}). Not together with --schedule.")
    int fineTuneEpochs;

    @Option(names = "--schedule",
            description = "Learning-rate schedule from the optimizer's learning_rate, e.g. cosine(epochs=8), "
                    + "exponential(rate=0.8) or warmup(steps=500, then=step_decay(every=6, factor=0.1)); replaces "
                    + "--fine-tune-epochs (default: step_decay(every=6, factor=0.1), from --fine-tune-epochs 2 of --epochs 8).")
    String schedule;

    @Option(names = "--limit", defaultValue = "0",
            description = "Use only the first N training images, e.g. for a quick try; 0 = all 60,000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--test-limit", defaultValue = "0",
            description = "Use only the first N test images; 0 = all 10,000 (default: ${DEFAULT-VALUE}).")
    int testLimit;

    @Option(names = "--batch-norm", description = "Insert batch_norm after each hidden dense layer: dense(identity) -> "
            + "batch_norm -> activation. Regularizers that act on activations (dropout) act after batch norm's "
            + "activation; weight penalties stay on the dense weights.")
    boolean batchNorm;

    @Option(names = "--compare-batch-norm", description = "Train twice, without and with --batch-norm (same seed, "
            + "optimizer and schedule), print both test-accuracy curves and the first epoch at which each reaches "
            + "--target; writes fashion_batchnorm.png.")
    boolean compareBatchNorm;

    @Option(names = "--target", defaultValue = "0.88",
            description = "The test accuracy whose first epoch --compare-batch-norm reports (default: ${DEFAULT-VALUE}).")
    double target;

    /** {@code --no-progress}; the bar is drawn only on a terminal, the per-epoch lines always. */
    @Mixin final ProgressOptions progress = new ProgressOptions();

    /** {@code --seed}, set by {@link #seedOption}. */
    long seed;

    @Mixin final SeedOption seedOption = new SeedOption(seed -> this.seed = seed);

    @Mixin final DtypeOption dtype = new DtypeOption();

    @Mixin final OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws IOException {
        try {
            if (compareBatchNorm) {
                compare(System.out);
            } else {
                run(System.out);
            }
            return 0;
        } catch (MissingDataException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
    }

    /** The four files in {@code dir} (each {@code name.gz} or {@code name}), or a message saying how to get them. */
    static List<Path> locate(Path dir) throws MissingDataException {
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : FILES) {
            Path gz = dir.resolve(name + ".gz");
            Path plain = dir.resolve(name);
            if (Files.isRegularFile(gz)) {
                found.add(gz);
            } else if (Files.isRegularFile(plain)) {
                found.add(plain);
            } else {
                missing.add(name + ".gz");
            }
        }
        if (!missing.isEmpty()) {
            throw new MissingDataException("Fashion-MNIST was not found in " + dir + ": missing " + String.join(", ", missing)
                    + ".\nTo get it, either install the Debian/Ubuntu package (files in " + DEFAULT_DATA + "):\n"
                    + "    sudo apt-get install dataset-fashion-mnist\n"
                    + "or download the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,\n"
                    + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from\n"
                    + "    https://github.com/zalandoresearch/fashion-mnist (folder data/fashion)\n"
                    + "into a folder and pass it with --data FOLDER.");
        }
        return found;
    }

    /** The training and test sets and the seconds it took to read them. */
    private record Data(Dataset train, Dataset test, double loadSeconds) {
    }

    private Data load() throws IOException {
        List<Path> files = locate(data);
        long start = System.nanoTime();
        IdxReader idx = IdxReader.defaults();
        Dataset train = idx.dataset(files.get(0), files.get(1), 10, limit);
        Dataset test = idx.dataset(files.get(2), files.get(3), 10, testLimit);
        return new Data(train, test, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The epochs run with the learning rate divided by 10: {@code --fine-tune-epochs}; its default
     * (2) shrinks to {@code epochs - 1} for a short run, a value the user gave is refused instead
     * ({@link #scheduleSpec}).
     */
    private int fineEpochs() {
        return Math.max(0, Math.min(fineTuneEpochs, miniBatch.epochs - 1));
    }

    /**
     * The schedule spec: {@code --schedule}, or the step decay {@code --fine-tune-epochs} describes
     * ({@code constant} for 0).
     *
     * @throws IllegalArgumentException when both are given
     */
    String scheduleSpec() {
        if (schedule != null) {
            if (spec != null && spec.commandLine().getParseResult() != null
                    && spec.commandLine().getParseResult().hasMatchedOption("--fine-tune-epochs")) {
                throw new IllegalArgumentException("--schedule " + schedule + " and --fine-tune-epochs " + fineTuneEpochs
                        + " both set the learning rate; give one (--fine-tune-epochs N is --schedule "
                        + "step_decay(every=<epochs - N>, factor=0.1))");
            }
            return schedule;
        }
        if (fineTuneEpochs < 0 || fineTuneEpochs >= miniBatch.epochs && spec != null
                && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption("--fine-tune-epochs")) {
            throw new IllegalArgumentException("--fine-tune-epochs " + fineTuneEpochs + " must be in [0, --epochs " + miniBatch.epochs
                    + "): the fine-tuning epochs are the last ones of --epochs, after at least one at the full rate");
        }
        int fine = fineEpochs();
        return fine == 0 ? "constant" : "step_decay(every=" + (miniBatch.epochs - fine) + ", factor=0.1)";
    }

    /**
     * Refuses a schedule spec the registry cannot make, or a {@code --dtype} that is not known, before
     * the data is read, with the registry's or {@link DtypeOption}'s message.
     */
    private void checkSettings() {
        PluginRegistry.defaults().create(dev.nnkit.spi.Schedule.class, scheduleSpec());
        dtype.dtype();
    }

    /** How the rate is scheduled, for the console, e.g. "adam(...), schedule step_decay(...): the rate / 10 after epoch 6". */
    private String trainingDescription() {
        String scheduled = scheduleSpec();
        String text = miniBatch.optimizer + (scheduled.equals("constant") ? "" : ", schedule " + scheduled);
        return schedule == null && fineEpochs() > 0
                ? text + String.format(Locale.ROOT, ": the rate / 10 after epoch %d", miniBatch.epochs - fineEpochs()) : text;
    }

    /** The schedule in a picture's title: empty for a constant rate. */
    private String scheduleNote() {
        if (schedule == null) {
            return fineEpochs() > 0
                    ? String.format(Locale.ROOT, " (learning rate / 10 after epoch %d)", miniBatch.epochs - fineEpochs()) : "";
        }
        return schedule.equals("constant") ? "" : " (schedule " + schedule + ")";
    }

    /** Loads the data, trains, evaluates, prints the tables and writes the pictures. */
    Run run(PrintStream console) throws IOException {
        checkSettings();
        Data loaded = load();
        Dataset train = loaded.train();
        Dataset test = loaded.test();
        double loadSeconds = loaded.loadSeconds();

        Network network = network(batchNorm);
        String scheduled = scheduleSpec();
        checkBatchNormBatches(batchNorm, train.size());
        console.printf(Locale.ROOT, "Fashion-MNIST from %s: %d training and %d test images of 28 x 28 pixels scaled to [0, 1] "
                + "(read in %.1f s)%n", data, train.size(), test.size(), loadSeconds);
        console.printf(Locale.ROOT, "network %s; init %s; hidden regularizers %s%n", network, hiddenLayers.initializer,
                hiddenRegularizers());
        console.printf(Locale.ROOT, "%d epochs of mini-batches of %d, seed %d%s: %s%n%n", miniBatch.epochs,
                miniBatch.batchSize, seed, DtypeOption.note(network.dtype()), trainingDescription());

        Training training = train(network, train, test, console);
        double trainSeconds = training.seconds();
        double[] steps = training.stepCosts();
        double[] epochMeans = training.epochCosts();
        EpochMonitor monitor = training.monitor();

        int[] predicted = classifyInChunks(network, test);
        int[][] confusion = confusion(predicted, test.labels());
        double accuracy = network.accuracy(test);
        double trainAccuracy = network.accuracy(train);
        console.printf(Locale.ROOT, "%ntest accuracy %.4f (train %.4f) after %d epochs; training took %.1f s (%.0f samples/s)%n%n",
                accuracy, trainAccuracy, miniBatch.epochs, trainSeconds,
                (double) miniBatch.epochs * train.size() / trainSeconds);
        double[] perClass = new double[10];
        console.printf(Locale.ROOT, "%-12s %9s %7s   %s%n", "class", "accuracy", "images", "most often mistaken for");
        for (int i = 0; i < 10; i++) {
            int total = 0;
            int worst = -1;
            for (int j = 0; j < 10; j++) {
                total += confusion[i][j];
                if (j != i && (worst < 0 || confusion[i][j] > confusion[i][worst])) {
                    worst = j;
                }
            }
            perClass[i] = total == 0 ? Double.NaN : (double) confusion[i][i] / total;
            console.printf(Locale.ROOT, "%-12s %8.2f%% %7d   %s%n", CLASS_NAMES.get(i), 100 * perClass[i], total,
                    total == 0 || confusion[i][worst] == 0 ? "-"
                            : String.format(Locale.ROOT, "%s (%d)", CLASS_NAMES.get(worst), confusion[i][worst]));
        }
        console.printf("%nconfusion matrix (rows: true class, columns: predicted class)%n");
        console.print(formatConfusion(confusion));

        List<Path> images = List.of(trainingPicture(steps, epochMeans, monitor, accuracy), Plots.save(MorePlots.confusionMatrix(
                String.format(Locale.ROOT, "Fashion-MNIST test set: confusion matrix (accuracy %.2f %%)", 100 * accuracy),
                confusion, CLASS_NAMES), output.file("fashion_confusion.png")));
        console.println();
        for (Path image : images) {
            console.printf("wrote %s%n", image);
        }
        return new Run(network.toString(), train.size(), test.size(), accuracy, trainAccuracy, perClass, confusion,
                epochMeans, monitor.testAccuracies(), trainSeconds, loadSeconds, images);
    }

    /** One training run: the costs, the test accuracy and the cumulative training seconds after each epoch. */
    record Training(double[] stepCosts, double[] epochCosts, double[] testAccuracies, double[] epochSeconds,
                    double seconds, EpochMonitor monitor) {
    }

    /**
     * Trains {@code network} for {@code --epochs} in one run with the schedule
     * ({@link #scheduleSpec()}), measuring the test accuracy after every epoch.
     */
    private Training train(Network network, Dataset train, Dataset test, PrintStream console) {
        EpochMonitor monitor = new EpochMonitor(network, test, train.size(), console, progress.shown());
        long trainStart = System.nanoTime();
        monitor.mark = trainStart;
        TrainingHistory history;
        try {
            history = new Trainer(miniBatch.hyperparameters(scheduleSpec(), seed)).listener(monitor).fit(network, train);
        } finally {
            monitor.close();
        }
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        return new Training(history.stepCosts(), history.epochCosts(), monitor.testAccuracies(), monitor.epochSeconds(),
                trainSeconds, monitor);
    }

    /**
     * Batch statistics need at least 2 examples: with batch norm, a last mini-batch of 1 (the
     * training set's size mod the batch size) would fail mid-training, so it is refused before.
     */
    void checkBatchNormBatches(boolean withBatchNorm, int trainSize) {
        int batchSize = miniBatch.batchSize(trainSize);
        if (withBatchNorm && (trainSize % batchSize == 1 || batchSize < 2)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--batch-norm: %d training images in "
                    + "mini-batches of %d leave a batch of 1, whose variance batch norm cannot use; choose another "
                    + "--batch-size or --limit", trainSize, batchSize));
        }
    }

    /**
     * The first epoch (1-based) after which the test accuracy is at least {@code target}; empty when
     * no epoch reached it.
     */
    static OptionalInt firstEpochReaching(double[] testAccuracies, double target) {
        for (int e = 0; e < testAccuracies.length; e++) {
            if (testAccuracies[e] >= target) {
                return OptionalInt.of(e + 1);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Trains the network of the options twice, without and with batch norm after each hidden dense
     * layer, with the same seed (so the same dense weights, batches and dropout draws), optimizer
     * and schedule; prints the test accuracy of both per epoch and the first epoch at which each
     * reaches {@code --target}, and writes {@code fashion_batchnorm.png}.
     */
    Comparison compare(PrintStream console) throws IOException {
        checkSettings();
        Data loaded = load();
        Dataset train = loaded.train();
        Dataset test = loaded.test();
        checkBatchNormBatches(true, train.size());
        Network plain = network(false);
        Network normalized = network(true);
        console.printf(Locale.ROOT, "Fashion-MNIST from %s: %d training and %d test images of 28 x 28 pixels scaled to [0, 1] "
                + "(read in %.1f s)%n", data, train.size(), test.size(), loaded.loadSeconds());
        console.printf(Locale.ROOT, "the same network without and with batch norm after each hidden dense layer; init %s; "
                + "hidden regularizers %s%n", hiddenLayers.initializer, hiddenRegularizers());
        console.printf(Locale.ROOT, "%d epochs of mini-batches of %d, seed %d%s, for both: %s%n", miniBatch.epochs,
                miniBatch.batchSize, seed, DtypeOption.note(plain.dtype()), trainingDescription());

        console.printf(Locale.ROOT, "%nwithout batch norm: %s%n", plain.toString());
        Training without = train(plain, train, test, console);
        console.printf(Locale.ROOT, "%nwith batch norm: %s%n", normalized.toString());
        Training with = train(normalized, train, test, console);

        OptionalInt reachWithout = firstEpochReaching(without.testAccuracies(), target);
        OptionalInt reachWith = firstEpochReaching(with.testAccuracies(), target);
        console.printf(Locale.ROOT, "%n%5s %22s %22s%n", "epoch", "without batch norm", "with batch norm");
        for (int e = 0; e < miniBatch.epochs; e++) {
            console.printf(Locale.ROOT, "%5d %15.4f %5.1fs %15.4f %5.1fs%n", e + 1, without.testAccuracies()[e],
                    without.epochSeconds()[e], with.testAccuracies()[e], with.epochSeconds()[e]);
        }
        console.printf(Locale.ROOT, "(test accuracy after the epoch, and the seconds of training so far, test evaluations left out)%n%n");
        console.printf(Locale.ROOT, "first epoch with test accuracy >= %s: without batch norm %s, with batch norm %s%n",
                target, reached(reachWithout, without), reached(reachWith, with));
        console.printf(Locale.ROOT, "final test accuracy %.4f without and %.4f with batch norm; training took %.1f s and "
                + "%.1f s%n", last(without.testAccuracies()), last(with.testAccuracies()), without.seconds(), with.seconds());
        Comparison comparison = new Comparison(plain.toString(), normalized.toString(), train.size(), test.size(), without,
                with, reachWithout, reachWith, List.of());
        Path image = Plots.save(comparisonPicture(comparison), output.file("fashion_batchnorm.png"));
        console.printf("%nwrote %s%n", image);
        return new Comparison(comparison.plainNetwork(), comparison.batchNormNetwork(), train.size(), test.size(), without,
                with, reachWithout, reachWith, List.of(image));
    }

    private String reached(OptionalInt epoch, Training training) {
        return epoch.isPresent() ? String.format(Locale.ROOT, "epoch %d (after %.1f s of training)", epoch.getAsInt(),
                training.epochSeconds()[epoch.getAsInt() - 1]) : "not within " + miniBatch.epochs + " epochs";
    }

    private static double last(double[] values) {
        return values[values.length - 1];
    }

    /** The test-accuracy panel of {@code fashion_batchnorm.png}: both curves in percent and the target line. */
    Plots.LineChart comparisonAccuracyChart(Comparison c) {
        double[] epochAxis = epochAxis();
        String title = "Test accuracy per epoch" + scheduleNote();
        return Plots.lineChart(title, "epoch", "test accuracy (%)").size(640, 420)
                .legend(org.knowm.xchart.style.Styler.LegendPosition.InsideSE)
                .series("without batch norm", epochAxis, percent(c.without().testAccuracies()), Plots.Style.LINE_AND_MARKERS,
                        Plots.color(1))
                .series("with batch norm", epochAxis, percent(c.with().testAccuracies()), Plots.Style.LINE_AND_MARKERS,
                        Plots.color(0))
                .series(String.format(Locale.ROOT, "target %s", target), new double[] {1, miniBatch.epochs},
                        new double[] {100 * target, 100 * target}, Plots.Style.DASHED, Plots.color(5));
    }

    private BufferedImage comparisonPicture(Comparison c) {
        double[] epochAxis = epochAxis();
        BufferedImage cost = Plots.lineChart("Training cost J, mean of each epoch", "epoch", "cost J (" + loss + ")")
                .size(640, 420).legend(org.knowm.xchart.style.Styler.LegendPosition.InsideNE)
                .series("without batch norm", epochAxis, c.without().epochCosts(), Plots.Style.LINE_AND_MARKERS, Plots.color(1))
                .series("with batch norm", epochAxis, c.with().epochCosts(), Plots.Style.LINE_AND_MARKERS, Plots.color(0))
                .render();
        String title = String.format(Locale.ROOT, "Fashion-MNIST, MLP %s, seed %d: test accuracy %s at epoch %s without, "
                + "%s with batch norm", layout(), seed, target, epochLabel(c.reachWithout()), epochLabel(c.reachWith()));
        return Plots.panels(title, 2, List.of(comparisonAccuracyChart(c).render(), cost));
    }

    private static String epochLabel(OptionalInt epoch) {
        return epoch.isPresent() ? Integer.toString(epoch.getAsInt()) : "none";
    }

    private double[] epochAxis() {
        double[] epochAxis = new double[miniBatch.epochs];
        for (int e = 0; e < miniBatch.epochs; e++) {
            epochAxis[e] = e + 1;
        }
        return epochAxis;
    }

    private static double[] percent(double[] fractions) {
        double[] out = new double[fractions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = 100 * fractions[i];
        }
        return out;
    }

    private List<String> hiddenRegularizers() {
        return regularizers.size() == 1 && regularizers.get(0).equals("none") ? List.of() : regularizers;
    }

    /**
     * The network the options describe: 784 inputs, the hidden layers, 10 outputs; batch norm with
     * {@code --batch-norm}; in the number type of {@code --dtype}.
     */
    Network network() {
        return network(batchNorm);
    }

    /**
     * The network the options describe, with or without batch norm. With it, each hidden layer is
     * {@code dense(units, identity)} followed by {@code batch_norm} with the hidden activation; a
     * hidden regularizer that acts on activations (dropout) goes on the batch-norm layer (after its
     * activation), any other (a weight penalty) on the dense layer, whose weights it penalizes.
     */
    Network network(boolean withBatchNorm) {
        Network.Builder builder = hiddenLayers.builder(784)
                .regularizers(hiddenRegularizers().toArray(String[]::new)).loss(loss).seed(seed).dtype(dtype.dtype());
        if (!withBatchNorm) {
            for (int units : hidden) {
                builder.dense(units);
            }
            return builder.dense(10, outputActivation).build();
        }
        PluginRegistry registry = PluginRegistry.defaults();
        List<String> onDense = new ArrayList<>();
        List<String> onNormalized = new ArrayList<>();
        for (String spec : hiddenRegularizers()) {
            boolean transform = registry.create(Regularizer.class, spec) instanceof ActivationTransform t && t.isActive();
            (transform ? onNormalized : onDense).add(spec);
        }
        for (int units : hidden) {
            builder.layer(LayerConfig.dense(units).withActivation("identity").withRegularizers(onDense.toArray(String[]::new)));
            builder.layer(new LayerConfig(InitCommand.BATCH_NORM, hiddenLayers.activation, null, List.copyOf(onNormalized)));
        }
        return builder.dense(10, outputActivation).build();
    }

    /** The predicted class of every example, 1,000 at a time, so the test set is never widened to doubles whole. */
    static int[] classifyInChunks(Network network, Dataset data) {
        int[] out = new int[data.size()];
        for (int from = 0; from < data.size(); from += 1000) {
            int to = Math.min(data.size(), from + 1000);
            int[] chunk = network.classify(data.slice(from, to).features());
            System.arraycopy(chunk, 0, out, from, chunk.length);
        }
        return out;
    }

    /** {@code counts[i][j]}: test images of class i predicted as j. */
    static int[][] confusion(int[] predicted, DMatrixRMaj oneHot) {
        int[][] counts = new int[oneHot.numRows][oneHot.numRows];
        int m = oneHot.numCols;
        for (int j = 0; j < m; j++) {
            int truth = 0;
            for (int i = 1; i < oneHot.numRows; i++) {
                if (oneHot.data[i * m + j] > oneHot.data[truth * m + j]) {
                    truth = i;
                }
            }
            counts[truth][predicted[j]]++;
        }
        return counts;
    }

    static String formatConfusion(int[][] counts) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-12s", ""));
        for (int j = 0; j < counts.length; j++) {
            s.append(String.format(Locale.ROOT, " %6s", abbreviation(j)));
        }
        s.append('\n');
        for (int i = 0; i < counts.length; i++) {
            s.append(String.format(Locale.ROOT, "%-12s", CLASS_NAMES.get(i)));
            for (int j = 0; j < counts.length; j++) {
                s.append(String.format(Locale.ROOT, " %6d", counts[i][j]));
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static String abbreviation(int k) {
        String name = CLASS_NAMES.get(k);
        return name.length() <= 6 ? name : name.substring(0, 5) + ".";
    }

    private Path trainingPicture(double[] steps, double[] epochMeans, EpochMonitor monitor, double accuracy) {
        double stepsPerEpoch = (double) steps.length / miniBatch.epochs;
        double[] x = new double[steps.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i + 1) / stepsPerEpoch;
        }
        double[] epochAxis = new double[miniBatch.epochs];
        for (int e = 0; e < miniBatch.epochs; e++) {
            epochAxis[e] = e + 1;
        }
        BufferedImage cost = Plots.lineChart("Cost J (" + loss + ") during training", "epoch", "cost J")
                .size(640, 420)
                .series("each mini-batch", x, steps, Plots.Style.LINE, new java.awt.Color(0xB0, 0xC8, 0xE0))
                .series("epoch mean", epochAxis, epochMeans, Plots.Style.LINE_AND_MARKERS, Plots.color(0))
                .render();
        double[] testAccuracy = monitor.testAccuracies();
        double[] percent = new double[testAccuracy.length];
        for (int i = 0; i < percent.length; i++) {
            percent[i] = 100 * testAccuracy[i];
        }
        Plots.LineChart accuracyChart = Plots.lineChart("Test accuracy after each epoch", "epoch", "test accuracy (%)")
                .size(640, 420)
                .series("test accuracy", epochAxis, percent, Plots.Style.LINE_AND_MARKERS, Plots.color(1))
                .series("0.8833 (published MLP 256-128-100)", new double[] {1, miniBatch.epochs}, new double[] {88.33, 88.33},
                        Plots.Style.DASHED, Plots.color(5));
        String title = String.format(Locale.ROOT, "Fashion-MNIST, MLP %s: test accuracy %.2f %%%s", layout(), 100 * accuracy,
                scheduleNote());
        return Plots.save(Plots.panels(title, 2, List.of(cost, accuracyChart.render())), output.file("fashion_training.png"));
    }

    private String layout() {
        StringBuilder s = new StringBuilder("784");
        for (int units : hidden) {
            s.append('-').append(units);
        }
        return s.append("-10").toString();
    }

    /**
     * Shows a progress bar per epoch on a terminal (samples, rate, running cost), prints each epoch's
     * mean cost and test accuracy as a line whether or not the bar is shown, and measures the test accuracy
     * at the end of every epoch. It only reads the network, as a listener must.
     */
    private final class EpochMonitor implements TrainingListener, AutoCloseable {
        private final Network network;
        private final Dataset test;
        private final int m;
        private final PrintStream out;
        private final boolean progress;
        private final List<Double> accuracies = new ArrayList<>();
        private final List<Double> seconds = new ArrayList<>();
        private long trainingNanos;
        /** When the current epoch's training time started counting: set before training, reset after each evaluation. */
        long mark;
        private ProgressBar bar;
        private long done;
        private double costSum;
        private long steps;

        EpochMonitor(Network network, Dataset test, int m, PrintStream out, boolean progress) {
            this.network = network;
            this.test = test;
            this.m = m;
            this.out = out;
            this.progress = progress;
        }

        @Override
        public void onStep(TrainingContext context) {
            if (done == 0 && progress) {
                bar = new ProgressBarBuilder()
                        .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", context.epoch(), miniBatch.epochs))
                        .setInitialMax(m).setUnit(" img", 1).showSpeed(new java.text.DecimalFormat("#,##0")).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250).setMaxRenderedLength(110).build();
            }
            long size = Math.min(miniBatch.batchSize(m), m - done);
            done += size;
            costSum += context.stepCost();
            steps++;
            if (bar != null) {
                bar.stepBy(size);
                bar.setExtraMessage(String.format(Locale.ROOT, " cost %.4f", costSum / steps));
            }
        }

        @Override
        public void onEpochEnd(TrainingContext context) {
            double meanCost = context.epochCost();
            trainingNanos += System.nanoTime() - mark;
            seconds.add(trainingNanos / 1e9);
            double accuracy = network.accuracy(test);
            accuracies.add(accuracy);
            if (bar != null) {
                bar.setExtraMessage(String.format(Locale.ROOT, " cost %.4f, test accuracy %.4f", meanCost, accuracy));
                bar.close();
                bar = null;
            }
            // always, bar or not: the record of the run in a log or a redirected output
            out.printf(Locale.ROOT, "epoch %d/%d: mean cost %.4f, test accuracy %.4f%n", context.epoch(), miniBatch.epochs,
                    meanCost, accuracy);
            done = 0;
            costSum = 0;
            steps = 0;
            mark = System.nanoTime();
        }

        /** The training seconds (test evaluations left out) from the start to the end of each epoch. */
        double[] epochSeconds() {
            return seconds.stream().mapToDouble(Double::doubleValue).toArray();
        }

        double[] testAccuracies() {
            return accuracies.stream().mapToDouble(Double::doubleValue).toArray();
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }

    /** The data files are not where the command looked; the message says how to get them. */
    static final class MissingDataException extends IOException {
        private static final long serialVersionUID = 1L;

        MissingDataException(String message) {
            super(message);
        }
    }

    /**
     * What {@code --compare-batch-norm} produced: both networks, both trainings, the first epoch at
     * which each reached the target, and the picture.
     */
    record Comparison(String plainNetwork, String batchNormNetwork, int trainSize, int testSize, Training without,
                      Training with, OptionalInt reachWithout, OptionalInt reachWith, List<Path> images) {
    }

    /** What one run produced. */
    record Run(String network, int trainSize, int testSize, double testAccuracy, double trainAccuracy, double[] perClass,
               int[][] confusion, double[] epochCosts, double[] testAccuracies, double trainSeconds, double loadSeconds,
               List<Path> images) {
    }
}
