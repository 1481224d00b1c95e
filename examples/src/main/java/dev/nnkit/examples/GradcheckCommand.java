package dev.nnkit.examples;

import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.GradientCheckReport;
import dev.nnkit.gradcheck.GradientChecker;
import dev.nnkit.random.NumpyRandomState;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginProvider;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.ejml.data.DMatrixRMaj;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Gradient checking (MATH §6): the library's {@link GradientChecker} compares back-propagation with
 * two-sided finite differences, first on a correct network, then on the same network whose first
 * hidden layer uses an activation with a planted bug in its derivative. The report of the second
 * names the arrays that are wrong ({@code W[1]}, {@code b[1]}) while the layers above still pass:
 * the bug is in the backward pass of layer 1.
 *
 * <p>{@code --course} checks the course's own case instead: the network and the numbers of the
 * gradient-checking assignment's {@code gradient_check_n_test_case} ({@code np.random.seed(1)}, then
 * {@code x = randn(4, 3)}, {@code W1 = randn(5, 4)}, {@code b1 = randn(5, 1)}, {@code W2 = randn(3, 5)},
 * {@code b2 = randn(3, 1)}, {@code W3 = randn(1, 3)}, {@code b3 = randn(1, 1)}, {@code y = [1, 1, 0]}, drawn
 * with NumPy's legacy generator), LINEAR-RELU-LINEAR-RELU-LINEAR-SIGMOID, {@code epsilon = 1e-7}, and
 * prints the assignment's {@code difference} over every entry for nnkit's gradients and for the same
 * gradients with the assignment's two planted mistakes ({@code dW2} doubled, {@code db1} four times).
 *
 * <p>The buggy activation lives only in this command: it is registered under the name
 * {@value #BUGGY} in a registry built for the demonstration, never in the application's default one.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = {"Runs the gradient checker on a correct network and on one with a planted bug "
                + "(tanh whose derivative forgets to square: 1 - a instead of 1 - a^2, in layer 1 only) and prints both reports.",
                "Writes gradcheck.png (relative error per parameter array, on the bands of the notes) into --out."})
final class GradcheckCommand implements ExampleCommand {

    /** The name of the demonstration's broken activation. */
    static final String BUGGY = "tanh_with_planted_bug";

    @Option(names = "--hidden", split = ",", defaultValue = "5,3",
            description = "Units of the hidden layers (default: ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Option(names = "--reg", split = ";", defaultValue = "l2(lambda=0.7);dropout(keep_prob=0.8)",
            description = "Regularizers of the hidden layers, ';'-separated: the penalty is part of the checked cost, "
                    + "dropout is switched off while checking; 'none' for none (default: ${DEFAULT-VALUE}).")
    List<String> regularizers;

    @Option(names = "--examples", defaultValue = "20", description = "Examples of the flower data the cost is taken over (default: ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--epsilon", defaultValue = "1e-6", description = "The step eps of the two-sided difference (default: ${DEFAULT-VALUE}).")
    double epsilon;

    /** {@code --seed}, set by {@link #seedOption}. */
    long seed;

    @Mixin final SeedOption seedOption = new SeedOption(seed -> this.seed = seed);

    @Option(names = "--course", description = "Check the course's gradient_check_n_test_case (np.random.seed(1), drawn by "
            + "NumPy's legacy generator) with epsilon 1e-7 and print the assignment's difference for nnkit's gradients and for "
            + "the assignment's two planted mistakes, beside the published values. The other options are ignored.")
    boolean course;

    @Mixin final OutputOptions output = new OutputOptions();

