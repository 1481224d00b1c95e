package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/** Initializer fixtures: correct ones of several distributions, and ones broken in one way each. */
final class KitInitializers {

    private KitInitializers() {
    }

    static List<PluginProvider<?>> providers() {
        return List.of(
                new Gaussian.Provider(),
                new FixtureProvider<>(Initializer.class, "kit_he", a -> new FanInNormal()),
                new FixtureProvider<>(Initializer.class, "kit_uniform",
                        a -> new FixedUniform(a.getDouble("limit", 0.05))),
                new FixtureProvider<>(Initializer.class, "kit_constant", a -> new Fixed(a.getDouble("value", 0.5))),
                new FixtureProvider<>(Initializer.class, "kit_wrong_variance", a -> new WrongVariance()),
                new FixtureProvider<>(Initializer.class, "kit_swapped_fans", a -> new SwappedFans()),
                new FixtureProvider<>(Initializer.class, "kit_global_random", a -> new GlobalRandom()),
                new FixtureProvider<>(Initializer.class, "kit_lossy", a -> new LossyToString(a.getDouble("std", 0.1234567))));
    }

    /** N(0, std^2), correct; registered in the test services file as {@code kit_normal}. */
    static final class Gaussian implements Initializer {
        private final double std;

        Gaussian(double std) {
            this.std = std;
        }

        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            for (int k = 0; k < w.getNumElements(); k++) {
                w.data[k] = std * random.nextGaussian();
            }
        }

        @Override
        public double variance(int fanIn, int fanOut) {
            return std * std;
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_normal").with("std", std).toString();
        }

        /** Public, for ServiceLoader. */
        public static final class Provider extends FixtureProvider<Initializer> {
            public Provider() {
                super(Initializer.class, "kit_normal", a -> new Gaussian(a.getDouble("std", 0.1)));
            }
        }
    }

    /** He normal, correct: {@code N(0, 2 / fanIn)} with {@code fanIn = W.numCols}. */
    static final class FanInNormal implements Initializer {
        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            double std = Math.sqrt(2.0 / w.numCols);
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
            return "kit_he";
        }
    }

    /** U[-limit, limit), correct: variance {@code limit^2 / 3}, fourth moment unlike a normal's. */
    static final class FixedUniform implements Initializer {
        private final double limit;

        FixedUniform(double limit) {
            this.limit = limit;
        }

        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            for (int k = 0; k < w.getNumElements(); k++) {
                w.data[k] = limit * (2 * random.nextDouble() - 1);
            }
        }

        @Override
        public double variance(int fanIn, int fanOut) {
            return limit * limit / 3;
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_uniform").with("limit", limit).toString();
        }
    }

    /** Every entry {@code value}: variance 0, mean {@code value}. */
    static final class Fixed implements Initializer {
        private final double value;

        Fixed(double value) {
            this.value = value;
        }

        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            java.util.Arrays.fill(w.data, 0, w.getNumElements(), value);
        }

        @Override
        public double variance(int fanIn, int fanOut) {
            return 0;
        }

        @Override
        public double mean() {
            return value;
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_constant").with("value", value).toString();
        }
    }

    /** Bug: declares He's {@code 2 / fanIn} but draws LeCun's {@code 1 / fanIn}. */
    static final class WrongVariance implements Initializer {
        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            double std = Math.sqrt(1.0 / w.numCols);
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

        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            for (int k = 0; k < w.getNumElements(); k++) {
                w.data[k] = std * random.nextGaussian();
            }
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
