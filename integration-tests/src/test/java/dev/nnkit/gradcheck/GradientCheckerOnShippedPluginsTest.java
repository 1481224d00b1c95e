package dev.nnkit.gradcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.GradientCheckReport.ArraySummary;
import dev.nnkit.gradcheck.GradientCheckReport.DisabledRegularizer;
import dev.nnkit.gradcheck.GradientCheckReport.Entry;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The network gradient checker on networks of the plugins nnkit ships, found by name on the class
 * path: every loss with its own output activation and with others, L2 in both the cost and the
 * gradient, dropout switched off and reported, ReLU kinks flagged, and the network left as it was.
 * (gradcheck's own tests check the checker on test plugins that nnkit does not ship; the whole
 * matrix of shipped activations, initializers and outputs is in the examples module.)
 */
class GradientCheckerOnShippedPluginsTest {

    private static final GradientChecker CHECKER = GradientChecker.defaults();

    private static Network network(int inputs, String loss, LayerConfig... layers) {
        Network.Builder builder = Network.builder(inputs).initializer("lecun_normal").loss(loss).seed(5);
        for (LayerConfig layer : layers) {
            builder.layer(layer);
        }
        return builder.build();
    }

    private static LayerConfig dense(int units, String activation, String... regularizers) {
        return LayerConfig.dense(units).withActivation(activation).withRegularizers(regularizers);
    }

    /**
     * Seeded data the given loss accepts: Gaussian X; one-hot Y for softmax cross-entropy,
     * alternating 0/1 for binary cross-entropy, uniform in (-0.9, 0.9) otherwise.
     */
    private static Dataset data(int inputs, int outputs, String loss, int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(inputs, m);
        Arrays.setAll(x.data, k -> random.nextGaussian());
        DMatrixRMaj y = new DMatrixRMaj(outputs, m);
        for (int j = 0; j < m; j++) {
            int hot = loss.equals("softmax_cross_entropy") ? random.nextInt(outputs) : -1;
            for (int i = 0; i < outputs; i++) {
                y.set(i, j, switch (loss) {
                    case "softmax_cross_entropy" -> i == hot ? 1 : 0;
                    case "binary_cross_entropy" -> (i + j) % 2;
                    default -> random.nextDouble(-0.9, 0.9);
                });
            }
        }
        return new Dataset(x, y);
    }

    @Test
    void theShippedPluginsAreTheOnesChecked() {
        PluginRegistry registry = PluginRegistry.defaults();
        assertEquals("dev.nnkit.activations", registry.create(Activation.class, "tanh").getClass().getPackageName());
        assertEquals("dev.nnkit.activations", registry.create(Activation.class, "relu").getClass().getPackageName());
    }

    // ---- correct networks ----

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @CsvSource({
            "tanh, sigmoid, binary_cross_entropy, 1",
            "sigmoid, softmax, softmax_cross_entropy, 3",
            "tanh, identity, mean_squared_error, 2",
            "sigmoid, sigmoid, mean_squared_error, 2",
            "tanh, softmax, mean_squared_error, 3",
            "leaky_relu(alpha=0.2), identity, mean_squared_error, 2"})
    void aCorrectNetworkPassesWithEveryLoss(String hidden, String output, String loss, int outputs) {
        Network net = network(3, loss, dense(4, hidden), dense(3, hidden), dense(outputs, output));
        GradientCheckReport report = CHECKER.check(net, data(3, outputs, loss, 6, 21));

        assertTrue(report.verdict().passes(), report::toString);
        assertEquals(net.parameters().stream().mapToInt(p -> p.value().getNumElements()).sum(), report.entries().size());
        assertEquals(List.of("W[1]", "b[1]", "W[2]", "b[2]", "W[3]", "b[3]"),
                report.arrays().stream().map(ArraySummary::name).toList());
    }

    // ---- regularizers ----

    @Test
    void anL2PenaltyIsInBothTheCostAndTheGradient() {
        String l2 = "l2(lambda=0.7)";
        Dataset data = data(3, 1, "binary_cross_entropy", 6, 4);
        Network plain = network(3, "binary_cross_entropy", dense(4, "tanh"), dense(1, "sigmoid"));
        Network penalized = network(3, "binary_cross_entropy", dense(4, "tanh", l2), dense(1, "sigmoid", l2));

        GradientCheckReport without = CHECKER.check(plain, data);
        GradientCheckReport with = CHECKER.check(penalized, data);

        assertTrue(with.verdict().passes(), with::toString);
        assertTrue(with.disabledRegularizers().isEmpty());
        // Both gradients of W[1] (0, 0) grow by the penalty's gradient (lambda / m) W.
        double w = penalized.parameter(1, "W").get(0, 0);
        Entry a = without.entries().get(0);
        Entry b = with.entries().get(0);
        assertEquals("W[1] (0, 0)", b.location());
        assertEquals(0.7 / 6 * w, b.analytic() - a.analytic(), 1e-12);
        assertEquals(0.7 / 6 * w, b.numeric() - a.numeric(), 1e-8);
        // Biases are not penalized.
        Entry bias = with.entries().stream().filter(e -> e.parameter().equals("b")).findFirst().orElseThrow();
        Entry biasPlain = without.entries().stream().filter(e -> e.parameter().equals("b")).findFirst().orElseThrow();
        assertEquals(biasPlain.analytic(), bias.analytic());
    }

