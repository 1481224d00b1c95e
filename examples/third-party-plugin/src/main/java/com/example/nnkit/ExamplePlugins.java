package com.example.nnkit;

import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import dev.nnkit.training.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * Makes each plugin of this module by name through nnkit's registry, uses it once, and prints the
 * result and where its class came from: a named module on the module path, or the class path.
 * It proves that the registry finds the plugins both ways; {@code ModulePathTest} runs it. The
 * layer is used in a network built by name, trained, saved to a model file and loaded back, which
 * makes every plugin again by name, on either path.
 *
 * <pre>
 * java --module-path target/classes:&lt;nnkit-core, ejml-core, ejml-ddense, slf4j-api jars&gt; \
 *      -m com.example.nnkit/com.example.nnkit.ExamplePlugins
 * </pre>
 */
public final class ExamplePlugins {

    private ExamplePlugins() {
    }

    /**
     * Prints one line per plugin; exits with an exception if the registry cannot make one.
     *
     * @throws IOException if the model file of the layer's round trip cannot be written or read
     */
    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        PluginRegistry registry = PluginRegistry.defaults();

        Activation swish = registry.create(Activation.class, "swish");
        DMatrixRMaj z = new DMatrixRMaj(1, 3, true, -1, 0, 2);
        DMatrixRMaj a = new DMatrixRMaj(1, 3);
        swish.forward(z, a);
        out.printf(Locale.ROOT, "%s: g(-1, 0, 2) = %.6f, %.6f, %.6f [%s]%n", swish, a.get(0), a.get(1), a.get(2),
                where(swish.getClass()));

        Initializer orthogonal = registry.create(Initializer.class, "orthogonal(gain=2)");
        DMatrixRMaj w = new DMatrixRMaj(5, 3);
        orthogonal.initialize(w, new SplittableRandom(1));
        double worst = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double dot = 0;
                for (int r = 0; r < 5; r++) {
                    dot += w.get(r, i) * w.get(r, j);
                }
                worst = Math.max(worst, Math.abs(dot - (i == j ? 4 : 0)));
            }
        }
        out.printf(Locale.ROOT, "%s: W^T W = 4 I on a 5 x 3 W within %s [%s]%n", orthogonal,
                worst < 1e-12 ? "1e-12" : "NOT " + worst, where(orthogonal.getClass()));

        WeightPenalty l1 = (WeightPenalty) registry.create(Regularizer.class, "l1(lambda=0.5)");
        DMatrixRMaj weights = new DMatrixRMaj(2, 2, true, 1, -2, 0, 3);
        out.printf(Locale.ROOT, "%s: penalty of [[1, -2], [0, 3]] with m = 2 is %.6f [%s]%n", l1, l1.penalty(weights, 2),
                where(l1.getClass()));

        centeredDense(out);

        out.printf(Locale.ROOT, "registry: %s%n", where(PluginRegistry.class));
    }

    /**
     * A network whose hidden layer is {@code centered_dense}, trained by 20 full-batch steps on four
     * examples whose mean is {@code (5, -3)}: with {@code momentum=0.5} the running mean is then
     * {@code (1 - 0.5^20) (5, -3)}. The network goes through a model file and comes back with that
     * state and the same predictions, bit for bit.
     */
    private static void centeredDense(PrintStream out) throws IOException {
        DMatrixRMaj x = new DMatrixRMaj(2, 4, true, 4, 6, 5, 5, -4, -2, -3, -3);
        DMatrixRMaj y = new DMatrixRMaj(1, 4, true, 1, 2, 1.5, 0.5);
        Network network = Network.builder(2)
                .activation("swish")
                .initializer("orthogonal")
                .layer(new LayerConfig("centered_dense(units=3, momentum=0.5)", null, null, null))
                .dense(1)
                .loss("mean_squared_error")
                .seed(1)
                .build();
        new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.01)").withEpochs(20).withBatchSize(0))
                .fit(network, new Dataset(x, y));
        DMatrixRMaj mean = network.state(1).get(0).value();
        Path file = Files.createTempFile("centered-dense", ".nnkit");
        boolean same;
        try {
            ModelFile.save(network, file);
            Network loaded = ModelFile.load(file).network();
            same = loaded.layer(1).toString().equals(network.layer(1).toString())
                    && Arrays.equals(loaded.state(1).get(0).value().data, mean.data)
                    && Arrays.equals(loaded.predict(x).data, network.predict(x).data);
        } finally {
            Files.delete(file);
        }
        out.printf(Locale.ROOT, "%s: running_mean after 20 training steps = %.6f, %.6f; the model file %s [%s]%n",
                network.layer(1), mean.get(0), mean.get(1),
                same ? "keeps it and the predictions bit for bit" : "LOST THEM", where(network.layer(1).getClass()));
    }

    private static String where(Class<?> type) {
        Module module = type.getModule();
        return module.isNamed() ? "module " + module.getName() : "class path";
    }
}
