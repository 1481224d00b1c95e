package dev.nnkit.examples;

import dev.nnkit.ForwardTrace;
import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.diagnostics.Diagnostics;
import dev.nnkit.diagnostics.LayerStatistics;
import dev.nnkit.layers.BatchNorm;
import dev.nnkit.spi.StepContext;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingHistory;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.BitmapEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Initialization (MATH §4 and §5), in two experiments.
 *
 * <p><b>Circles.</b> A [2, 10, 5, 1] ReLU network with a sigmoid output is trained by full-batch
 * gradient descent on two noisy concentric rings from each initializer: zeros (symmetry: it stays
 * at chance), large random {@code normal(std=10)} (the notes' {@code randn * 10}: saturated
 * sigmoid, slow and poor), Xavier and He (the variance-preserving choices: they fit).
 *
 * <p><b>Depth.</b> A plain network of {@code depth} layers of constant width, one batch of
 * standard-normal inputs forward and backward, measured with {@link Diagnostics#measure}: per layer
 * the variance of {@code Z[l]} next to the formula's prediction {@code n Var(w) E[A[l-1]^2]}, and
 * the norm of {@code dW[l]}. Small random weights make the signal vanish; He keeps it for ReLU and
 * LeCun/Xavier for tanh; He with tanh makes the gradient grow toward the input.
 *
 * <p><b>Depth with batch normalization.</b> The same network with {@code batch_norm} after every
 * dense layer ({@code dense(identity) -> batch_norm -> activation}), for the initializers of
 * {@code --batch-norm-init} (by default those whose plain network vanishes or explodes). Measured
 * in {@code CHECKING} mode (batch statistics, as in training), each layer renormalizes its
 * pre-activation, {@code Zhat[l] = (Z[l] - mean) / sqrt(var + epsilon)} per unit over the batch,
 * so with {@code gamma = 1} and {@code beta = 0} its variance is
 * {@code (1/n) sum_i var_i / (var_i + epsilon) = 1} at every depth, whatever the initializer.
 *
 * <p><b>{@code --course}</b> runs the course's initialization lesson instead of both experiments:
 * its circles ({@link CirclesData#courseTrain()}, {@link CirclesData#courseTest()}), its three
 * initializers (zeros, {@code randn * 10} as {@code normal(std=10)}, He as {@code he_normal}) drawn
 * by the {@code numpy_legacy} random source after {@code np.random.seed(3)}, learning rate 0.01,
 * 15000 iterations, and prints the cost every 1000 iterations and the accuracies beside the
 * notebook's.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Initialization on the circles data: zeros, large random (normal(std=10)), Xavier and He trained "
                + "on a [2, 10, 5, 1] ReLU network; then a deep plain network measured layer by layer "
                + "(variance of Z, norm of dW) for small random, LeCun, Xavier and He with tanh and ReLU, and again "
                + "with batch_norm after every dense layer for the initializers that vanish or explode.",
                "Writes init_circles.png, init_depth.png and init_depth_batchnorm.png into --out."})
final class InitCommand implements ExampleCommand {

    @Option(names = "--init", split = ";", defaultValue = "zeros;normal(std=10);xavier_normal;he_normal",
            description = "Initializers for the circles network, spec strings separated by ';' (default: ${DEFAULT-VALUE}).")
    List<String> initializers;

    @Option(names = "--train", defaultValue = "300", description = "Training points (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(names = "--test", defaultValue = "100", description = "Test points (default: ${DEFAULT-VALUE}).")
    int testSize;

    @Option(names = "--noise", defaultValue = "0.05", description = "Noise of the rings (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--factor", defaultValue = "0.8",
            description = "Inner radius / outer radius, as in scikit-learn's make_circles (default: ${DEFAULT-VALUE}).")
    double factor;

    /** The notes' training of the circles network. */
    @Mixin final FullBatchOptions training = new FullBatchOptions("sgd(learning_rate=0.01)", 15000);

    @Option(names = "--depth", defaultValue = "50", description = "Layers of the deep network (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--width", defaultValue = "100", description = "Units per layer of the deep network (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--batch", defaultValue = "200", description = "Examples in the measured batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--depth-init", split = ";", defaultValue = "small_random(scale=0.01);lecun_normal;xavier_normal;he_normal;normal(std=0.5)",
            description = "Initializers for the deep network, separated by ';' (default: ${DEFAULT-VALUE}).")
    List<String> depthInitializers;

    @Option(names = "--depth-activation", split = ";", defaultValue = "tanh;relu",
            description = "Activations of the deep network, one panel each (default: ${DEFAULT-VALUE}).")
    List<String> depthActivations;

    @Option(names = "--batch-norm-init", split = ";", defaultValue = "small_random(scale=0.01);xavier_normal;normal(std=0.5)",
            description = "Initializers of the deep network measured again with batch_norm after every dense layer, for "
                    + "every --depth-activation, separated by ';'; 'none' for none (default: ${DEFAULT-VALUE}).")
    List<String> batchNormInitializers;

    @Option(names = "--layers-table", description = "Also print the full per-layer table of every deep network.")
    boolean fullTables;

    /** {@code --seed}, set by {@link #seedOption}. */
    long seed;

    @Mixin final SeedOption seedOption = new SeedOption(seed -> this.seed = seed);

    @Option(names = "--course", description = "Reproduce the course's initialization lesson on its circles "
            + "(make_circles after np.random.seed(1) and seed(2)): zeros, randn * 10 and He drawn by NumPy's legacy generator "
            + "after np.random.seed(3), learning rate 0.01, 15000 iterations; prints the notebook's costs and accuracies beside "
            + "nnkit's. The depth experiments are skipped; the other options are ignored.")
    boolean course;

    @Mixin final OutputOptions output = new OutputOptions();

    /** The course's three initializers, as nnkit specs, in the notebook's order. */
    static final List<String> COURSE_INITIALIZERS = List.of("zeros", "normal(std=10)", "he_normal");

    /** Both experiments, the tables and the pictures. */
    @Override
    public Run run(PrintStream out) {
        if (course) {
            return runCourse(out);
        }
        if (depth < 1 || width < 1 || batch < 2) {
            throw new IllegalArgumentException("--depth " + depth + ", --width " + width + ", --batch " + batch
                    + ": the deep network needs at least 1 layer of at least 1 unit and a batch of at least 2");
        }
        Dataset train = CirclesData.circles(trainSize, noise, factor, seed);
        Dataset test = CirclesData.circles(testSize, noise, factor, seed + 1000);
        out.printf(Locale.ROOT, "circles: %d training and %d test points (noise %s, inner radius %s); network "
                + "[2, 10, 5, 1] relu, sigmoid output; %d iterations of %s%n%n", train.size(), test.size(),
                noise, factor, training.iterations, training.optimizer);
        List<CirclesResult> circles = new ArrayList<>();
        int w = Math.max(16, initializers.stream().mapToInt(String::length).max().orElse(0));
        out.printf(Locale.ROOT, "%-" + w + "s %10s %10s %12s %12s %8s%n", "initializer", "train acc", "test acc",
                "first cost", "final cost", "time");
        for (String init : initializers) {
            CirclesResult r = trainCircles(train, test, init);
            circles.add(r);
            out.printf(Locale.ROOT, "%-" + w + "s %9.2f%% %9.2f%% %12.6f %12.6f %7.2fs%n", init, 100 * r.trainAccuracy,
                    100 * r.testAccuracy, r.costs[0], r.costs[r.costs.length - 1], r.seconds);
        }

        out.printf(Locale.ROOT, "%ndepth: %d layers of %d units, one batch of %d standard-normal inputs; MSE against "
                + "standard-normal targets%n", depth, width, batch);
        out.printf(Locale.ROOT, "Var(Z[l]) measured, and predicted by n Var(w) E[A[l-1]^2]; ||dW[l]|| the Frobenius norm; "
                + "the input has Var 1: below 1e-3 a signal or gradient vanishes, above 1e3 it explodes%n%n");
        List<DepthResult> deep = new ArrayList<>();
        int wi = Math.max(22, depthInitializers.stream().mapToInt(String::length).max().orElse(0));
        int mid = (depth + 1) / 2;
        out.printf(Locale.ROOT, "%-10s %-" + wi + "s %10s %10s %10s %10s %10s %10s %10s  %s%n", "activation", "initializer",
                "Var(Z[1])", "Var(Z[" + mid + "])", "Var(Z[" + depth + "])", "predicted", "||dW[1]||", "||dW[" + mid + "]||",
                "||dW[" + depth + "]||", "signal at L / gradient at 1");
        for (String activation : depthActivations) {
            for (String init : depthInitializers) {
                DepthResult r = measureDepth(activation, init);
                deep.add(r);
                LayerStatistics first = r.layers.get(0);
                LayerStatistics middle = r.layers.get(mid - 1);
                LayerStatistics last = r.layers.get(depth - 1);
                out.printf(Locale.ROOT, "%-10s %-" + wi + "s %10.3e %10.3e %10.3e %10.3e %10.3e %10.3e %10.3e  %s / %s%n",
                        activation, init, first.zVariance(), middle.zVariance(), last.zVariance(),
                        last.predictedZVariance(), first.gradientNorm(), middle.gradientNorm(), last.gradientNorm(),
                        r.signal(), r.gradient());
                if (fullTables) {
                    out.println(Diagnostics.format(r.layers));
                }
            }
        }
        List<BatchNormResult> normalized = new ArrayList<>();
        List<String> bnInits = batchNormInitializers();
        if (!bnInits.isEmpty()) {
            out.printf(Locale.ROOT, "%ndepth with batch norm: the same network with dense(identity) -> batch_norm -> activation at "
                    + "each of the %d layers, the same batch, measured in CHECKING mode (batch statistics, as in training)%n", depth);
            out.printf(Locale.ROOT, "Zhat[l] = (Z[l] - mean) / sqrt(var + epsilon) per unit over the batch, gamma = 1, beta = 0; "
                    + "predicted: Var(Zhat[l]) = (1/n) sum_i var_i / (var_i + epsilon) = 1 by construction, whatever the "
                    + "initializer; Var(Z[%d]) is the dense output before normalization%n%n", depth);
            out.printf(Locale.ROOT, "%-10s %-" + wi + "s %13s %13s %13s %10s %10s %10s %10s %10s  %s%n", "activation", "initializer",
                    "Var(Zhat[1])", "Var(Zhat[" + mid + "])", "Var(Zhat[" + depth + "])", "predicted", "Var(Z[" + depth + "])",
                    "||dW[1]||", "||dW[" + mid + "]||", "||dW[" + depth + "]||", "signal at L / gradient at 1");
            for (String activation : depthActivations) {
                for (String init : bnInits) {
                    BatchNormResult r = measureDepthBatchNorm(activation, init);
                    normalized.add(r);
                    LayerStatistics first = r.normalized.get(0);
                    LayerStatistics middle = r.normalized.get(mid - 1);
                    LayerStatistics last = r.normalized.get(depth - 1);
                    out.printf(Locale.ROOT, "%-10s %-" + wi + "s %13.3e %13.3e %13.3e %10.3e %10.3e %10.3e %10.3e %10.3e  %s / %s%n",
                            activation, init, first.zVariance(), middle.zVariance(), last.zVariance(), r.predicted[depth - 1],
                            r.dense.get(depth - 1).zVariance(), r.dense.get(0).gradientNorm(),
                            r.dense.get(mid - 1).gradientNorm(), r.dense.get(depth - 1).gradientNorm(), r.signal(), r.gradient());
                    if (fullTables) {
                        out.println(Diagnostics.format(r.all));
                    }
                }
            }
        }
        List<Path> images = new ArrayList<>();
        images.add(circlesPicture(train, test, circles));
        images.add(depthPicture(deep));
        if (!normalized.isEmpty()) {
            images.add(batchNormPicture(deep, normalized));
        }
        out.println();
        for (Path image : images) {
            out.printf("wrote %s%n", image);
        }
        return new Run(circles, deep, normalized, images);
    }

    /** The course's lesson: three initializers on its circles, cost every 1000 iterations and accuracies beside the published ones. */
    Run runCourse(PrintStream out) {
        Dataset train = CirclesData.courseTrain();
        Dataset test = CirclesData.courseTest();
        int iterations = 15000;
        out.printf(Locale.ROOT, "course mode: the lesson's circles (make_circles(300, noise=0.05) after np.random.seed(1), "
                + "make_circles(100, noise=0.05) after seed(2)); network [2, 10, 5, 1] relu, sigmoid output; weights drawn by %s "
                + "after np.random.seed(%d); %d iterations of sgd(learning_rate=0.01)%n", Course.RANDOM, Course.INIT_WEIGHT_SEED,
                iterations);
        out.printf(Locale.ROOT, "nnkit cost: from Z (finite when a sigmoid output rounds to 0 or 1); course formula: the same "
                + "model's cost as the notebook's compute_loss writes it, from A with nansum%n");
        out.printf(Locale.ROOT, "%nthe lesson's unit tests (biases are zeros):%n");
        out.printf(Locale.ROOT, "initialize_parameters_random([3, 2, 1]):%n");
        Network random = courseUnitTest(3, 2, "normal(std=10)");
        Course.printWeights(out, "W1", random.parameter(1, "W"), Course.RANDOM_W1);
        Course.printWeights(out, "W2", random.parameter(2, "W"), Course.RANDOM_W2);
        out.printf(Locale.ROOT, "initialize_parameters_he([2, 4, 1]):%n");
        Network he = courseUnitTest(2, 4, "he_normal");
        Course.printWeights(out, "W1", he.parameter(1, "W"), Course.HE_W1);
        Course.printWeights(out, "W2", he.parameter(2, "W"), Course.HE_W2);
        List<CirclesResult> circles = new ArrayList<>();
        for (String init : COURSE_INITIALIZERS) {
            CourseResult course = trainCourse(train, test, init, iterations);
            CirclesResult r = course.result();
            circles.add(r);
            Course.CirclesRow published = Course.CIRCLES.get(init);
            out.printf(Locale.ROOT, "%ninitialization %s%n", init);
            out.printf(Locale.ROOT, "%9s  %-22s %-22s %-22s %s%n", "iteration", "nnkit cost", "course formula", "course printed",
                    "relative difference");
            for (int k = 0; k < published.costs().length; k++) {
                double mine = r.costs[1000 * k];
                double formula = course.courseCosts().getOrDefault(1000L * k, Double.NaN);
                double theirs = published.costs()[k];
                double relative = Double.isInfinite(theirs) ? Double.NaN : Math.abs(formula - theirs) / theirs;
                out.printf(Locale.ROOT, "%9d  %-22s %-22s %-22s %s%n", 1000 * k, Course.repr(mine), Course.repr(formula),
                        Course.repr(theirs), Double.isNaN(relative) ? (formula == theirs ? "equal" : "-")
                                : String.format(Locale.ROOT, "%.1e", relative));
            }
            out.printf(Locale.ROOT, "accuracy on the train set: nnkit %s, course %s; on the test set: nnkit %s, course %s%n",
                    Course.repr(r.trainAccuracy), Course.repr(published.trainAccuracy()), Course.repr(r.testAccuracy),
                    Course.repr(published.testAccuracy()));
        }
        List<Path> images = List.of(circlesPicture(train, test, circles));
        out.println();
        for (Path image : images) {
            out.printf("wrote %s%n", image);
        }
        return new Run(circles, List.of(), List.of(), images);
    }

    /**
     * One network of the course's lesson trained from {@code initializer} (drawn by
     * {@code numpy_legacy} after seed 3).
     *
     * @param result      the trained network, its costs and accuracies
     * @param courseCosts the cost as the notebook's {@code compute_loss} writes it, at iteration 0 and every 1000
     */
    record CourseResult(CirclesResult result, java.util.Map<Long, Double> courseCosts) {
    }

    /** The lesson's unit-test network {@code [inputs, hidden, 1]} with the lesson's weights ({@code np.random.seed(3)}). */
    static Network courseUnitTest(int inputs, int hidden, String initializer) {
        return Network.builder(inputs).activation("relu").initializer(initializer).dense(hidden).dense(1, "sigmoid")
                .loss("binary_cross_entropy").random(Course.RANDOM).seed(Course.INIT_WEIGHT_SEED).build();
    }

    /** Trains the lesson's [2, 10, 5, 1] network from one initializer, recording the notebook's cost every 1000 iterations. */
    CourseResult trainCourse(Dataset train, Dataset test, String initializer, int iterations) {
        Network network = Network.builder(2).activation("relu").initializer(initializer).dense(10).dense(5).dense(1, "sigmoid")
                .loss("binary_cross_entropy").random(Course.RANDOM).seed(Course.INIT_WEIGHT_SEED).build();
        Course.CourseCostRecorder recorder = new Course.CourseCostRecorder(network, train, 1000);
        Trainer trainer = new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.01)")
                .withEpochs(iterations).withSeed(Course.INIT_WEIGHT_SEED)).listener(recorder);
        long start = System.nanoTime();
        TrainingHistory history = trainer.fit(network, train);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new CourseResult(new CirclesResult(initializer, network.accuracy(train), network.accuracy(test),
                history.stepCosts(), seconds, network), recorder.costs);
    }

    private List<String> batchNormInitializers() {
        return batchNormInitializers.size() == 1 && batchNormInitializers.get(0).equals("none") ? List.of()
                : batchNormInitializers;
    }

    /** Trains the circles network from one initializer. */
    CirclesResult trainCircles(Dataset train, Dataset test, String initializer) {
        Network network = Network.builder(2).activation("relu").initializer(initializer)
                .dense(10).dense(5).dense(1, "sigmoid").loss("binary_cross_entropy").seed(seed).build();
        long start = System.nanoTime();
        TrainingHistory history = training.trainer(seed).fit(network, train);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new CirclesResult(initializer, network.accuracy(train), network.accuracy(test), history.stepCosts(), seconds,
                network);
    }

    /** Builds the deep network and measures it on one batch. */
    DepthResult measureDepth(String activation, String initializer) {
        Network.Builder builder = Network.builder(width).activation(activation).initializer(initializer)
                .loss("mean_squared_error").seed(seed);
        for (int l = 0; l < depth; l++) {
            builder.dense(width);
        }
        Network network = builder.build();
        return new DepthResult(activation, initializer, Diagnostics.measure(network, depthBatch()));
    }

    /** The measured batch: standard-normal inputs and targets, the same for every deep network. */
    Dataset depthBatch() {
        SplittableRandom random = new SplittableRandom(seed + 7);
        DMatrixRMaj x = new DMatrixRMaj(width, batch);
        DMatrixRMaj y = new DMatrixRMaj(width, batch);
        for (int k = 0; k < x.data.length; k++) {
            x.data[k] = random.nextGaussian();
            y.data[k] = random.nextGaussian();
        }
        return new Dataset(x, y);
    }

    /** The spec of the batch normalization layer the deep network and the fashion command insert. */
    static final String BATCH_NORM = "batch_norm";

    /**
     * The deep network with batch normalization: {@code depth} times {@code dense(width, identity)}
     * then {@code batch_norm} with {@code activation}, so {@code 2 depth} layers; dense layer
     * {@code l} is network layer {@code 2l - 1}, its normalization layer {@code 2l}.
     */
    Network batchNormNetwork(String activation, String initializer) {
        Network.Builder builder = Network.builder(width).initializer(initializer).loss("mean_squared_error").seed(seed);
        for (int l = 0; l < depth; l++) {
            builder.layer(LayerConfig.dense(width).withActivation("identity"));
            builder.layer(new LayerConfig(BATCH_NORM, activation, null, null));
        }
        return builder.build();
    }

    /**
     * Measures the deep network with batch normalization on the same batch as {@link #measureDepth}.
     * {@link Diagnostics#measure} runs in {@code CHECKING} mode, so each normalization uses the
     * batch's own mean and variance, as in training. The prediction for layer {@code l} is computed
     * from the dense output it normalizes: {@code (1/n) sum_i var_i / (var_i + epsilon)}, with
     * {@code var_i} the biased variance of unit {@code i} over the batch.
     */
    BatchNormResult measureDepthBatchNorm(String activation, String initializer) {
        Network network = batchNormNetwork(activation, initializer);
        Dataset data = depthBatch();
        List<LayerStatistics> all = Diagnostics.measure(network, data);
        ForwardTrace trace = network.forwardTrace(data.features(), StepContext.Mode.CHECKING);
        double epsilon = ((BatchNorm) network.layer(2)).epsilon();
        List<LayerStatistics> dense = new ArrayList<>();
        List<LayerStatistics> normalized = new ArrayList<>();
        double[] predicted = new double[depth];
        for (int l = 1; l <= depth; l++) {
            dense.add(all.get(2 * l - 2));
            normalized.add(all.get(2 * l - 1));
            predicted[l - 1] = normalizedVariance(trace.z(2 * l - 1), epsilon);
        }
        return new BatchNormResult(activation, initializer, List.copyOf(dense), List.copyOf(normalized), predicted, all);
    }

    /**
     * The variance, over all entries, of {@code Z} normalized row by row with its own batch
     * statistics, {@code gamma = 1} and {@code beta = 0}: every row then has mean 0 and variance
     * {@code var_i / (var_i + epsilon)}, so the whole has {@code (1/n) sum_i var_i / (var_i + epsilon)}.
     */
    static double normalizedVariance(DMatrixRMaj z, double epsilon) {
        double sum = 0.0;
        int m = z.numCols;
        for (int i = 0; i < z.numRows; i++) {
            double mean = 0.0;
            for (int j = 0; j < m; j++) {
                mean += z.data[i * m + j];
            }
            mean /= m;
            double squares = 0.0;
            for (int j = 0; j < m; j++) {
                double d = z.data[i * m + j] - mean;
                squares += d * d;
            }
            double variance = squares / m;
            sum += variance / (variance + epsilon);
        }
        return sum / z.numRows;
    }

    private Path circlesPicture(Dataset train, Dataset test, List<CirclesResult> results) {
        List<BufferedImage> boundaries = new ArrayList<>();
        Plots.LineChart cost = Plots.lineChart("Cost J during training", "iteration", "cost J (log scale)").logY();
        for (CirclesResult r : results) {
            boundaries.add(Plots.decisionBoundary(r.network).title("init " + r.initializer)
                    .subtitle(String.format(Locale.ROOT, "train %.1f %%, test %.1f %% (test points shown)",
                            100 * r.trainAccuracy, 100 * r.testAccuracy))
                    .window(-1.5, 1.5, -1.5, 1.5).points(test).classNames("outer (y = 0)", "inner (y = 1)")
                    .size(380, 380).render());
            cost.series(r.initializer, r.costs);
        }
        BufferedImage top = Plots.panels(Math.min(4, boundaries.size()), boundaries);
        BufferedImage bottom = cost.size(top.getWidth(), 330).legend(org.knowm.xchart.style.Styler.LegendPosition.InsideNE)
                .render();
        String title = "Initializing a [2, 10, 5, 1] ReLU network on the circles data";
        return Plots.save(Plots.panels(title, 1, List.of(top, bottom)), output.file("init_circles.png"));
    }

    private Path depthPicture(List<DepthResult> results) {
        List<BufferedImage> variance = new ArrayList<>();
        List<BufferedImage> gradient = new ArrayList<>();
        double[] layers = new double[depth];
        for (int l = 0; l < depth; l++) {
            layers[l] = l + 1;
        }
        int step = Math.max(1, depth / 10);
        boolean[] duplicates = duplicates(results);
        for (String activation : depthActivations) {
            Plots.LineChart v = Plots.lineChart("Var(Z[l]) with " + activation, "layer l", "Var(Z[l]), log scale")
                    .size(600, 420);
            Plots.LineChart g = Plots.lineChart("||dW[l]|| with " + activation, "layer l", "||dW[l]||, log scale")
                    .size(600, 420);
            for (DepthResult r : results) {
                if (!r.activation.equals(activation)) {
                    continue;
                }
                int index = depthInitializers.indexOf(r.initializer);
                Color color = Plots.color(index);
                Plots.Style line = duplicates[index] ? Plots.Style.DASHED : Plots.Style.LINE;
                v.series(r.initializer, layers, MorePlots.log10(r.column(LayerStatistics::zVariance)), line, color);
                double[] predicted = MorePlots.log10(r.column(LayerStatistics::predictedZVariance));
                int count = (depth - 1) / step + 1;
                double[] px = new double[count];
                double[] py = new double[count];
                for (int k = 0; k < count; k++) {
                    px[k] = layers[k * step];
                    py[k] = predicted[k * step];
                }
                v.series(r.initializer + " predicted", px, py, Plots.Style.MARKERS, color);
                g.series(r.initializer, layers, MorePlots.log10(r.column(LayerStatistics::gradientNorm)), line, color);
            }
            variance.add(BitmapEncoder.getBufferedImage(MorePlots.powersOfTen(v.chart())));
            gradient.add(BitmapEncoder.getBufferedImage(MorePlots.powersOfTen(g.chart())));
        }
        List<BufferedImage> all = new ArrayList<>(variance);
        all.addAll(gradient);
        BufferedImage grid = Plots.panels(depthActivations.size(), all);
        List<String> names = new ArrayList<>();
        List<Color> colors = new ArrayList<>();
        for (int i = 0; i < depthInitializers.size(); i++) {
            names.add(depthInitializers.get(i));
            colors.add(Plots.color(i));
        }
        String note = "lines: measured on one batch;  dots: Var(Z[l]) = n Var(w) E[A[l-1]^2], the variance formula with the "
                + "initializer's Var(w);  the input has variance 1";
        for (int i = 0; i < duplicates.length; i++) {
            if (duplicates[i]) {
                note += ";  dashed: the same numbers as an earlier initializer";
                break;
            }
        }
        BufferedImage legend = MorePlots.legendStrip(names, colors, duplicates, grid.getWidth(), note);
        String title = String.format(Locale.ROOT, "A plain network of %d layers of %d units: signal and gradient through "
                + "depth at initialization", depth, width);
        return Plots.save(MorePlots.stack(title, List.of(legend, grid)), output.file("init_depth.png"));
    }

    /** The colour of a deep-network initializer: its place in --depth-init, or after those when it is not there. */
    Color depthColor(String initializer) {
        int index = depthInitializers.indexOf(initializer);
        return Plots.color(index >= 0 ? index : depthInitializers.size() + batchNormInitializers().indexOf(initializer));
    }

    /**
     * The variance panel of {@code init_depth_batchnorm.png} for one activation, with log10 values:
     * per initializer the plain network's {@code Var(Z[l])} dashed (none when {@code plain} is null), the normalized network's
     * {@code Var(Zhat[l])} solid, and the formula {@code (1/n) sum var_i / (var_i + epsilon)} as dots.
     * Series names: {@code "<init> plain"}, {@code "<init> batch norm"}, {@code "<init> predicted"}.
     */
    Plots.LineChart batchNormVarianceChart(String activation, List<DepthResult> plain, List<BatchNormResult> normalized) {
        Plots.LineChart chart = Plots.lineChart("Var(Z[l]) with " + activation + ": plain vs batch norm", "layer l",
                "variance, log scale").size(600, 420);
        double[] layers = layerAxis();
        int step = Math.max(1, depth / 10);
        for (BatchNormResult r : normalized) {
            if (!r.activation.equals(activation)) {
                continue;
            }
            Color color = depthColor(r.initializer);
            DepthResult p = findPlain(plain, activation, r.initializer);
            if (p != null) {
                chart.series(r.initializer + " plain", layers, MorePlots.log10(p.column(LayerStatistics::zVariance)),
                        Plots.Style.DASHED, color);
            }
            chart.series(r.initializer + " batch norm", layers, MorePlots.log10(r.column(r.normalized,
                    LayerStatistics::zVariance)), Plots.Style.LINE, color);
            double[] predicted = MorePlots.log10(r.predicted);
            int count = (depth - 1) / step + 1;
            double[] px = new double[count];
            double[] py = new double[count];
            for (int k = 0; k < count; k++) {
                px[k] = layers[k * step];
                py[k] = predicted[k * step];
            }
            chart.series(r.initializer + " predicted", px, py, Plots.Style.MARKERS, color);
        }
        return chart;
    }

    /**
     * The gradient panel of {@code init_depth_batchnorm.png} for one activation, with log10 values:
     * per initializer {@code ||dW[l]||} of the plain network dashed ({@code "<init> plain"}) and of
     * the dense layers of the normalized network solid ({@code "<init> batch norm"}).
     */
    Plots.LineChart batchNormGradientChart(String activation, List<DepthResult> plain, List<BatchNormResult> normalized) {
        Plots.LineChart chart = Plots.lineChart("||dW[l]|| with " + activation + ": plain vs batch norm", "layer l",
                "||dW[l]||, log scale").size(600, 420);
        double[] layers = layerAxis();
        for (BatchNormResult r : normalized) {
            if (!r.activation.equals(activation)) {
                continue;
            }
            Color color = depthColor(r.initializer);
            DepthResult p = findPlain(plain, activation, r.initializer);
            if (p != null) {
                chart.series(r.initializer + " plain", layers, MorePlots.log10(p.column(LayerStatistics::gradientNorm)),
                        Plots.Style.DASHED, color);
            }
            chart.series(r.initializer + " batch norm", layers, MorePlots.log10(r.column(r.dense,
                    LayerStatistics::gradientNorm)), Plots.Style.LINE, color);
        }
        return chart;
    }

    private double[] layerAxis() {
        double[] layers = new double[depth];
        for (int l = 0; l < depth; l++) {
            layers[l] = l + 1;
        }
        return layers;
    }

    /**
     * The plain network's result for the pair, measured now when --depth-init did not include it;
     * null when {@code plain} is null (a chart of the normalized networks alone).
     */
    private DepthResult findPlain(List<DepthResult> plain, String activation, String initializer) {
        if (plain == null) {
            return null;
        }
        for (DepthResult r : plain) {
            if (r.activation.equals(activation) && r.initializer.equals(initializer)) {
                return r;
            }
        }
        return measureDepth(activation, initializer);
    }

    /**
     * {@code init_depth_batchnorm.png}: per activation, {@code Var(Z[l])} (top) and
     * {@code ||dW[l]||} (bottom) against depth on a log scale, the plain network dashed and the
     * network with batch normalization solid, one colour per initializer.
     */
    private Path batchNormPicture(List<DepthResult> plain, List<BatchNormResult> normalized) {
        List<BufferedImage> variance = new ArrayList<>();
        List<BufferedImage> gradient = new ArrayList<>();
        for (String activation : depthActivations) {
            variance.add(BitmapEncoder.getBufferedImage(MorePlots.powersOfTen(
                    batchNormVarianceChart(activation, plain, normalized).chart())));
            gradient.add(BitmapEncoder.getBufferedImage(MorePlots.powersOfTen(
                    batchNormGradientChart(activation, plain, normalized).chart())));
        }
        List<BufferedImage> all = new ArrayList<>(variance);
        all.addAll(gradient);
        BufferedImage grid = Plots.panels(depthActivations.size(), all);
        List<String> names = new ArrayList<>();
        List<Color> colors = new ArrayList<>();
        for (String init : batchNormInitializers()) {
            names.add(init);
            colors.add(depthColor(init));
        }
        Color grey = new Color(0x55, 0x55, 0x55);
        names.add("plain network");
        colors.add(grey);
        names.add("with batch norm");
        colors.add(grey);
        boolean[] dashed = new boolean[names.size()];
        dashed[names.size() - 2] = true;
        String note = "top: dashed Var(Z[l]) of the plain network; solid Var(Zhat[l]) after batch norm (batch statistics), "
                + "one line for all initializers at 1; dots (1/n) sum var_i / (var_i + eps);  bottom: ||dW[l]|| of the dense layers";
        BufferedImage legend = MorePlots.legendStrip(names, colors, dashed, grid.getWidth(), note);
        String title = String.format(Locale.ROOT, "%d layers of %d units at initialization: plain vs batch norm after every "
                + "dense layer", depth, width);
        return Plots.save(MorePlots.stack(title, List.of(legend, grid)), output.file("init_depth_batchnorm.png"));
    }

    /**
     * For each initializer, whether its measurements equal those of an earlier one for every
     * activation (Xavier and LeCun coincide when fan_in = fan_out): such lines are drawn dashed so
     * that the one underneath stays visible.
     */
    private boolean[] duplicates(List<DepthResult> results) {
        boolean[] out = new boolean[depthInitializers.size()];
        for (int i = 0; i < out.length; i++) {
            for (int earlier = 0; earlier < i && !out[i]; earlier++) {
                boolean same = true;
                for (String activation : depthActivations) {
                    same &= java.util.Arrays.equals(find(results, activation, depthInitializers.get(i)),
                            find(results, activation, depthInitializers.get(earlier)));
                }
                out[i] = same;
            }
        }
        return out;
    }

    private static double[] find(List<DepthResult> results, String activation, String initializer) {
        for (DepthResult r : results) {
            if (r.activation.equals(activation) && r.initializer.equals(initializer)) {
                return r.column(LayerStatistics::zVariance);
            }
        }
        return null;
    }

    /** What the circles network reached from one initializer. */
    record CirclesResult(String initializer, double trainAccuracy, double testAccuracy, double[] costs, double seconds,
                         Network network) {
    }

    /** The per-layer statistics of one deep network. */
    record DepthResult(String activation, String initializer, List<LayerStatistics> layers) {

        double[] column(java.util.function.ToDoubleFunction<LayerStatistics> f) {
            return layers.stream().mapToDouble(f).toArray();
        }

        /** The signal at the last layer: Var(Z[L]) against the input's variance 1. */
        String signal() {
            return verdict(layers.get(layers.size() - 1).zVariance());
        }

        /** The gradient at the first layer, the farthest from the loss: ||dW[1]||. */
        String gradient() {
            return verdict(layers.get(0).gradientNorm());
        }

        /** Below 1e-3 vanishes, above 1e3 explodes, else kept: three decades either side of 1. */
        static String verdict(double value) {
            return !(value > 1e-3) ? "vanishes" : value > 1e3 ? "explodes" : "kept";
        }
    }

    /**
     * The per-layer statistics of one deep network with batch normalization: {@code dense} and
     * {@code normalized} hold layer {@code l}'s dense layer (raw {@code Z[l]}, {@code ||dW[l]||}) and
     * its normalization layer ({@code Var(Zhat[l])}, {@code Var(A[l])}) at index {@code l - 1};
     * {@code predicted[l - 1]} is {@code (1/n) sum_i var_i / (var_i + epsilon)}; {@code all} is what
     * {@link Diagnostics#measure} returned for the {@code 2 depth} layers.
     */
    record BatchNormResult(String activation, String initializer, List<LayerStatistics> dense,
                           List<LayerStatistics> normalized, double[] predicted, List<LayerStatistics> all) {

        double[] column(List<LayerStatistics> layers, java.util.function.ToDoubleFunction<LayerStatistics> f) {
            return layers.stream().mapToDouble(f).toArray();
        }

        /** The normalized signal at the last layer, Var(Zhat[L]). */
        String signal() {
            return DepthResult.verdict(normalized.get(normalized.size() - 1).zVariance());
        }

        /** The gradient of the first dense layer, ||dW[1]||. */
        String gradient() {
            return DepthResult.verdict(dense.get(0).gradientNorm());
        }
    }

    /** Everything one run produced. */
    record Run(List<CirclesResult> circles, List<DepthResult> depth, List<BatchNormResult> batchNorm, List<Path> images) {
    }
}