    @Test
    void dropoutIsSwitchedOffAndReported() {
        Dataset data = data(3, 1, "binary_cross_entropy", 6, 6);
        Network withDropout = network(3, "binary_cross_entropy",
                dense(5, "tanh", "dropout(keep_prob=0.5)"), dense(1, "sigmoid"));
        Network without = network(3, "binary_cross_entropy", dense(5, "tanh"), dense(1, "sigmoid"));

        GradientCheckReport report = CHECKER.check(withDropout, data);

        assertEquals(List.of(new DisabledRegularizer(1, "dropout(keep_prob=0.5)")), report.disabledRegularizers());
        assertEquals("layer 1: dropout(keep_prob=0.5)", report.disabledRegularizers().get(0).toString());
        assertTrue(report.toString().contains("switched off while checking: layer 1: dropout(keep_prob=0.5)"),
                report::toString);
        assertTrue(report.verdict().passes(), report::toString);
        // Nothing random is left: the entries are those of the same network without dropout.
        assertEquals(CHECKER.check(without, data).entries(), report.entries());
    }

    // ---- kinks ----

    @Test
    void theKinkProbeFindsJumpsAtZeroWithoutNames() {
        PluginRegistry registry = PluginRegistry.defaults();
        assertTrue(GradientChecker.hasKinkAtZero(registry.create(Activation.class, "relu"), 3));
        assertTrue(GradientChecker.hasKinkAtZero(registry.create(Activation.class, "leaky_relu(alpha=0.2)"), 1));
        for (String smooth : List.of("tanh", "sigmoid", "softmax", "identity")) {
            assertFalse(GradientChecker.hasKinkAtZero(registry.create(Activation.class, smooth), 3), smooth);
        }
    }

    /**
     * {@code Z[1]} of unit 0 is {@code 0.3 x1 - 0.6 x2 + b = 4e-7} on the first two examples (the
     * products cancel exactly), so moving {@code W[1] (0, 0)}, {@code W[1] (0, 1)} or {@code b[1] (0, 0)}
     * by {@code +-1e-6} crosses ReLU's kink; nothing else reaches a pre-activation near 0.
     */
    private static Network kinkedNetwork() {
        Network net = network(2, "mean_squared_error", dense(2, "relu"), dense(1, "identity"));
        net.setParameter(1, "W", new DMatrixRMaj(new double[][] {{0.3, -0.6}, {0.8, 0.4}}));
        net.setParameter(1, "b", new DMatrixRMaj(new double[][] {{4e-7}, {0.1}}));
        net.setParameter(2, "W", new DMatrixRMaj(new double[][] {{1.5, -0.7}}));
        net.setParameter(2, "b", new DMatrixRMaj(new double[][] {{0.2}}));
        return net;
    }

    private static Dataset kinkedData() {
        return new Dataset(new DMatrixRMaj(new double[][] {{1, 2, -1}, {0.5, 1, 1}}),
                new DMatrixRMaj(new double[][] {{0.3, -0.2, 0.5}}));
    }

    @Test
    void entriesWhosePerturbationCrossesAReluKinkAreFlaggedAndDoNotSpoilTheVerdict() {
        Network net = kinkedNetwork();
        assertEquals(4e-7, net.forwardTrace(kinkedData().features()).z(1).get(0, 0), 1e-20);

        GradientCheckReport report = CHECKER.check(net, kinkedData());

        Set<String> flagged = report.kinkAffectedEntries().stream().map(Entry::location).collect(Collectors.toSet());
        assertEquals(Set.of("W[1] (0, 0)", "W[1] (0, 1)", "b[1] (0, 0)"), flagged);
        // Judged, the straddling difference would be far off: this is what the flag keeps out.
        double worstKink = report.kinkAffectedEntries().stream().mapToDouble(Entry::relativeError).max().orElseThrow();
        assertTrue(worstKink >= 1e-2, report::toString);
        assertTrue(report.verdict().passes(), report::toString);
        assertEquals(2, report.array(1, "W").kinkAffected());
        assertEquals(report.entries().size() - 3, report.judgedEntries().size());
        assertTrue(report.toString().contains("kink-affected entries"), report::toString);

        // With a step too small to reach the kink, the same entries are judged, and agree.
        GradientCheckReport fine = CHECKER.withEpsilon(1e-8).check(net, kinkedData());
        assertTrue(fine.kinkAffectedEntries().isEmpty(), fine::toString);
        assertTrue(fine.verdict().passes(), fine::toString);
    }

    // ---- the network is left as it was ----

    /** Every parameter and gradient entry, as raw bits. */
    private static List<long[]> snapshot(Network net) {
        List<long[]> arrays = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            arrays.add(Arrays.stream(p.value().data, 0, p.value().getNumElements())
                    .mapToLong(Double::doubleToRawLongBits).toArray());
            arrays.add(Arrays.stream(p.gradient().data, 0, p.gradient().getNumElements())
                    .mapToLong(Double::doubleToRawLongBits).toArray());
        }
        return arrays;
    }

    @Test
    void parametersAndGradientsAreUnchangedBitForBitAfterACheck() {
        Network net = network(3, "binary_cross_entropy",
                dense(4, "relu", "l2(lambda=0.7)", "dropout(keep_prob=0.8)"),
                dense(3, "tanh"), dense(1, "sigmoid"));
        Dataset data = data(3, 1, "binary_cross_entropy", 7, 13);
        net.computeGradients(data(3, 1, "binary_cross_entropy", 4, 99));
        List<long[]> before = snapshot(net);

        GradientCheckReport report = CHECKER.check(net, data);

        assertTrue(report.verdict().passes(), report::toString);
        List<long[]> after = snapshot(net);
        assertEquals(before.size(), after.size());
        for (int k = 0; k < before.size(); k++) {
            assertArrayEquals(before.get(k), after.get(k), "array " + k);
        }
    }
}