    /** Checks both networks, prints both reports and a summary, writes the picture. */
    @Override
    public Object run(PrintStream console) {
        if (course) {
            return runCourse(console);
        }
        if (examples < 2) {
            throw new IllegalArgumentException("--examples " + examples + "; at least 2 are needed");
        }
        Dataset data = PlanarData.flower((examples + 1) / 2, seed).slice(0, examples);
        data = data.shuffled(new java.util.SplittableRandom(seed));
        GradientChecker checker = GradientChecker.defaults().withEpsilon(epsilon);
        Network correct = network("tanh", PluginRegistry.defaults());
        Network buggy = network(BUGGY, registryWithBug());

        GradientCheckReport good = checker.check(correct, data);
        GradientCheckReport bad = checker.check(buggy, data);
        console.printf("1. A correct network%n%n%s%n%n", good);
        console.printf("2. The same network, whose layer 1 uses %s: backward computes dZ = dA * (1 - a) "
                + "instead of dA * (1 - a^2)%n%n%s%n%n", BUGGY, bad);
        console.printf(Locale.ROOT, "%-30s %-9s %14s %14s  %s%n", "network", "verdict", "vector error", "max rel error", "arrays wrong");
        for (GradientCheckReport r : List.of(good, bad)) {
            List<String> wrong = r.arrays().stream().filter(a -> !Double.isNaN(a.maxRelativeError()) && !a.verdict().passes())
                    .map(GradientCheckReport.ArraySummary::name).toList();
            console.printf(Locale.ROOT, "%-30s %-9s %14.1e %14.1e  %s%n", r == good ? "correct" : "planted bug in layer 1",
                    r.verdict(), r.vectorRelativeError(), r.maxRelativeError(), wrong.isEmpty() ? "none" : String.join(", ", wrong));
        }
        Path image = picture(good, bad);
        console.printf("%nwrote %s%n", image);
        return new Run(good, bad, List.of(image));
    }

    /** The assignment's step of the two-sided difference. */
    static final double COURSE_EPSILON = 1e-7;

    /** The assignment's case, checked and compared; see the class description. */
    CourseRun runCourse(PrintStream console) {
        Network network = courseNetwork();
        Dataset data = courseData();
        GradientCheckReport report = GradientChecker.defaults().withEpsilon(COURSE_EPSILON).check(network, data);
        double correct = courseDifference(report, false);
        double planted = courseDifference(report, true);
        double[] courseNumeric = courseNumericGradient(network, data, report);
        double correctCourseCost = courseDifference(report, courseNumeric, false);
        double plantedCourseCost = courseDifference(report, courseNumeric, true);
        console.printf(Locale.ROOT, "course mode: the gradient-checking assignment's gradient_check_n_test_case: np.random.seed(1), "
                + "x = randn(4, 3), W1 = randn(5, 4), b1 = randn(5, 1), W2 = randn(3, 5), b2 = randn(3, 1), W3 = randn(1, 3), "
                + "b3 = randn(1, 1), y = [1, 1, 0] (drawn by numpy_legacy); network %s; epsilon %s%n",
                network.toString().replace(", binary_cross_entropy", ""), COURSE_EPSILON);
        console.printf(Locale.ROOT, "cost J at the test case: %s%n%n", Course.repr(network.cost(data)));
        console.printf(Locale.ROOT, "difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||) over all %d entries:%n",
                report.entries().size());
        console.printf(Locale.ROOT, "%-46s %-24s %-24s %s%n", "gradients", "nnkit (cost from Z)", "nnkit (course's cost)",
                "course");
        console.printf(Locale.ROOT, "%-46s %-24s %-24s %s%n", "back-propagation, correct", Course.repr(correct),
                Course.repr(correctCourseCost), Course.repr(Course.GRADCHECK_CORRECT));
        console.printf(Locale.ROOT, "%-46s %-24s %-24s %s%n", "with the planted mistakes (dW2 * 2, db1 * 4)",
                Course.repr(planted), Course.repr(plantedCourseCost), Course.repr(Course.GRADCHECK_BUGGY));
        console.printf(Locale.ROOT, "the numeric gradient of the course's cost (from A: log(1 - a) of a sigmoid output near 1 "
                + "loses digits) is less exact than nnkit's (from Z), which is why its difference for a correct backward pass "
                + "is about 1e-7 rather than 1e-9%n");
        console.printf("%nnnkit's own report of the same check:%n%n%s%n", report);
        return new CourseRun(report, correct, planted, correctCourseCost, plantedCourseCost);
    }

