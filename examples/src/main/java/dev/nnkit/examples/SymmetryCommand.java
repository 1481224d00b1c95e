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
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Symmetry (MATH §4): the same network trained on the flower data from several initializers.
 * When every weight of a layer starts equal, every hidden unit computes the same function, gets
 * the same gradient and stays identical: after training the rows of {@code W[1]} are still equal
 * and the layer acts like a single unit. With zeros and tanh it is worse: every gradient except
 * {@code db[2]} is exactly zero, nothing moves, and the output stays 0.5 (chance). Small random
 * weights break the symmetry.
 *
 * <p>{@code --course} uses the course's flower ({@link PlanarData#courseFlower()}) and draws the
 * random initializers with the {@code numpy_legacy} source after {@code np.random.seed(2)}, as the
 * planar assignment's {@code initialize_parameters} does: the {@code small_random(scale=0.01)} row
 * is then the assignment's 4-unit model, printed beside the notebook's numbers.
 */
@Command(name = "symmetry", mixinStandardHelpOptions = true,
        description = {"Zeros and a constant against small random initialization on the flower data: when all weights "
                + "start equal every hidden unit keeps identical weights (the rows of W[1] are printed); with zeros "
                + "the accuracy stays at chance.",
                "Writes symmetry.png (decision boundaries and cost curves) into --out."})
final class SymmetryCommand implements ExampleCommand {

