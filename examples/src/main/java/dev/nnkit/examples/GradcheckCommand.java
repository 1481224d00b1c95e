package dev.nnkit.examples;

import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.GradientCheckReport;
import dev.nnkit.gradcheck.GradientChecker;
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

    @Mixin final OutputOptions output = new OutputOptions();

    /** Checks both networks, prints both reports and a summary, writes the picture. */
    @Override
    public Run run(PrintStream console) {
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
            public Provider() {
                super(Activation.class, BUGGY);
            }

            @Override
            public Activation create(Arguments arguments) {
                return new BuggyTanh();
            }
        }
    }

    /** The two reports and the picture. */
    record Run(GradientCheckReport correct, GradientCheckReport buggy, List<Path> images) {
    }
}