    /** The test case's network, its parameters set to the course's draws (after {@link #courseData}'s {@code x}). */
    static Network courseNetwork() {
        NumpyRandomState random = new NumpyRandomState(1);
        random.randn(4, 3); // x comes first in the test case
        Network network = Network.builder(4).activation("relu").dense(5).dense(3).dense(1, "sigmoid")
                .loss("binary_cross_entropy").build();
        int[][] shapes = {{5, 4}, {3, 5}, {1, 3}};
        for (int l = 1; l <= 3; l++) {
            network.setParameter(l, "W", random.randn(shapes[l - 1][0], shapes[l - 1][1]));
            network.setParameter(l, "b", random.randn(shapes[l - 1][0], 1));
        }
        return network;
    }

    /** The test case's examples: {@code x = randn(4, 3)} after {@code np.random.seed(1)}, {@code y = [1, 1, 0]}. */
    static Dataset courseData() {
        DMatrixRMaj x = new NumpyRandomState(1).randn(4, 3);
        return new Dataset(x, new DMatrixRMaj(new double[][] {{1, 1, 0}}));
    }

    /**
     * The assignment's {@code difference} over every entry of the report (kink-affected ones too, as
     * the assignment counts them): {@code ||bp - num|| / (||bp|| + ||num||)}; with {@code planted},
     * the back-propagated {@code dW[2]} doubled and {@code db[1]} multiplied by 4 first, the two
     * mistakes the assignment plants in its {@code backward_propagation_n}.
     */
    static double courseDifference(GradientCheckReport report, boolean planted) {
        double[] numeric = report.entries().stream().mapToDouble(GradientCheckReport.Entry::numeric).toArray();
        return courseDifference(report, numeric, planted);
    }

    /** {@link #courseDifference(GradientCheckReport, boolean)} against the given numeric gradient, one value per report entry. */
    static double courseDifference(GradientCheckReport report, double[] numeric, boolean planted) {
        double diff = 0;
        double bp = 0;
        double num = 0;
        List<GradientCheckReport.Entry> entries = report.entries();
        for (int k = 0; k < entries.size(); k++) {
            GradientCheckReport.Entry e = entries.get(k);
            double approx = numeric[k];
            double g = e.analytic();
            if (planted && e.layer() == 2 && e.parameter().equals("W")) {
                g *= 2;
            } else if (planted && e.layer() == 1 && e.parameter().equals("b")) {
                g *= 4;
            }
            diff += (g - approx) * (g - approx);
            bp += g * g;
            num += approx * approx;
        }
        return Math.sqrt(diff) / (Math.sqrt(bp) + Math.sqrt(num));
    }

    /**
     * The assignment's numeric gradient, {@code (J(theta + eps) - J(theta - eps)) / (2 eps)} per
     * entry of the report, with {@code J} the assignment's cost written from the output
     * ({@link Course#courseCost}). The network's parameters are restored after each entry.
     */
    static double[] courseNumericGradient(Network network, Dataset data, GradientCheckReport report) {
        List<GradientCheckReport.Entry> entries = report.entries();
        double[] numeric = new double[entries.size()];
        for (int k = 0; k < entries.size(); k++) {
            GradientCheckReport.Entry e = entries.get(k);
            DMatrixRMaj value = network.parameters(e.layer()).stream().filter(p -> p.name().equals(e.parameter()))
                    .findFirst().orElseThrow().value();
            double old = value.get(e.row(), e.column());
            try {
                value.set(e.row(), e.column(), old + COURSE_EPSILON);
                double plus = Course.courseCost(network.predict(data.features()), data.labels());
                value.set(e.row(), e.column(), old - COURSE_EPSILON);
                double minus = Course.courseCost(network.predict(data.features()), data.labels());
                numeric[k] = (plus - minus) / (2 * COURSE_EPSILON);
            } finally {
                value.set(e.row(), e.column(), old);
            }
        }
        return numeric;
    }

