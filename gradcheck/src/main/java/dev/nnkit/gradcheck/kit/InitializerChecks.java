package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.at;
import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import dev.nnkit.spi.Initializer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** The checks of an {@link Initializer}; see {@link Conformance#initializer(String)}. */
final class InitializerChecks {

    /** Rows (fan-out) and columns (fan-in) of the large matrices: both orientations of 300 x 700. */
    static final int SHORT_SIDE = 300;
    static final int LONG_SIDE = 700;

    private final Maker<Initializer> maker;

    InitializerChecks(Maker<Initializer> maker) {
        this.maker = maker;
    }

    List<Check> all() {
        String label = maker.label();
        return List.of(
                PluginChecks.registered(maker),
                PluginChecks.roundTrip(maker, BEHAVIOUR),
                new Check(label, "mean and variance on " + SHORT_SIDE + " x " + LONG_SIDE,
                        () -> moments(SHORT_SIDE, LONG_SIDE, 101)),
                new Check(label, "mean and variance on " + LONG_SIDE + " x " + SHORT_SIDE,
                        () -> moments(LONG_SIDE, SHORT_SIDE, 102)),
                new Check(label, "deterministic by seed", this::deterministic),
                new Check(label, "different seeds", this::differentSeeds),
                new Check(label, "every entry written", this::everyEntry));
    }

    private static final PluginChecks.Behaviour<Initializer> BEHAVIOUR = new PluginChecks.Behaviour<>() {
        @Override
        public String sample() {
            return "30 x 20 matrix from the same seed, mean() and variance(20, 30)";
        }

        @Override
        public String difference(Initializer a, Initializer b) {
            if (Double.compare(a.variance(20, 30), b.variance(20, 30)) != 0) {
                return "variance(20, 30) is " + a.variance(20, 30) + " and " + b.variance(20, 30);
            }
            if (Double.compare(a.mean(), b.mean()) != 0) {
                return "mean() is " + a.mean() + " and " + b.mean();
            }
            DMatrixRMaj first = draw(a, 30, 20, 5);
            DMatrixRMaj second = draw(b, 30, 20, 5);
            int k = Numerics.firstDifference(first, second);
            return k < 0 ? null : "W" + at(first, k) + " is " + first.data[k] + " and " + second.data[k];
        }
    };

    private static DMatrixRMaj draw(Initializer init, int rows, int cols, long seed) {
        DMatrixRMaj w = new DMatrixRMaj(rows, cols);
        init.initialize(w, new SplittableRandom(seed));
        return w;
    }

    /**
     * Compares the sample mean and variance of the {@code N = rows * cols} entries of one
     * initialized {@code (rows, cols)} matrix ({@code fanOut = rows}, {@code fanIn = cols}) with the
     * declared {@code mean()} and {@code variance(cols, rows)}.
     *
     * <p>Tolerance, five standard errors of each estimate: the sample mean has standard error
     * {@code s / sqrt(N)}; the sample variance {@code s^2} has standard error
     * {@code sqrt((m4 - s^4) / N)}, where {@code m4} is the sample fourth central moment, so the
     * bound holds for any distribution with a finite fourth moment (for a normal one it is
     * {@code s^2 sqrt(2/N)}, for a uniform one {@code s^2 sqrt(0.8/N)}). Both estimates are close to
     * normal at {@code N = 210000}, so a correct initializer fails with probability about
     * {@code 6e-7} per comparison, and the fixed seed makes every run give the same answer. A wrong
     * formula is far outside: declaring {@code 2/fanIn} while drawing {@code 1/fanIn} is over 300
     * standard errors off, and swapping fan-in and fan-out changes the variance by a factor
     * {@code 7/3} in one of the two orientations.
     */
    private String moments(int rows, int cols, long seed) {
        Initializer init = maker.make();
        double declaredVariance = init.variance(cols, rows);
        double declaredMean = init.mean();
        String where = rows + " x " + cols + " W (fanOut " + rows + ", fanIn " + cols + ")";
        if (!(declaredVariance >= 0.0) || Double.isInfinite(declaredVariance)) {
            throw new CheckFailure("variance of a " + where + ": variance(" + cols + ", " + rows + ") declares "
                    + declaredVariance + "; a variance must be finite and >= 0");
        }
        if (!Double.isFinite(declaredMean)) {
            throw new CheckFailure("mean of a " + where + ": mean() declares " + declaredMean + "; it must be finite");
        }
        DMatrixRMaj w = draw(init, rows, cols, seed);
        int bad = Numerics.firstNonFinite(w);
        if (bad >= 0) {
            throw new CheckFailure("mean and variance of a " + where + ": W" + at(w, bad) + " = " + w.data[bad]);
        }
        int n = w.getNumElements();
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += w.data[k];
        }
        double mean = sum / n;
        double m2 = 0;
        double m4 = 0;
        for (int k = 0; k < n; k++) {
            double d = w.data[k] - mean;
            double d2 = d * d;
            m2 += d2;
            m4 += d2 * d2;
        }
        m2 /= n;
        m4 /= n;
        double variance = m2 * n / (n - 1.0);
        double meanError = Math.sqrt(variance / n);
        double varianceError = Math.sqrt(Math.max(m4 - m2 * m2, 0.0) / n);
        // Round-off allowance for constant initializers, where both standard errors are 0.
        double roundOff = 1e-9 * (Math.abs(declaredMean) + Math.sqrt(declaredVariance)) + Double.MIN_NORMAL;

        List<String> problems = new ArrayList<>();
        double meanDistance = Math.abs(mean - declaredMean);
        if (meanDistance > Numerics.STANDARD_ERRORS * meanError + roundOff) {
            problems.add("mean of a " + where + ": sample " + fmt(mean) + ", declared mean() = " + fmt(declaredMean)
                    + "; they differ by " + standardErrors(meanDistance, meanError) + " (standard error " + fmt(meanError)
                    + "), more than " + fmt(Numerics.STANDARD_ERRORS));
        }
        double varianceDistance = Math.abs(variance - declaredVariance);
        if (varianceDistance > Numerics.STANDARD_ERRORS * varianceError + 1e-9 * declaredVariance + Double.MIN_NORMAL) {
            problems.add("variance of a " + where + ": sample " + fmt(variance) + ", declared variance(" + cols + ", " + rows
                    + ") = " + fmt(declaredVariance) + "; they differ by " + standardErrors(varianceDistance, varianceError)
                    + " (standard error " + fmt(varianceError) + "), more than " + fmt(Numerics.STANDARD_ERRORS)
                    + varianceHint(init, rows, cols, variance, varianceError));
        }
        if (!problems.isEmpty()) {
            throw new CheckFailure(String.join("; ", problems));
        }
        return "sample mean " + fmt(mean) + " vs declared " + fmt(declaredMean) + " ("
                + standardErrors(meanDistance, meanError) + "), sample variance " + fmt(variance) + " vs declared variance("
                + cols + ", " + rows + ") = " + fmt(declaredVariance) + " (" + standardErrors(varianceDistance, varianceError)
                + ") on " + n + " entries";
    }

    private static String standardErrors(double distance, double error) {
        if (error == 0.0) {
            return distance == 0.0 ? "0 standard errors" : "infinitely many standard errors";
        }
        return fmt(distance / error) + " standard errors";
    }

    /** Names the likely cause when the sample fits the declared formula with the fans swapped. */
    private static String varianceHint(Initializer init, int rows, int cols, double variance, double error) {
        double swapped = init.variance(rows, cols);
        if (rows != cols && Math.abs(variance - swapped) <= Numerics.STANDARD_ERRORS * error) {
            return "; the sample matches variance(" + rows + ", " + cols + ") = " + fmt(swapped)
                    + ": are fanIn and fanOut swapped? W is (fanOut, fanIn), fanIn = W.numCols";
        }
        return "";
    }

    private String deterministic() {
        Initializer init = maker.make();
        DMatrixRMaj first = draw(init, 30, 20, 42);
        DMatrixRMaj second = draw(maker.make(), 30, 20, 42);
        int k = Numerics.firstDifference(first, second);
        if (k >= 0) {
            throw new CheckFailure("deterministic by seed: two 30 x 20 matrices from generators with seed 42 differ at W" + at(first, k)
                    + " (" + first.data[k] + " and " + second.data[k] + "); draw only from the RandomGenerator passed in");
        }
        DMatrixRMaj again = draw(init, 30, 20, 42);
        k = Numerics.firstDifference(first, again);
        if (k >= 0) {
            throw new CheckFailure("deterministic by seed: the same instance gives a different 30 x 20 matrix the second time "
                    + "with seed 42, at W" + at(first, k) + " (" + first.data[k] + " and " + again.data[k]
                    + "); an initializer keeps no state between calls");
        }
        return "the same seed gives the same 30 x 20 matrix, from one instance twice and from two instances";
    }

    private String differentSeeds() {
        Initializer init = maker.make();
        if (init.variance(20, 30) == 0.0) {
            return "not applicable: variance(20, 30) is 0, so every seed gives the same matrix";
        }
        DMatrixRMaj first = draw(init, 30, 20, 1);
        DMatrixRMaj second = draw(init, 30, 20, 2);
        if (Numerics.firstDifference(first, second) < 0) {
            throw new CheckFailure("different seeds: seeds 1 and 2 give the same 30 x 20 matrix although variance(20, 30) = "
                    + fmt(init.variance(20, 30)) + "; draw from the RandomGenerator passed in");
        }
        return "seeds 1 and 2 give different 30 x 20 matrices";
    }

    private String everyEntry() {
        Initializer init = maker.make();
        int[][] sizes = {{7, 3}, {3, 7}, {1, 1}, {1, 9}, {9, 1}};
        for (int[] size : sizes) {
            DMatrixRMaj w = Numerics.filled(size[0], size[1], Double.NaN);
            init.initialize(w, new SplittableRandom(3));
            if (w.numRows != size[0] || w.numCols != size[1]) {
                throw new CheckFailure("every entry written: initialize reshaped a " + size[0] + " x " + size[1] + " W to "
                        + Numerics.shape(w));
            }
            int k = Numerics.firstNonFinite(w);
            if (k >= 0) {
                throw new CheckFailure("every entry written: after initialize on a NaN-filled " + size[0] + " x " + size[1]
                        + " W, W" + at(w, k) + " = " + w.data[k] + "; every entry must be overwritten with a finite value");
            }
        }
        return "overwrites every entry of NaN-filled 7 x 3, 3 x 7, 1 x 1, 1 x 9 and 9 x 1 matrices with finite values";
    }
}
