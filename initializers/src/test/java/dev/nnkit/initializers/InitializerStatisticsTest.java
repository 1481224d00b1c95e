package dev.nnkit.initializers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Initializer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Draws large matrices from every random initializer and compares the sample with (a) the variance
 * each initializer declares and (b) a formula for it written here independently, with
 * {@code fanIn = numCols} and {@code fanOut = numRows}. The shape (300 rows, 700 cols) has
 * fanIn != fanOut, so an implementation that swapped the fans would miss the He/LeCun variance by a
 * factor 7/3.
 *
 * <p>Tolerances are 5 standard errors of the statistic for N = rows * cols independent draws
 * (a false failure has probability below 1e-6 per check; the seeds are fixed anyway):
 * <ul>
 *   <li>sample mean: SE = sigma / sqrt(N);
 *   <li>sample variance: SE = sqrt((mu4 - sigma^4) / N), where mu4 = 3 sigma^4 for a normal
 *       (SE = sigma^2 sqrt(2/N)) and mu4 = limit^4 / 5 with sigma^2 = limit^2 / 3 for a uniform
 *       (SE = sigma^2 sqrt(0.8/N));
 *   <li>fraction of entries with |w - mean| > sigma, which tells a normal (erfc(1/sqrt 2) = 0.3173)
 *       from a uniform (1 - 1/sqrt 3 = 0.4226): binomial SE = sqrt(p (1 - p) / N).
 * </ul>
 */
class InitializerStatisticsTest {

    private enum Shape { NORMAL, UNIFORM }

    /** P(|Z| > 1) for a standard normal, erfc(1/sqrt(2)). */
    private static final double NORMAL_BEYOND_ONE_SIGMA = 0.31731050786291415;
    /** P(|U| > sigma) for U ~ U(-L, L), sigma = L / sqrt(3). */
    private static final double UNIFORM_BEYOND_ONE_SIGMA = 1.0 - 1.0 / Math.sqrt(3.0);

    private record Case(String spec, Shape shape, DoubleBinaryOperator variance) {
        @Override
        public String toString() {
            return spec;
        }
    }

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("small_random", Shape.NORMAL, (in, out) -> 0.01 * 0.01));
        c.add(new Case("small_random(scale=0.3)", Shape.NORMAL, (in, out) -> 0.09));
        c.add(new Case("normal", Shape.NORMAL, (in, out) -> 0.05 * 0.05));
        c.add(new Case("normal(std=0.2)", Shape.NORMAL, (in, out) -> 0.04));
        c.add(new Case("uniform", Shape.UNIFORM, (in, out) -> 0.05 * 0.05 / 3.0));
        c.add(new Case("uniform(limit=2)", Shape.UNIFORM, (in, out) -> 4.0 / 3.0));
        c.add(new Case("xavier_normal", Shape.NORMAL, (in, out) -> 2.0 / (in + out)));
        c.add(new Case("xavier_normal(scale=0.5)", Shape.NORMAL, (in, out) -> 1.0 / (in + out)));
        c.add(new Case("xavier_uniform", Shape.UNIFORM, (in, out) -> 2.0 / (in + out)));
        c.add(new Case("xavier_uniform(scale=0.5)", Shape.UNIFORM, (in, out) -> 1.0 / (in + out)));
        c.add(new Case("he_normal", Shape.NORMAL, (in, out) -> 2.0 / in));
        c.add(new Case("he_normal(scale=0.5)", Shape.NORMAL, (in, out) -> 1.0 / in));
        c.add(new Case("he_uniform", Shape.UNIFORM, (in, out) -> 2.0 / in));
        c.add(new Case("lecun_normal", Shape.NORMAL, (in, out) -> 1.0 / in));
        c.add(new Case("lecun_uniform", Shape.UNIFORM, (in, out) -> 1.0 / in));
        c.add(new Case("lecun_uniform(scale=3)", Shape.UNIFORM, (in, out) -> 3.0 / in));
        return c;
    }

    static Stream<Arguments> casesAndShapes() {
        List<Arguments> all = new ArrayList<>();
        int[][] shapes = {{400, 500}, {300, 700}};
        long seed = 2026;
        for (Case c : cases()) {
            for (int[] s : shapes) {
                all.add(Arguments.of(c, s[0], s[1], seed++));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} on ({1} x {2})")
    @MethodSource("casesAndShapes")
    void sampleMatchesDeclaredAndIndependentFormula(Case c, int rows, int cols, long seed) {
        Initializer init = PluginRegistry.defaults().create(Initializer.class, c.spec());
        int fanIn = cols;
        int fanOut = rows;
        double expected = c.variance().applyAsDouble(fanIn, fanOut);
        assertEquals(expected, init.variance(fanIn, fanOut), 1e-14 * expected,
                c.spec() + ": declared variance against the formula written in the test");
        assertEquals(0.0, init.mean(), 0.0, c.spec() + ": declared mean");

        DMatrixRMaj w = new DMatrixRMaj(rows, cols);
        init.initialize(w, new SplittableRandom(seed));
        int n = w.getNumElements();
        double[] d = w.data;

        double sum = 0.0;
        for (int k = 0; k < n; k++) {
            sum += d[k];
        }
        double mean = sum / n;
        double squares = 0.0;
        double maxAbs = 0.0;
        int beyondSigma = 0;
        double sigma = Math.sqrt(expected);
        for (int k = 0; k < n; k++) {
            double centred = d[k] - mean;
            squares += centred * centred;
            maxAbs = Math.max(maxAbs, Math.abs(d[k]));
            if (Math.abs(d[k]) > sigma) {
                beyondSigma++;
            }
        }
        double variance = squares / (n - 1);

        double meanSe = sigma / Math.sqrt(n);
        assertEquals(0.0, mean, 5 * meanSe, c.spec() + ": sample mean within 5 SE of 0");

        double varianceSe = c.shape() == Shape.NORMAL
                ? expected * Math.sqrt(2.0 / n)
                : expected * Math.sqrt(0.8 / n);
        assertEquals(expected, variance, 5 * varianceSe, c.spec() + ": sample variance within 5 SE");

        double p = c.shape() == Shape.NORMAL ? NORMAL_BEYOND_ONE_SIGMA : UNIFORM_BEYOND_ONE_SIGMA;
        double fractionSe = Math.sqrt(p * (1 - p) / n);
        assertEquals(p, (double) beyondSigma / n, 5 * fractionSe,
                c.spec() + ": fraction beyond one sigma tells the distribution's shape");

        if (c.shape() == Shape.UNIFORM) {
            double limit = Math.sqrt(3.0 * expected);
            assertTrue(maxAbs <= limit, c.spec() + ": max |w| = " + maxAbs + " exceeds the limit " + limit);
            // P(all N draws inside (1 - 1e-3) limit) = (1 - 1e-3)^N < e^-200: the limit is reached.
            assertTrue(maxAbs >= limit * (1 - 1e-3), c.spec() + ": max |w| = " + maxAbs
                    + " stays well below the limit " + limit);
        }
    }
}