    private Network network(String firstActivation, PluginRegistry registry) {
        List<String> regs = regularizers.size() == 1 && regularizers.get(0).equals("none") ? List.of() : regularizers;
        Network.Builder builder = Network.builder(2).activation("tanh").initializer("xavier_normal")
                .regularizers(regs.toArray(String[]::new)).loss("binary_cross_entropy").seed(seed).registry(registry);
        for (int l = 0; l < hidden.size(); l++) {
            builder.dense(hidden.get(l), l == 0 ? firstActivation : "tanh");
        }
        return builder.dense(1, "sigmoid").build();
    }

    /** Every provider the application finds, plus the broken activation of this demonstration. */
    @SuppressWarnings("rawtypes")
    static PluginRegistry registryWithBug() {
        List<PluginProvider<?>> providers = new ArrayList<>();
        for (PluginProvider<?> p : ServiceLoader.load(PluginProvider.class, GradcheckCommand.class.getClassLoader())) {
            providers.add(p);
        }
        providers.add(new BuggyTanh.Provider());
        return PluginRegistry.of(providers);
    }

    private Path picture(GradientCheckReport good, GradientCheckReport bad) {
        List<String> names = good.arrays().stream().map(GradientCheckReport.ArraySummary::name).toList();
        java.util.Map<String, double[]> series = new java.util.LinkedHashMap<>();
        series.put("planted bug in layer 1", maxErrors(bad));
        series.put("correct network", maxErrors(good));
        BufferedImage image = MorePlots.logBars("Largest relative error |num - bp| / (|num| + |bp|) per parameter array",
                "parameter array", "relative error, log scale", names, series, List.of(
                        new MorePlots.Reference("1e-2: wrong above", 1e-2, new Color(0x99, 0x33, 0x33)),
                        new MorePlots.Reference("1e-4: suspicious above", 1e-4, new Color(0xE6, 0x9F, 0x00)),
                        new MorePlots.Reference("1e-7: correct below", 1e-7, new Color(0x1B, 0x9E, 0x77))),
                1e-12, 10, 860, 460);
        return Plots.save(image, output.file("gradcheck.png"));
    }

    /** The largest relative error of each array. */
    private static double[] maxErrors(GradientCheckReport report) {
        return report.arrays().stream().mapToDouble(GradientCheckReport.ArraySummary::maxRelativeError).toArray();
    }

    /**
     * tanh with a planted bug, for this demonstration only: the forward pass is right,
     * {@code a = tanh z}, but the backward pass computes {@code dZ = dA * (1 - a)}, forgetting to
     * square {@code a}; the correct derivative is {@code 1 - a^2}.
     */
    static final class BuggyTanh implements Activation {

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0, n = z.getNumElements(); k < n; k++) {
                a.data[k] = Math.tanh(z.data[k]);
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0, n = a.getNumElements(); k < n; k++) {
                dZ.data[k] = dA.data[k] * (1.0 - a.data[k]); // the bug: should be 1 - a^2
            }
        }

        @Override
        public String toString() {
            return BUGGY;
        }

        /** Registers {@value GradcheckCommand#BUGGY}; added only to the demonstration's registry. */
        public static final class Provider extends NamedProvider<Activation> {
            /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
            public Provider() {
                super(Activation.class, BUGGY);
            }

            @Override
            public Activation create(Arguments arguments) {
                return new BuggyTanh();
            }
        }
    }

    /**
     * What {@code --course} produced.
     *
     * @param report     nnkit's report of the check
     * @param difference the assignment's difference for nnkit's gradients
     * @param planted    the same with the assignment's two planted mistakes
     * @param differenceCourseCost the difference against the numeric gradient of the assignment's cost formula
     * @param plantedCourseCost    the same with the planted mistakes
     */
    record CourseRun(GradientCheckReport report, double difference, double planted, double differenceCourseCost,
                     double plantedCourseCost) {
    }

    /** The two reports and the picture. */
    record Run(GradientCheckReport correct, GradientCheckReport buggy, List<Path> images) {
    }
}
