package dev.nnkit.examples;

import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.training.TrainingHistory;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Regularization (MATH §7): a [2, 20, 3, 1] ReLU network trained long on a small, noisy 2-D data
 * set (two interleaved half-moons, {@link PlanarData#moons}) fits the noise of its training points
 * (train accuracy well above test accuracy). The same network with the L2 penalty
 * {@code (lambda / 2m) sum ||W||^2}, or with inverted dropout on the hidden layers, keeps a smoother
 * boundary: the gap closes and the test accuracy improves.
 */
@Command(name = "regularize", mixinStandardHelpOptions = true,
        description = {"Overfitting and its cures on a small noisy 2-D data set (two interleaved half-moons): "
                + "the same [2, 20, 3, 1] ReLU network without regularization, with L2 and with dropout; "
                + "train and test accuracy per model.",
                "The test set is drawn with --seed + 1. The default --seed is 4: with some seeds (e.g. 1) the 3 ReLU units "
                        + "start dead for every input and the unregularized model stays at 50 %%.",
                "Writes regularize.png (decision boundaries over the training and the test points) into --out."},
        defaultValueProvider = RegularizeCommand.DefaultSeed.class)
final class RegularizeCommand implements ExampleCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--lambda", defaultValue = "0.7",
            description = "L2 strength lambda of the l2 model (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--keep-prob", defaultValue = "0.8",
            description = "Dropout keep_prob of the dropout model, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double keepProb;

    @Option(names = "--layers", split = ",", defaultValue = "20,3",
            description = "Hidden layer sizes, comma-separated (default: ${DEFAULT-VALUE}, i.e. [2, 20, 3, 1]).")
    List<Integer> layers;

    @Mixin final HiddenLayerOptions hiddenLayers = new HiddenLayerOptions("relu", "he_normal");

    @Mixin final FullBatchOptions training = new FullBatchOptions("adam(learning_rate=0.01)", 10000);

    @Option(names = "--train-size", defaultValue = "200",
            description = "Training points, half per class (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--test-size", defaultValue = "200",
            description = "Test points, half per class (default: ${DEFAULT-VALUE}).")
    int testSize;

    @Option(names = "--noise", defaultValue = "0.35",
            description = "Standard deviation of the Gaussian noise on the moons (default: ${DEFAULT-VALUE}).")
    double noise;

    /** {@code --seed}, set by {@link #seedOption}. */
    long seed;

    @Mixin final SeedOption seedOption = new SeedOption(seed -> this.seed = seed);

    @Mixin final OutputOptions output = new OutputOptions();

    /** {@code --seed} 4: with seed 1 the three ReLU units of the narrow layer start dead. */
    static final class DefaultSeed extends SeedOption.Default {
        DefaultSeed() {
            super(4);
        }
    }

    /** Trains the three models, prints the table and writes the picture. */
    @Override
    public Run run(PrintStream out) {
        validate();
        Dataset train = PlanarData.moons(trainSize / 2, noise, seed);
        Dataset test = PlanarData.moons(testSize / 2, noise, seed + 1);
        List<Model> models = new ArrayList<>();
        models.add(train(train, test, "no regularization", null));
        models.add(train(train, test, "L2", "l2(lambda=" + lambda + ")"));
        models.add(train(train, test, "dropout", "dropout(keep_prob=" + keepProb + ")"));

        out.printf(Locale.ROOT, "two noisy half-moons (noise %s): %d training and %d test points; network %s;%n"
                        + "init %s; %d iterations of %s%n%n", noise, train.size(), test.size(),
                models.get(0).network.toString().replace(", binary_cross_entropy", ""), hiddenLayers.initializer,
                training.iterations, training.optimizer);
        out.printf(Locale.ROOT, "%-20s %-24s %9s %9s %8s %11s%n", "model", "regularizer", "train acc", "test acc", "gap",
                "final cost");
        for (Model m : models) {
            out.printf(Locale.ROOT, "%-20s %-24s %8.2f%% %8.2f%% %7.2f%% %11.6f%n", m.name,
                    m.regularizer == null ? "-" : m.regularizer, 100 * m.trainAccuracy, 100 * m.testAccuracy,
                    100 * (m.trainAccuracy - m.testAccuracy), m.finalCost);
        }
        Path image = picture(train, test, models);
        out.printf("%nwrote %s%n", image);
        return new Run(models, List.of(image));
    }

    private void validate() {
        String problem = null;
        if (trainSize < 2 || testSize < 2) {
            problem = "--train-size and --test-size must be >= 2 (half the points per class)";
        } else if (layers.stream().anyMatch(units -> units < 1)) {
            problem = "--layers: every hidden layer size must be >= 1, got " + layers;
        } else if (!(keepProb > 0 && keepProb <= 1)) {
            problem = "--keep-prob=" + keepProb + "; dropout keeps each unit with this probability, so it must be in (0, 1]";
        } else if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            problem = "--lambda=" + lambda + "; the L2 strength must be a finite value >= 0";
        } else if (!(noise >= 0) || Double.isInfinite(noise)) {
            problem = "--noise=" + noise + "; it must be a finite value >= 0";
        }
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
    }

    /** Trains one model; {@code regularizer} null means none. Bad lambda or keep_prob fail in the registry. */
    private Model train(Dataset train, Dataset test, String name, String regularizer) {
        Network.Builder builder = hiddenLayers.builder(2).loss("binary_cross_entropy").seed(seed);
        if (regularizer != null) {
            builder.regularizers(regularizer);
        }
        for (int units : layers) {
            builder.dense(units);
        }
        Network network = builder.dense(1, "sigmoid").build();
        TrainingHistory history = training.trainer(seed).fit(network, train);
        return new Model(name, regularizer, network, network.accuracy(train), network.accuracy(test), history.finalCost(),
                history.stepCosts());
    }

    /** Top row: the boundaries over the training points; bottom row: the same boundaries over the test points. */
    private Path picture(Dataset train, Dataset test, List<Model> models) {
        double[] window = window(train, test);
        List<BufferedImage> panels = new ArrayList<>();
        for (boolean onTest : new boolean[] {false, true}) {
            for (Model m : models) {
                String title = m.regularizer == null ? m.name : m.regularizer;
                panels.add(Plots.decisionBoundary(m.network).title(title).points(onTest ? test : train)
                        .window(window[0], window[1], window[2], window[3])
                        .subtitle(String.format(Locale.ROOT, "%s points: accuracy %.2f %%", onTest ? "test" : "training",
                                100 * (onTest ? m.testAccuracy : m.trainAccuracy)))
                        .size(400, 400).render());
            }
        }
        String title = String.format(Locale.ROOT, "Regularization: the same network over the training points (top) "
                + "and the test points (bottom)");
        return Plots.save(Plots.panels(title, models.size(), panels), output.file("regularize.png"));
    }

    /** The bounding box of both sets, widened by 5 % on each side. */
    private static double[] window(Dataset a, Dataset b) {
        double[] w = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};
        for (Dataset d : List.of(a, b)) {
            var x = d.features();
            for (int j = 0; j < x.numCols; j++) {
                w[0] = Math.min(w[0], x.get(0, j));
                w[1] = Math.max(w[1], x.get(0, j));
                w[2] = Math.min(w[2], x.get(1, j));
                w[3] = Math.max(w[3], x.get(1, j));
            }
        }
        double padX = 0.05 * (w[1] - w[0]);
        double padY = 0.05 * (w[3] - w[2]);
        return new double[] {w[0] - padX, w[1] + padX, w[2] - padY, w[3] + padY};
    }

    /**
     * One trained model.
     *
     * @param name          e.g. {@code L2}
     * @param regularizer   its regularizer spec, or null for none
     * @param network       the trained network
     * @param trainAccuracy accuracy on the training points, in [0, 1]
     * @param testAccuracy  accuracy on the test points, in [0, 1]
     * @param finalCost     the training cost of the last iteration (penalty included; with dropout,
     *                      of the thinned network)
     * @param costs         the cost of every iteration
     */
    record Model(String name, String regularizer, Network network, double trainAccuracy, double testAccuracy,
                 double finalCost, double[] costs) {
    }

    /**
     * Everything one run produced.
     *
     * @param models none, L2, dropout, in this order
     * @param images the PNG files written
     */
    record Run(List<Model> models, List<Path> images) {
    }
}
