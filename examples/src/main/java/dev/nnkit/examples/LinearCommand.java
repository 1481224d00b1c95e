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
import org.ejml.dense.row.CommonOps_DDRM;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Without a nonlinearity depth buys nothing (MATH §2): a deep network whose hidden layers use the
 * identity activation computes {@code Z[L] = W' X + b'} with
 * {@code W' = W[L] W[L-1] ... W[1]} and {@code b' = W[L](...(W[2] b[1] + b[2])...) + b[L]}, one
 * linear map, so with a sigmoid output it is logistic regression and its decision boundary is the
 * line {@code W' x + b' = 0}. The command trains logistic regression, the deep identity network
 * and the same architecture with tanh on the flower data, collapses the trained identity network
 * into {@code W'} and {@code b'}, and checks that both give the same {@code Z[L]}.
 */
@Command(name = "linear", mixinStandardHelpOptions = true,
        description = {"Identity activations in every hidden layer: a deep network collapses to one linear map "
                + "W'x + b' (computed from the trained weights and checked against the network's output) and "
                + "cannot fit the flower data, while the same architecture with tanh can.",
                "Writes linear.png (decision boundaries and cost curves) into --out."})
final class LinearCommand implements ExampleCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--layers", split = ",", defaultValue = "10,10,10",
            description = "Hidden layer sizes, comma-separated (default: ${DEFAULT-VALUE}, i.e. 2-10-10-10-1).")
    List<Integer> layers;

    @Option(names = "--nonlinear", defaultValue = "tanh",
            description = "Hidden activation of the comparison network (default: ${DEFAULT-VALUE}).")
    String nonlinear;

    @Option(names = "--init", defaultValue = "xavier_normal",
            description = "Weight initializer of the deep networks (default: ${DEFAULT-VALUE}).")
    String initializer;

    @Mixin final FullBatchOptions training = new FullBatchOptions("sgd(learning_rate=0.1)", 10000);

    /** {@code --seed}, set by {@link #seedOption}. */
    long seed;

    @Mixin final SeedOption seedOption = new SeedOption(seed -> this.seed = seed);

    @Mixin final OutputOptions output = new OutputOptions();

    /** Trains the three models, collapses the identity network, prints the tables, writes the picture. */
    @Override
    public Run run(PrintStream out) {
        for (int size : layers) {
            if (size < 1) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--layers': " + size
                        + " is not a layer size; each must be >= 1");
            }
        }
        Dataset data = PlanarData.flower(200, seed);
        Model logistic = train(data, "logistic regression", List.of(), "identity");
        Model identity = train(data, "identity hidden", layers, "identity");
        Model tanh = train(data, nonlinear + " hidden", layers, nonlinear);

        Collapsed collapsed = collapse(identity.network);
        DMatrixRMaj x = data.features();
        DMatrixRMaj direct = collapsed.apply(x);
        DMatrixRMaj z = identity.network.forwardTrace(x).z(identity.network.depth());
        double maxDifference = 0;
        for (int j = 0; j < x.numCols; j++) {
            maxDifference = Math.max(maxDifference, Math.abs(direct.get(0, j) - z.get(0, j)));
        }

        out.printf(Locale.ROOT, "flower data: m = %d points; %d iterations of %s; init %s%n%n", data.size(), training.iterations,
                training.optimizer, initializer);
        out.printf(Locale.ROOT, "%-24s %-52s %9s %11s%n", "model", "network", "accuracy", "final cost");
        for (Model m : List.of(logistic, identity, tanh)) {
            out.printf(Locale.ROOT, "%-24s %-52s %8.2f%% %11.6f%n", m.name, m.network.toString().replace(", binary_cross_entropy", ""),
                    100 * m.accuracy, m.finalCost);
        }
        out.printf(Locale.ROOT, "%nthe trained identity network as one linear map, Z[%d] = W' x + b':%n", identity.network.depth());
        out.printf(Locale.ROOT, "  W' = W[%d] ... W[1] = [%.6f, %.6f]   b' = %.6f%n", identity.network.depth(),
                collapsed.weights.get(0, 0), collapsed.weights.get(0, 1), collapsed.bias.get(0, 0));
        out.printf(Locale.ROOT, "  max |Z[%d] - (W' x + b')| over the %d points: %.3e%n", identity.network.depth(), x.numCols,
                maxDifference);
        DMatrixRMaj w = logistic.network.parameter(1, "W");
        out.printf(Locale.ROOT, "  logistic regression for comparison: W = [%.6f, %.6f]   b = %.6f%n", w.get(0, 0), w.get(0, 1),
                logistic.network.parameter(1, "b").get(0, 0));

        Path image = picture(data, List.of(logistic, identity, tanh));
        out.printf("%nwrote %s%n", image);
        return new Run(logistic, identity, tanh, collapsed.weights, collapsed.bias, maxDifference, List.of(image));
    }

    private Model train(Dataset data, String name, List<Integer> hidden, String activation) {
        Network.Builder builder = Network.builder(2).activation(activation).initializer(initializer)
                .loss("binary_cross_entropy").seed(seed);
        for (int units : hidden) {
            builder.dense(units);
        }
        Network network = builder.dense(1, "sigmoid").build();
        TrainingHistory history = training.trainer(seed).fit(network, data);
        return new Model(name, network, network.accuracy(data), history.finalCost(), history.stepCosts());
    }

    /**
     * Multiplies the layers of a network out: {@code W' = W[L] ... W[1]} and
     * {@code b' = W[L](...(W[2] b[1] + b[2])...) + b[L]}. Equal to the network's {@code Z[L]} only
     * when every hidden activation is the identity.
     */
    static Collapsed collapse(Network network) {
        DMatrixRMaj weights = network.parameter(1, "W");
        DMatrixRMaj bias = network.parameter(1, "b");
        for (int l = 2; l <= network.depth(); l++) {
            DMatrixRMaj wl = network.parameter(l, "W");
            DMatrixRMaj nextWeights = new DMatrixRMaj(wl.numRows, weights.numCols);
            CommonOps_DDRM.mult(wl, weights, nextWeights);
            DMatrixRMaj nextBias = new DMatrixRMaj(wl.numRows, 1);
            CommonOps_DDRM.mult(wl, bias, nextBias);
            CommonOps_DDRM.addEquals(nextBias, network.parameter(l, "b"));
            weights = nextWeights;
            bias = nextBias;
        }
        return new Collapsed(weights, bias);
    }

    private Path picture(Dataset data, List<Model> models) {
        List<BufferedImage> boundaries = new ArrayList<>();
        Plots.LineChart cost = Plots.lineChart("Cost during training", "iteration", "cost J (log scale)").logY();
        for (Model m : models) {
            Plots.DecisionBoundary panel = Plots.decisionBoundary(m.network).title(m.name + " " + architecture(m.network))
                    .points(data).size(400, 400);
            if (m == models.get(1)) {
                panel.subtitle(String.format(Locale.ROOT, "accuracy %.2f %%; boundary: the line W'x + b' = 0",
                        100 * panel.accuracy()));
            }
            boundaries.add(panel.render());
            // dashed, so that logistic regression stays visible under the identical curve
            cost.series(m.name, m.costs, m == models.get(1) ? Plots.Style.DASHED : Plots.Style.LINE);
        }
        BufferedImage top = Plots.panels(boundaries.size(), boundaries);
        BufferedImage bottom = cost.size(top.getWidth(), 340).render();
        return Plots.save(Plots.panels("Identity activations collapse a deep network to one linear map", 1,
                List.of(top, bottom)), output.file("linear.png"));
    }

    /** The layer sizes, e.g. {@code 2-10-10-10-1}. */
    private static String architecture(Network network) {
        StringBuilder text = new StringBuilder().append(network.units(0));
        for (int l = 1; l <= network.depth(); l++) {
            text.append('-').append(network.units(l));
        }
        return text.toString();
    }

    /**
     * A trained model.
     *
     * @param name      e.g. {@code deep, identity hidden}
     * @param network   the trained network
     * @param accuracy  the training accuracy in [0, 1]
     * @param finalCost the cost of the last iteration
     * @param costs     the cost of every iteration
     */
    record Model(String name, Network network, double accuracy, double finalCost, double[] costs) {
    }

    /**
     * A network multiplied out into one affine map {@code Z = W' X + b'}.
     *
     * @param weights {@code W'}, {@code (n[L], n[0])}
     * @param bias    {@code b'}, {@code (n[L], 1)}
     */
    record Collapsed(DMatrixRMaj weights, DMatrixRMaj bias) {

        /** {@code W' X + b'} for inputs {@code X} of shape {@code (n[0], m)}. */
        DMatrixRMaj apply(DMatrixRMaj x) {
            DMatrixRMaj z = new DMatrixRMaj(weights.numRows, x.numCols);
            CommonOps_DDRM.mult(weights, x, z);
            for (int i = 0; i < z.numRows; i++) {
                for (int j = 0; j < z.numCols; j++) {
                    z.add(i, j, bias.get(i, 0));
                }
            }
            return z;
        }
    }

    /**
     * Everything one run produced.
     *
     * @param logistic      logistic regression (no hidden layer)
     * @param identity      the deep network with identity hidden activations
     * @param nonlinear     the same architecture with the nonlinear hidden activation
     * @param weights       {@code W'} of the identity network, {@code (1, 2)}
     * @param bias          {@code b'} of the identity network, {@code (1, 1)}
     * @param maxDifference the largest {@code |Z[L] - (W' x + b')|} over the data
     * @param images        the PNG files written
     */
    record Run(Model logistic, Model identity, Model nonlinear, DMatrixRMaj weights, DMatrixRMaj bias, double maxDifference,
               List<Path> images) {
    }
}
