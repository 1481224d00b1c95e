package com.example.nnkit;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Regularizer;
import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * Makes each plugin of this module by name through nnkit's registry, uses it once, and prints the
 * result and where its class came from: a named module on the module path, or the class path.
 * It proves that the registry finds the plugins both ways; {@code ModulePathTest} runs it.
 *
 * <pre>
 * java --module-path target/classes:&lt;nnkit-core, ejml-core, ejml-ddense, slf4j-api jars&gt; \
 *      -m com.example.nnkit/com.example.nnkit.ExamplePlugins
 * </pre>
 */
public final class ExamplePlugins {

    private ExamplePlugins() {
    }

    /** Prints one line per plugin; exits with an exception if the registry cannot make one. */
    public static void main(String[] args) {
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

        Regularizer l1 = registry.create(Regularizer.class, "l1(lambda=0.5)");
        DMatrixRMaj weights = new DMatrixRMaj(2, 2, true, 1, -2, 0, 3);
        out.printf(Locale.ROOT, "%s: penalty of [[1, -2], [0, 3]] with m = 2 is %.6f [%s]%n", l1, l1.penalty(weights, 2),
                where(l1.getClass()));

        out.printf(Locale.ROOT, "registry: %s%n", where(PluginRegistry.class));
    }

    private static String where(Class<?> type) {
        Module module = type.getModule();
        return module.isNamed() ? "module " + module.getName() : "class path";
    }
}
