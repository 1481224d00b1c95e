package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Initializer fixtures: correct ones of distributions that nnkit does not ship (triangular, of a
 * fixed width or scaled by the fan-in), and ones broken in one way each. The kit on the shipped
 * initializers is tested in the initializers module and the integration-tests module.
 */
final class KitInitializers {

    private KitInitializers() {
    }

    static List<PluginProvider<?>> providers() {
        return List.of(
                new Triangular.Provider(),
                new FixtureProvider<>(Initializer.class, "kit_fan_in_triangular", a -> new Triangular(0)),
                new FixtureProvider<>(Initializer.class, "kit_wrong_variance", a -> new WrongVariance()),
                new FixtureProvider<>(Initializer.class, "kit_swapped_fans", a -> new SwappedFans()),
                new FixtureProvider<>(Initializer.class, "kit_global_random", a -> new GlobalRandom()),
                new FixtureProvider<>(Initializer.class, "kit_lossy", a -> new LossyToString(a.getDouble("std", 0.1234567))));
    }

    /**
     * The triangular distribution on {@code (-width, width)}, correct: {@code width * (u1 - u2)} with
     * {@code u1, u2} uniform in [0, 1), variance {@code width^2 / 6} (fourth moment 2.4 sigma^4, unlike
     * a normal's 3 sigma^4). Width 0 means {@code sqrt(6 / fanIn)}, variance {@code 1 / fanIn}.
     * Registered in the test services file as {@code kit_triangular}.
     */
    static final class Triangular implements Initializer {
        private final double width;

        Triangular(double width) {
            this.width = width;
        }

        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            double h = width > 0 ? width : Math.sqrt(6.0 / w.numCols);
            for (int k = 0; k < w.getNumElements(); k++) {
                w.data[k] = h * (random.nextDouble() - random.nextDouble());
            }
        }

        @Override
        public double variance(int fanIn, int fanOut) {
            return width > 0 ? width * width / 6 : 1.0 / fanIn;
        }

        @Override
        public String toString() {
            return width > 0 ? PluginSpec.of("kit_triangular").with("width", width).toString() : "kit_fan_in_triangular";
        }

        /** Public, for ServiceLoader. */
        public static final class Provider extends FixtureProvider<Initializer> {
            public Provider() {
                super(Initializer.class, "kit_triangular", a -> new Triangular(a.getDouble("width", 0.1)));
            }
        }
    }

    /** Bug: declares He's {@code 2 / fanIn} but draws LeCun's {@code 1 / fanIn} (the kit's own {@code conformance_normal}). */
    static final class WrongVariance implements Initializer {
        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            new KitPlugins.Normal().initialize(w, random);
        }

        @Override
        public double variance(int fanIn, int fanOut) {
            return 2.0 / fanIn;
        }

        @Override
        public String toString() {
            return "kit_wrong_variance";
        }
    }

    /** Bug: declares {@code 2 / fanIn} but takes the fan-in from the rows, {@code 2 / W.numRows}. */
    static final class SwappedFans implements Initializer {
        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            double std = Math.sqrt(2.0 / w.numRows);
            for (int k = 0; k < w.getNumElements(); k++) {
                w.data[k] = std * random.nextGaussian();
            }
        }

        @Override
        public double variance(int fanIn, int fanOut) {
            return 2.0 / fanIn;
        }

        @Override
        public String toString() {
            return "kit_swapped_fans";
        }
    }

    /** Bug: draws from a global generator instead of the one passed in (correct distribution). */
    static final class GlobalRandom implements Initializer {
        private static final Random GLOBAL = new Random();

        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            for (int k = 0; k < w.getNumElements(); k++) {
                w.data[k] = 0.1 * GLOBAL.nextGaussian();
            }
        }

        @Override
        public double variance(int fanIn, int fanOut) {
            return 0.01;
        }

        @Override
        public String toString() {
            return "kit_global_random";
        }
    }

    /** Bug: toString() rounds its argument to two digits, so the recreated plugin differs. */
    static final class LossyToString implements Initializer {
        private final double std;

        LossyToString(double std) {
            this.std = std;
        }

        /** Triangular, variance {@code std^2}. */
        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            new Triangular(std * Math.sqrt(6)).initialize(w, random);
        }

        @Override
        public double variance(int fanIn, int fanOut) {
            return std * std;
        }

        @Override
        public String toString() {
            return "kit_lossy(std=" + String.format(java.util.Locale.ROOT, "%.2f", std) + ")";
        }
    }
}
