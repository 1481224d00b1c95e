package dev.nnkit.examples;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.training.CostLogger;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingHistory;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The flagship example: the notes' flower data, first as logistic regression (a network with no
 * hidden layer), then with one hidden layer; every plugin is chosen by name from the options.
 * Then the notes' hidden-size sweep (1, 2, 3, 4, 5, 20, 50 units by default) with accuracy and
 * training time per row, a decision-boundary panel per model and the cost curves.
 *
 * <p>{@code --course} runs the assignment itself instead: its flower ({@link PlanarData#courseFlower()}),
 * its weights ({@code np.random.seed(2)} then {@code randn * 0.01}, through the {@code numpy_legacy}
 * random source), learning rate 1.2, 10000 iterations for the 4-unit model and 5000 per size in the
 * sweep, and prints the notebook's published numbers beside nnkit's.
 */
@Command(name = "planar", aliases = "flower", mixinStandardHelpOptions = true,
        description = {"Classifies the 2-D 'flower' data of the lecture notes (m = 400): logistic regression "
                + "(no hidden layer) against a network with one hidden layer, then sweeps the hidden size.",
                "Plugins are chosen by name: try --init he_normal, --activation relu, --reg l2(lambda=0.5).",
                "Writes planar_boundaries.png (one decision-boundary panel per model) and planar_cost.png "
                        + "(cost per iteration) into --out."})
final class PlanarCommand implements ExampleCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--hidden", defaultValue = "4", description = "Units in the hidden layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    /** The notes' hidden layer: tanh, and weights {@code 0.01 * randn}. */
    @Mixin final HiddenLayerOptions hiddenLayers = new HiddenLayerOptions("tanh", "small_random(scale=0.01)");

    @Option(names = "--reg", description = "A regularizer spec, e.g. l2(lambda=0.5) or dropout(keep_prob=0.9); repeatable.")
    List<String> regularizers = List.of();

    @Mixin final FullBatchOptions training = new FullBatchOptions("sgd(learning_rate=1.2)", 10000);

    /** {@code --seed}, set by {@link #seedOption}. */
    long seed;

    @Mixin final SeedOption seedOption = new SeedOption(seed -> this.seed = seed);

    @Mixin final DtypeOption dtype = new DtypeOption();

    @Option(names = "--log-every", defaultValue = "1000", description = "Log the cost of logistic regression and the --hidden model every N iterations; 0 never (default: ${DEFAULT-VALUE}).")
    long logEvery;

    @Option(names = "--sweep", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also train one model per hidden size of --sizes (default: on; --no-sweep skips it).")
    boolean sweep;

    @Option(names = "--sizes", split = ",", defaultValue = "1,2,3,4,5,20,50",
            description = "Hidden sizes of the sweep, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--course", description = "Reproduce the course's assignment: its flower data (np.random.seed(1)), "
            + "its initial weights (np.random.seed(2), randn * 0.01, drawn by NumPy's legacy generator), learning rate 1.2, "
            + "10000 iterations (5000 per sweep size), and print the notebook's published numbers beside nnkit's. "
            + "--seed, --init, --activation, --optimizer, --iterations, --reg and --dtype are ignored.")
    boolean course;

    @Mixin final OutputOptions output = new OutputOptions();

    /**
     * Trains every model, prints the tables and the paths of the pictures to {@code out}, writes
     * the pictures, and returns the numbers.
     */
    @Override
    public Run run(PrintStream out) {
        if (course) {
            if (dtype.given() && dtype.dtype() != dev.nnkit.Dtype.FLOAT64) {
                out.println("note: --course reproduces the course's float64 numbers; --dtype " + dtype.dtype() + " is ignored");
            }
            return runCourse(out);
        }
        // the names first: an unknown one is refused before 10,000 iterations, not after
        hiddenLayers.check();
        dev.nnkit.PluginRegistry.defaults().create(dev.nnkit.spi.Optimizer.class, training.optimizer);
        dev.nnkit.Dtype numbers = dtype.dtype();
        for (int size : sizes) {
            if (size < 1) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--sizes': " + size
                        + " is not a hidden size; each must be >= 1");
            }
        }
        Dataset data = PlanarData.flower(200, seed);
        Dataset test = PlanarData.flower(200, seed + 1);
        out.printf(Locale.ROOT, "flower data: m = %d points, 2 classes; %d iterations of %s; init %s%s%s%n%n", data.size(),
                training.iterations, training.optimizer, hiddenLayers.initializer,
                regularizers.isEmpty() ? "" : "; regularizers " + regularizers,
                numbers == dev.nnkit.Dtype.FLOAT64 ? "" : "; " + numbers);
        Map<Integer, Result> trained = new LinkedHashMap<>();
        Result logistic = trained.computeIfAbsent(0, h -> train(data, h));
        Result shallow = trained.computeIfAbsent(hidden, h -> train(data, h));
        out.printf(Locale.ROOT, "%-44s %9s %11s%n", "model", "accuracy", "final cost");
        for (Result r : List.of(logistic, shallow)) {
            out.printf(Locale.ROOT, "%-44s %8.2f%% %11.6f%n", r.description, 100 * r.accuracy, r.finalCost);
        }

        List<Result> swept = new ArrayList<>();
        if (sweep) {
            out.printf(Locale.ROOT, "%nhidden-size sweep, one hidden layer of %s units:%n", hiddenLayers.activation);
            out.printf(Locale.ROOT, "%12s %9s %9s %11s %9s%n", "hidden units", "train acc", "test acc", "final cost", "time");
            for (int size : sizes) {
                Result r = trained.computeIfAbsent(size, h -> train(data, h, false));
                swept.add(r);
                out.printf(Locale.ROOT, "%12d %8.2f%% %8.2f%% %11.6f %7.2f s%n", size, 100 * r.accuracy,
                        100 * r.network.accuracy(test), r.finalCost, r.seconds);
            }
        }

        List<Path> images = pictures(data, trained);
        out.println();
        for (Path image : images) {
            out.println("wrote " + image);
        }
        return new Run(logistic, shallow, swept, images);
    }

    /** The course's iterations of the hidden-size sweep ({@code nn_model(X, Y, n_h, num_iterations=5000)}). */
    static final int COURSE_SWEEP_ITERATIONS = 5000;

    /**
     * The assignment, number by number: logistic regression, the 4-unit model with its cost every
     * 1000 iterations, the hidden-size sweep, each next to the published value.
     */
    Run runCourse(PrintStream out) {
        Dataset data = PlanarData.courseFlower();
        out.printf(Locale.ROOT, "course mode: the assignment's flower (np.random.seed(1), m = %d), weights randn * 0.01 after "
                + "np.random.seed(2) drawn by %s, tanh hidden layer, sgd(learning_rate=1.2), full batch%n%n", data.size(), Course.RANDOM);
        Network start = courseBuilder(4).build();
        out.printf(Locale.ROOT, "initialize_parameters(n_x=2, n_h=4, n_y=1), the assignment's unit test (b1, b2 are zeros):%n");
        Course.printWeights(out, "W1", start.parameter(1, "W"), Course.PLANAR_W1);
        Course.printWeights(out, "W2", start.parameter(2, "W"), Course.PLANAR_W2);
        out.println();
        Map<Integer, Result> trained = new LinkedHashMap<>();
        Result logistic = trainCourse(data, 0, 10000);
        trained.put(0, logistic);
        out.printf(Locale.ROOT, "logistic regression (no hidden layer, 10000 iterations): accuracy %.2f %%; the course prints %s "
                + "from scikit-learn's LogisticRegressionCV, a different fit (cross-validated L2), so only the lesson compares%n%n",
                100 * logistic.accuracy, Course.PLANAR_LOGISTIC);
        Result shallow = trainCourse(data, 4, 10000);
        trained.put(4, shallow);
        out.printf(Locale.ROOT, "4 hidden units, 10000 iterations: %s%n", shallow.description);
        out.printf(Locale.ROOT, "%9s  %-14s %-14s %s%n", "iteration", "nnkit (%f)", "course", "same as printed");
        int same = 0;
        for (int k = 0; k < Course.PLANAR_COSTS.length; k++) {
            String mine = String.format(Locale.ROOT, "%f", shallow.costs[1000 * k]);
            String theirs = String.format(Locale.ROOT, "%f", Course.PLANAR_COSTS[k]);
            same += mine.equals(theirs) ? 1 : 0;
            out.printf(Locale.ROOT, "%9d  %-14s %-14s %s%n", 1000 * k, mine, theirs, mine.equals(theirs) ? "yes" : "no");
        }
        String accuracy = String.format(Locale.ROOT, "%d%%", (int) (100 * shallow.accuracy));
        out.printf(Locale.ROOT, "accuracy: nnkit %.2f %% (printed as the course prints it: %s), course %s; costs equal to the "
                + "printed digits: %d of %d%n%n", 100 * shallow.accuracy, accuracy, Course.PLANAR_ACCURACY, same,
                Course.PLANAR_COSTS.length);

        out.printf(Locale.ROOT, "hidden-size sweep, %d iterations per size (nn_model(X, Y, n_h, num_iterations=5000)):%n",
                COURSE_SWEEP_ITERATIONS);
        out.printf(Locale.ROOT, "%12s %14s %14s %6s %11s%n", "hidden units", "nnkit accuracy", "course", "equal", "final cost");
        List<Result> swept = new ArrayList<>();
        int equal = 0;
        for (Map.Entry<Integer, Double> row : Course.PLANAR_SWEEP.entrySet()) {
            Result r = trainCourse(data, row.getKey(), COURSE_SWEEP_ITERATIONS);
            swept.add(r);
            trained.putIfAbsent(row.getKey(), r);
            double percent = 100 * r.accuracy;
            boolean match = Math.abs(percent - row.getValue()) < 1e-9;
            equal += match ? 1 : 0;
            out.printf(Locale.ROOT, "%12d %13s%% %13s%% %6s %11.6f%n", row.getKey(), Double.toString(percent),
                    Double.toString(row.getValue()), match ? "yes" : "no", r.finalCost);
        }
        out.printf(Locale.ROOT, "sweep accuracies equal to the course's: %d of %d%n", equal, Course.PLANAR_SWEEP.size());
        List<Path> images = pictures(data, trained);
        out.println();
        for (Path image : images) {
            out.println("wrote " + image);
        }
        return new Run(logistic, shallow, swept, images);
    }

    /** The assignment's network before training: {@code hiddenUnits} tanh units (none for logistic regression), its weights. */
    static Network.Builder courseBuilder(int hiddenUnits) {
        Network.Builder builder = Network.builder(2).activation("tanh").initializer("small_random(scale=0.01)")
                .loss("binary_cross_entropy").random(Course.RANDOM).seed(Course.PLANAR_WEIGHT_SEED);
        if (hiddenUnits > 0) {
            builder.dense(hiddenUnits);
        }
        return builder.dense(1, "sigmoid");
    }

    /** One model of the assignment: tanh hidden layer (none for logistic regression), the course's weights and rate. */
    Result trainCourse(Dataset data, int hiddenUnits, int iterations) {
        Network network = courseBuilder(hiddenUnits).build();
        Trainer trainer = new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=1.2)").withEpochs(iterations)
                .withSeed(Course.PLANAR_WEIGHT_SEED));
        long start = System.nanoTime();
        TrainingHistory history = trainer.fit(network, data);
        double seconds = (System.nanoTime() - start) / 1e9;
        String description = (hiddenUnits == 0 ? "logistic regression " : "one hidden layer ") + network;
        return new Result(description.replace(", binary_cross_entropy", ""), network.accuracy(data), history.finalCost(),
                hiddenUnits, seconds, history.stepCosts(), network);
    }

    /** One decision-boundary panel per model (logistic regression first, then by hidden size) and the cost curves. */
    private List<Path> pictures(Dataset data, Map<Integer, Result> trained) {
        List<BufferedImage> panels = new ArrayList<>();
        Plots.LineChart cost = Plots.lineChart("Cost during training (flower data)", "iteration", "cost J (log scale)").logY();
        for (int h : new TreeSet<>(trained.keySet())) {
            Result r = trained.get(h);
            String name = h == 0 ? "logistic regression"
                    : h + " hidden unit" + (h == 1 ? "" : "s") + " (" + hiddenLayers.activation + ")";
            panels.add(Plots.decisionBoundary(r.network).title(name).points(data).size(400, 400).render());
            cost.series(name, r.costs);
        }
        int columns = panels.size() <= 3 ? panels.size() : (panels.size() + 1) / 2;
        Path boundaries = Plots.save(Plots.panels(String.format(Locale.ROOT,
                "Decision boundaries on the flower data (%d iterations of %s)", training.iterations, training.optimizer), columns,
                panels), output.file("planar_boundaries.png"));
        Path costs = Plots.save(cost.size(900, 480).render(), output.file("planar_cost.png"));
        return List.of(boundaries, costs);
    }

    /** Trains one model, logging its cost every {@code --log-every} steps: logistic regression when {@code hiddenUnits == 0}. */
    Result train(Dataset data, int hiddenUnits) {
        return train(data, hiddenUnits, true);
    }

    /** Trains one model; the sweep's extra models do not log, to keep the console readable. */
    Result train(Dataset data, int hiddenUnits, boolean log) {
        Network.Builder builder = hiddenLayers.builder(2)
                .regularizers(regularizers.toArray(String[]::new))
                .loss("binary_cross_entropy")
                .seed(seed)
                .dtype(dtype.dtype());
        if (hiddenUnits > 0) {
            builder.dense(hiddenUnits);
        }
        Network network = builder.dense(1, "sigmoid").build();
        Trainer trainer = training.trainer(seed);
        if (log && logEvery > 0) {
            trainer.listener(new CostLogger(logEvery));
        }
        long start = System.nanoTime();
        TrainingHistory history = trainer.fit(network, data);
        double seconds = (System.nanoTime() - start) / 1e9;
        String description = hiddenUnits == 0 ? "logistic regression " + network
                : "one hidden layer " + network;
        return new Result(description.replace(", binary_cross_entropy", ""), network.accuracy(data), history.finalCost(),
                hiddenUnits, seconds, history.stepCosts(), network);
    }

    /**
     * What one model reached.
     *
     * @param description the model, e.g. {@code one hidden layer 2-4(tanh)-1(sigmoid)}
     * @param accuracy    the training accuracy in [0, 1]
     * @param finalCost   the cost of the last iteration
     * @param hiddenUnits the hidden size, 0 for logistic regression
     * @param seconds     the wall-clock training time
     * @param costs       the cost of every iteration
     * @param network     the trained network
     */
    record Result(String description, double accuracy, double finalCost, int hiddenUnits, double seconds, double[] costs,
                  Network network) {
    }

    /**
     * Everything one run produced.
     *
     * @param logistic logistic regression
     * @param shallow  the network with {@code --hidden} units
     * @param sweep    one result per size of {@code --sizes}, in order (empty with {@code --no-sweep})
     * @param images   the PNG files written
     */
    record Run(Result logistic, Result shallow, List<Result> sweep, List<Path> images) {
    }
}
