package dev.nnkit.examples;

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

    @Option(names = "--log-every", defaultValue = "1000", description = "Log the cost of logistic regression and the --hidden model every N iterations; 0 never (default: ${DEFAULT-VALUE}).")
    long logEvery;

    @Option(names = "--sweep", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also train one model per hidden size of --sizes (default: on; --no-sweep skips it).")
    boolean sweep;

    @Option(names = "--sizes", split = ",", defaultValue = "1,2,3,4,5,20,50",
            description = "Hidden sizes of the sweep, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Mixin final OutputOptions output = new OutputOptions();

    /**
     * Trains every model, prints the tables and the paths of the pictures to {@code out}, writes
     * the pictures, and returns the numbers.
     */
    @Override
    public Run run(PrintStream out) {
        for (int size : sizes) {
            if (size < 1) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--sizes': " + size
                        + " is not a hidden size; each must be >= 1");
            }
        }
        Dataset data = PlanarData.flower(200, seed);
        Dataset test = PlanarData.flower(200, seed + 1);
        out.printf(Locale.ROOT, "flower data: m = %d points, 2 classes; %d iterations of %s; init %s%s%n%n", data.size(),
                training.iterations, training.optimizer, hiddenLayers.initializer,
                regularizers.isEmpty() ? "" : "; regularizers " + regularizers);
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
                .seed(seed);
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
