package dev.nnkit.gradcheck;

import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.kit.FixtureProvider;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Test plugins for the checker's own tests, none of them a plugin that nnkit ships (the checker on
 * the shipped activations, initializers and regularizers is tested in the integration-tests
 * module): the arc tangent activation and a copy of it with a planted bug, a Rademacher
 * initializer and a quartic weight penalty that forgets its gradient. They live in a
 * private registry ({@link #registry()}: core's own providers plus these), not in
 * META-INF/services, so they cannot collide with other test fixtures of this module.
 */
final class Fixtures {

    private Fixtures() {
    }

    /** Core's providers (dense, losses, optimizers) found by ServiceLoader, plus the fixtures. */
    static PluginRegistry registry() {
        List<PluginProvider<?>> providers = new ArrayList<>();
        for (PluginProvider<?> p : ServiceLoader.load(PluginProvider.class)) {
            if (p.getClass().getName().startsWith("dev.nnkit.internal.")) {
                providers.add(p);
            }
        }
        providers.add(new FixtureProvider<>(Activation.class, "fixture_arctan", a -> new Arctan("fixture_arctan", false)));
        providers.add(new FixtureProvider<>(Activation.class, "fixture_arctan_bad", a -> new Arctan("fixture_arctan_bad", true)));
        providers.add(new FixtureProvider<>(Initializer.class, "fixture_rademacher", a -> new Rademacher()));
        providers.add(new FixtureProvider<>(Regularizer.class, "fixture_quartic_forgetful",
                a -> new ForgetfulQuartic(a.getDouble("lambda", 0.1))));
        return PluginRegistry.of(providers);
    }

    /** Seeded data for mean squared error: Gaussian X, Y uniform in (-0.9, 0.9). */
    static Dataset data(int inputs, int outputs, int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(inputs, m);
        for (int k = 0; k < x.getNumElements(); k++) {
            x.data[k] = random.nextGaussian();
        }
        DMatrixRMaj y = new DMatrixRMaj(outputs, m);
        for (int k = 0; k < y.getNumElements(); k++) {
            y.data[k] = random.nextDouble(-0.9, 0.9);
        }
        return new Dataset(x, y);
    }

    /**
     * The arc tangent, which nnkit does not ship: {@code a = atan(z)}, smooth, with
     * {@code g'(z) = 1 / (1 + z^2)}; {@code planted} makes it {@code 1 / (1 + |z|)}.
     */
    static final class Arctan implements Activation {
        private final String name;
        private final boolean planted;

        Arctan(String name, boolean planted) {
            this.name = name;
            this.planted = planted;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0, n = z.getNumElements(); k < n; k++) {
                a.data[k] = Math.atan(z.data[k]);
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0, n = z.getNumElements(); k < n; k++) {
                double zk = z.data[k];
                dZ.data[k] = dA.data[k] / (1.0 + (planted ? Math.abs(zk) : zk * zk));
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Entries {@code +-1 / sqrt(fanIn)}, each sign with probability 1/2: variance {@code 1 / fanIn}. */
    static final class Rademacher implements Initializer {
        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            double size = 1.0 / Math.sqrt(w.numCols);
            for (int k = 0; k < w.getNumElements(); k++) {
                w.data[k] = random.nextBoolean() ? size : -size;
            }
        }

        @Override
        public double variance(int fanIn, int fanOut) {
            return 1.0 / fanIn;
        }

        @Override
        public String toString() {
            return "fixture_rademacher";
        }
    }

    /**
     * A quartic weight penalty {@code (lambda / 4m) sum w^4} that adds it to the cost but forgets
     * its gradient {@code (lambda / m) w^3}.
     */
    static final class ForgetfulQuartic implements WeightPenalty {
        private final double lambda;

        ForgetfulQuartic(double lambda) {
            this.lambda = lambda;
        }

        @Override
        public double penalty(DMatrixRMaj w, int m) {
            double sum = 0.0;
            for (int k = 0; k < w.getNumElements(); k++) {
                double square = w.data[k] * w.data[k];
                sum += square * square;
            }
            return lambda / (4.0 * m) * sum;
        }

        @Override
        public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
            // the bug: nothing is added
        }

        @Override
        public String toString() {
            return PluginSpec.of("fixture_quartic_forgetful").with("lambda", lambda).toString();
        }
    }
}