    @Option(names = "--init", split = ";",
            defaultValue = "zeros;constant(value=0.5);small_random(scale=0.01)",
            description = "Initializers to compare, spec strings separated by ';' or given repeatedly "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> initializers;

    @Option(names = "--hidden", defaultValue = "4", description = "Units in the hidden layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--activation", defaultValue = "tanh",
            description = "Activation of the hidden layer (default: ${DEFAULT-VALUE}).")
    String activation;

    @Mixin final FullBatchOptions training = new FullBatchOptions("sgd(learning_rate=1.2)", 10000);

    /** {@code --seed}, set by {@link #seedOption}. */
    long seed;

    @Mixin final SeedOption seedOption = new SeedOption(seed -> this.seed = seed);

    @Option(names = "--course", description = "Use the course's flower (np.random.seed(1)) and draw the weights with NumPy's "
            + "legacy generator after np.random.seed(2), as the planar assignment does; the small_random(scale=0.01) row is "
            + "then the assignment's model, printed beside its published cost and accuracy. --seed is ignored.")
    boolean course;

    @Mixin final OutputOptions output = new OutputOptions();

    /** Trains one network per initializer, prints the table and the rows of {@code W[1]}, writes the picture. */
    @Override
    public Run run(PrintStream out) {
        Dataset data = course ? PlanarData.courseFlower() : PlanarData.flower(200, seed);
        List<Result> results = new ArrayList<>();
        for (String init : initializers) {
            results.add(train(data, init));
        }
        Network any = results.get(0).network;
        out.printf(Locale.ROOT, "flower data: m = %d points; network %s; %d iterations of %s%n%n", data.size(),
                any.toString().replace(", binary_cross_entropy", ""), training.iterations, training.optimizer);
        int width = Math.max(12, results.stream().mapToInt(r -> r.initializer.length()).max().orElse(0));
        out.printf(Locale.ROOT, "%-" + width + "s %9s %11s %14s %20s%n", "initializer", "accuracy", "final cost",
                "distinct rows", "max |W[1] row diff|");
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-" + width + "s %8.2f%% %11.6f %9d of %-2d %20.3e%n", r.initializer, 100 * r.accuracy,
                    r.finalCost, r.distinctRows, r.w1.numRows, r.maxRowDifference);
        }
        if (course) {
            for (Result r : results) {
                if (r.initializer.equals(COURSE_INITIALIZER) && training.iterations == 10000) {
                    out.printf(Locale.ROOT, "%n%s is the assignment's nn_model(X, Y, n_h=4, num_iterations=10000): cost at "
                            + "iteration 9000 %f (course %f), accuracy %d%% as the course prints it (course %s)%n", r.initializer,
                            r.costs[9000], Course.PLANAR_COSTS[9], (int) (100 * r.accuracy), Course.PLANAR_ACCURACY);
                }
            }
        }
        for (Result r : results) {
            out.printf(Locale.ROOT, "%nW[1] and b[1] after training from %s (one row per hidden unit):%n", r.initializer);
            for (int i = 0; i < r.w1.numRows; i++) {
                StringBuilder row = new StringBuilder();
                for (int k = 0; k < r.w1.numCols; k++) {
                    row.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%10.6f", r.w1.get(i, k)));
                }
                out.printf(Locale.ROOT, "  unit %d: W[1] = [%s]   b[1] = %10.6f%n", i + 1, row, r.b1.get(i, 0));
            }
        }
        Path image = picture(data, results);
        out.printf("%nwrote %s%n", image);
        return new Run(results, List.of(image));
    }

    private Path picture(Dataset data, List<Result> results) {
        List<BufferedImage> boundaries = new ArrayList<>();
        Plots.LineChart cost = Plots.lineChart("Cost during training", "iteration", "cost J (log scale)").logY();
        for (Result r : results) {
            boundaries.add(Plots.decisionBoundary(r.network).title("init " + r.initializer)
                    .subtitle(String.format(Locale.ROOT, "accuracy %.2f %%, %s", 100 * r.accuracy,
                            r.distinctRows == 1 ? "all rows of W[1] equal" : r.distinctRows + " distinct rows of W[1]"))
                    .points(data).size(400, 400).render());
            cost.series(r.initializer, r.costs);
        }
        int columns = boundaries.size();
        BufferedImage top = Plots.panels(columns, boundaries);
        BufferedImage bottom = cost.size(top.getWidth(), 340).render();
        String title = String.format(Locale.ROOT, "Symmetry: %d %s hidden units trained from each initializer", hidden, activation);
        return Plots.save(Plots.panels(title, 1, List.of(top, bottom)), output.file("symmetry.png"));
    }

    /** The assignment's initializer, {@code np.random.randn(n_h, n_x) * 0.01}. */
    static final String COURSE_INITIALIZER = "small_random(scale=0.01)";

    /** Trains the network from one initializer. */
    Result train(Dataset data, String initializer) {
        Network.Builder builder = Network.builder(2).activation(activation).initializer(initializer).dense(hidden)
                .dense(1, "sigmoid").loss("binary_cross_entropy");
        Network network = (course ? builder.random(Course.RANDOM).seed(Course.PLANAR_WEIGHT_SEED) : builder.seed(seed)).build();
        TrainingHistory history = training.trainer(seed).fit(network, data);
        DMatrixRMaj w1 = network.parameter(1, "W");
        DMatrixRMaj b1 = network.parameter(1, "b");
        int distinct = 0;
        double maxDifference = 0;
        for (int i = 0; i < w1.numRows; i++) {
            boolean seen = false;
            for (int earlier = 0; earlier < i && !seen; earlier++) {
                seen = sameRow(w1, b1, i, earlier);
            }
            if (!seen) {
                distinct++;
            }
            for (int k = 0; k < w1.numCols; k++) {
                maxDifference = Math.max(maxDifference, Math.abs(w1.get(i, k) - w1.get(0, k)));
            }
        }
        return new Result(initializer, network.accuracy(data), history.finalCost(), w1, b1, distinct, maxDifference,
                history.stepCosts(), network);
    }

    /** Rows {@code i} and {@code j} of {@code [W[1] b[1]]} are equal bit for bit. */
    private static boolean sameRow(DMatrixRMaj w, DMatrixRMaj b, int i, int j) {
        for (int k = 0; k < w.numCols; k++) {
            if (Double.compare(w.get(i, k), w.get(j, k)) != 0) {
                return false;
            }
        }
        return Double.compare(b.get(i, 0), b.get(j, 0)) == 0;
    }

    /**
     * One initializer's outcome.
     *
     * @param initializer      the initializer spec
     * @param accuracy         the training accuracy in [0, 1]
     * @param finalCost        the cost of the last iteration
     * @param w1               {@code W[1]} after training, {@code (hidden, 2)}
     * @param b1               {@code b[1]} after training, {@code (hidden, 1)}
     * @param distinctRows     how many rows of {@code [W[1] b[1]]} differ (bit for bit); 1 means full symmetry
     * @param maxRowDifference the largest {@code |W[1][i][k] - W[1][0][k]|}
     * @param costs            the cost of every iteration
     * @param network          the trained network
     */
    record Result(String initializer, double accuracy, double finalCost, DMatrixRMaj w1, DMatrixRMaj b1, int distinctRows,
                  double maxRowDifference, double[] costs, Network network) {
    }

    /**
     * Everything one run produced.
     *
     * @param results one per initializer, in the order given
     * @param images  the PNG files written
     */
    record Run(List<Result> results, List<Path> images) {
    }
}
