package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/** Sampling loops and argument rules shared by the initializers of this module. */
final class Initializers {

    private Initializers() {
    }

    /** Overwrites every entry of {@code w} with {@code std * random.nextGaussian()}. */
    static void fillNormal(DMatrixRMaj w, RandomGenerator random, double std) {
        double[] d = w.data;
        for (int k = 0, n = w.getNumElements(); k < n; k++) {
            d[k] = std * random.nextGaussian();
        }
    }

    /**
     * Overwrites every entry of {@code w} with {@code limit * (2 u - 1)}, {@code u = random.nextDouble()}
     * in {@code [0, 1)}: a draw from {@code U[-limit, limit)}, so {@code |w| <= limit}.
     */
    static void fillUniform(DMatrixRMaj w, RandomGenerator random, double limit) {
        double[] d = w.data;
        for (int k = 0, n = w.getNumElements(); k < n; k++) {
            d[k] = limit * (2.0 * random.nextDouble() - 1.0);
        }
    }

    /** A real argument that must be {@code > 0}, or {@code defaultValue} when absent. */
    static double positive(Arguments arguments, String key, double defaultValue) {
        double value = arguments.getDouble(key, defaultValue);
        if (value <= 0.0) {
            throw arguments.invalid(key, value, "> 0, e.g. " + key + "=" + defaultValue);
        }
        return value;
    }

    /** Rejects a fan-in or fan-out below 1, naming the initializer. */
    static void checkFans(Object initializer, int fanIn, int fanOut) {
        if (fanIn < 1 || fanOut < 1) {
            throw new IllegalArgumentException(initializer + ": fanIn=" + fanIn + ", fanOut=" + fanOut
                    + "; both must be >= 1");
        }
    }
}
