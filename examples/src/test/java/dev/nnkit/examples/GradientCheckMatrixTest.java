package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.GradientCheckReport.Verdict;
import dev.nnkit.gradcheck.GradientCheckReport;
import dev.nnkit.gradcheck.GradientChecker;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.PluginProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole matrix of issue 3: every shipped activation (in the hidden layers) x every shipped
 * initializer x (no regularizer, {@code l2(lambda=0.7)}) x each output layer with its loss x depth
 * 1 to 4, gradient-checked with {@link GradientChecker#defaults()} on seeded data. Every network
 * must be in the "correct" or "acceptable" band of MATH §6, by its verdict (worst entry) and by
 * the vector form; entries whose perturbation crosses a ReLU kink are reported apart by the
 * checker and do not count (the symmetric starts put every ReLU pre-activation of the first layer
 * exactly at 0, so there they are most of that layer).
 *
 * <p>Nothing is left out: the activations and initializers are the providers the
 * {@code activations} and {@code initializers} modules register, found with {@link ServiceLoader}
 * (so a plugin added there joins the matrix), including the symmetric starts {@code zeros} and
 * {@code constant(value=0.3)}. A depth-1 network is its output layer alone, so it has no hidden
 * activation and is checked once per initializer, regularizer and output rather than six times.
 * Widths are at most 5 units: hidden layers of 4, 3 and 5 units on 3 inputs, with m = 5 examples.
 */
class GradientCheckMatrixTest {

    private static final List<String> SHIPPED_ACTIVATIONS =
            List.of("identity", "leaky_relu", "relu", "sigmoid", "softmax", "tanh");
    private static final List<String> REGULARIZERS = List.of("none", "l2(lambda=0.7)");
    private static final int[] HIDDEN_WIDTHS = {4, 3, 5};
    private static final int INPUTS = 3;
    private static final int EXAMPLES = 5;

    /** An output activation, the loss it pairs with, and the number of output units. */
    private record Output(String activation, String loss, int units) {
        @Override
        public String toString() {
            return activation + " + " + loss;
        }
    }

    private static final List<Output> OUTPUTS = List.of(
            new Output("sigmoid", "binary_cross_entropy", 1),
            new Output("softmax", "softmax_cross_entropy", 3),
            new Output("identity", "mean_squared_error", 2));

    /** The names of the providers of {@code kind} that live in package {@code module}. */
    private static List<String> shipped(Class<?> kind, String module) {
        TreeSet<String> names = new TreeSet<>();
        for (PluginProvider<?> p : ServiceLoader.load(PluginProvider.class)) {
            if (p.kind() == kind && p.getClass().getPackageName().equals(module)) {
                names.add(p.name());
            }
        }
        return List.copyOf(names);
    }

    private static List<String> initializers() {
        return shipped(Initializer.class, "dev.nnkit.initializers").stream()
                .map(name -> name.equals("constant") ? "constant(value=0.3)" : name)
                .toList();
    }

    @Test
    void theMatrixCoversEveryShippedActivationAndInitializer() {
        assertEquals(SHIPPED_ACTIVATIONS, shipped(Activation.class, "dev.nnkit.activations"));
        List<String> initializers = initializers();
        for (String expected : List.of("he_normal", "he_uniform", "lecun_normal", "lecun_uniform", "normal",
                "small_random", "uniform", "xavier_normal", "xavier_uniform", "zeros", "constant(value=0.3)")) {
            assertTrue(initializers.contains(expected), expected + " is missing from " + initializers);
        }
    }

    @TestFactory
    Stream<DynamicNode> everyCombinationIsCorrectOrAcceptable() {
        List<String> initializers = initializers();
        List<DynamicNode> byDepth = new ArrayList<>();
        long seed = 1;
        for (int depth = 1; depth <= 4; depth++) {
            List<DynamicTest> tests = new ArrayList<>();
            List<String> hiddens = depth == 1 ? List.of("none") : SHIPPED_ACTIVATIONS;
            for (String hidden : hiddens) {
                for (String initializer : initializers) {
                    for (String regularizer : REGULARIZERS) {
                        for (Output output : OUTPUTS) {
                            int d = depth;
                            long s = seed++;
                            String name = "depth " + depth + (depth == 1 ? "" : ", " + hidden + " hidden") + ", "
                                    + initializer + ", " + regularizer + ", " + output;
                            tests.add(DynamicTest.dynamicTest(name,
                                    () -> check(d, hidden, initializer, regularizer, output, s)));
                        }
                    }
                }
            }
            byDepth.add(DynamicContainer.dynamicContainer("depth " + depth, tests));
        }
        return byDepth.stream();
    }

    private static void check(int depth, String hidden, String initializer, String regularizer, Output output, long seed) {
        Network.Builder builder = Network.builder(INPUTS).initializer(initializer).loss(output.loss()).seed(seed);
        if (!regularizer.equals("none")) {
            builder.regularizers(regularizer);
        }
        for (int l = 1; l < depth; l++) {
            builder.layer(LayerConfig.dense(HIDDEN_WIDTHS[(l - 1) % HIDDEN_WIDTHS.length]).withActivation(hidden));
        }
        builder.layer(LayerConfig.dense(output.units()).withActivation(output.activation()));
        Network network = builder.build();

        GradientCheckReport report = GradientChecker.defaults().check(network, data(output, seed));

        assertTrue(report.verdict().passes(), report::toString);
        assertFalse(report.judgedEntries().isEmpty(), report::toString);
        // The verdict lets entries within the absolute floor (|num - bp| <= 1e-8) agree whatever
        // their ratio; the vector form uses no floor, so it must be in band on its own.
        assertTrue(Verdict.of(report.vectorRelativeError()).passes(), report::toString);
    }

    /**
     * Every layer plugin besides dense, the shipped {@code batch_norm} and the third-party module's
     * {@code centered_dense}, in the middle of a network, x every shipped activation after it x
     * (none, {@code l2(lambda=0.7)}, {@code dropout(keep_prob=0.8)}) x each output with its loss.
     * Batch norm follows a dense layer with the identity activation, as it is used; the check runs
     * in CHECKING mode (batch statistics, dropout the identity).
     */
    @TestFactory
    Stream<DynamicNode> everyLayerInTheMiddleIsCorrectOrAcceptable() {
        List<DynamicNode> byLayer = new ArrayList<>();
        long seed = 100_000;
        for (String layer : MIDDLE_LAYERS) {
            List<DynamicTest> tests = new ArrayList<>();
            for (String activation : SHIPPED_ACTIVATIONS) {
                for (String regularizer : List.of("none", "l2(lambda=0.7)", "dropout(keep_prob=0.8)")) {
                    for (Output output : OUTPUTS) {
                        long s = seed++;
                        tests.add(DynamicTest.dynamicTest(layer + ", " + activation + ", " + regularizer + ", " + output,
                                () -> checkMiddle(layer, activation, regularizer, output, s)));
                    }
                }
            }
            byLayer.add(DynamicContainer.dynamicContainer(layer, tests));
        }
        return byLayer.stream();
    }

    private static final List<String> MIDDLE_LAYERS =
            List.of("batch_norm", "batch_norm(momentum=0.5, epsilon=0.001)", "centered_dense(units=3)");

    @Test
    void theLayerMatrixCoversEveryLayerPlugin() {
        TreeSet<String> layers = new TreeSet<>();
        for (PluginProvider<?> p : ServiceLoader.load(PluginProvider.class)) {
            if (p.kind() == Layer.class) {
                layers.add(p.name());
            }
        }
        assertEquals(List.of("batch_norm", "centered_dense", "dense"), List.copyOf(layers));
    }

    private static void checkMiddle(String layer, String activation, String regularizer, Output output, long seed) {
        Network.Builder builder = Network.builder(INPUTS).initializer("xavier_normal").loss(output.loss()).seed(seed);
        if (!regularizer.equals("none")) {
            builder.regularizers(regularizer);
        }
        builder.layer(LayerConfig.dense(4).withActivation(layer.startsWith("batch_norm") ? "identity" : "tanh"));
        builder.layer(LayerConfig.of(layer).withActivation(activation));
        builder.layer(LayerConfig.dense(output.units()).withActivation(output.activation()));
        Network network = builder.build();

        GradientCheckReport report = GradientChecker.defaults().check(network, data(output, seed));

        assertTrue(report.verdict().passes(), report::toString);
        assertFalse(report.judgedEntries().isEmpty(), report::toString);
        assertTrue(Verdict.of(report.vectorRelativeError()).passes(), report::toString);
    }

    /** Gaussian inputs; one-hot, 0/1 or real labels as the loss needs; seeded. */
    private static Dataset data(Output output, long seed) {
        SplittableRandom random = new SplittableRandom(1000 + seed);
        DMatrixRMaj x = new DMatrixRMaj(INPUTS, EXAMPLES);
        DMatrixRMaj y = new DMatrixRMaj(output.units(), EXAMPLES);
        for (int k = 0; k < x.getNumElements(); k++) {
            x.data[k] = random.nextGaussian();
        }
        for (int j = 0; j < EXAMPLES; j++) {
            switch (output.loss()) {
                case "softmax_cross_entropy" -> y.set(random.nextInt(output.units()), j, 1.0);
                case "binary_cross_entropy" -> y.set(0, j, j % 2);
                default -> {
                    for (int i = 0; i < output.units(); i++) {
                        y.set(i, j, random.nextDouble(-0.9, 0.9));
                    }
                }
            }
        }
        return new Dataset(x, y);
    }
}
