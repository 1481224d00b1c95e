package dev.nnkit.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.spi.Parameter;

/** Comparing a Spark run with a single-machine run, to a tolerance derived from summation order. */
final class Equivalence {

    private Equivalence() {
    }

    /**
     * How far plain gradient descent with rate {@code alpha} over {@code steps} steps may drift
     * between two summation orders of the same gradient.
     *
     * <p>Each step's gradient entry is {@code (1/b) sum_e t_e} over the batch's {@code b}
     * examples. Summed in any order, a sum of {@code b} terms is within
     * {@code gamma_b sum_e |t_e| ~ b u sum_e |t_e|} of the exact value ({@code u = 2^-53}, Higham,
     * Accuracy and Stability of Numerical Algorithms, §4.2), and {@code (1/b) sum_e |t_e|} is at
     * most {@code G}, the largest per-example gradient entry. Two orders, plus at most 6 more
     * roundings per entry (scaling by {@code b_s} and {@code 1/b}, removing and adding the weight
     * penalty), differ by at most {@code d = 2 (b + 6) u G} per step. A step moves the parameters
     * by {@code alpha} times the gradient, so {@code steps} steps drift by at most
     * {@code steps alpha d} plus what the gradient map amplifies; a factor 8 covers that growth
     * and the change of {@code G} over a short run (measured: G at the start, from every example).
     */
    static double tolerance(NetworkConfig config, Dataset data, int batch, double alpha, int steps) {
        Network start = Network.fromConfig(config, PluginRegistry.defaults());
        double g = 0;
        for (int e = 0; e < data.size(); e++) {
            start.computeGradients(data.slice(e, e + 1)); // includes the L2 gradient for m = 1: an overestimate
            for (Parameter p : start.parameters()) {
                for (double v : p.gradient().data) {
                    g = Math.max(g, Math.abs(v));
                }
            }
        }
        double u = Math.ulp(1.0) / 2;
        double perStep = 2.0 * (batch + 6) * u * g;
        return 8.0 * steps * alpha * perStep;
    }

    /** The largest absolute difference between the two networks' parameters. */
    static double maxDifference(Network a, Network b) {
        double[] x = FlatParameters.values(a);
        double[] y = FlatParameters.values(b);
        double d = 0;
        for (int k = 0; k < x.length; k++) {
            d = Math.max(d, Math.abs(x[k] - y[k]));
        }
        return d;
    }

    static void assertClose(Network expected, Network actual, double tolerance, String what) {
        double d = maxDifference(expected, actual);
        assertTrue(d <= tolerance, what + ": parameters differ by " + d + " > tolerance " + tolerance);
    }
}
