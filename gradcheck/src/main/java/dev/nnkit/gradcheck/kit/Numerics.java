package dev.nnkit.gradcheck.kit;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * The numerical ground of the kit: central differences with generic kink detection, the
 * relative error of MATH §6, the tolerances, and number formatting for messages.
 *
 * <p><b>Step.</b> {@code h = 1e-6 * max(1, |x|)}; the step actually taken is {@code (x+h) - (x-h)}
 * as rounded, so the quotient is exact in its denominator.
 *
 * <p><b>Agreement.</b> An analytic value {@code a} agrees with the central difference {@code c}
 * when {@code |a - c| <= 1e-6 (|a| + |c|) + 1e-10 + noise}: a relative error (MATH §6) below
 * {@code 1e-6}, inside the "acceptable" band of MATH §6, or an absolute difference below {@code 1e-10}
 * (both gradients ~0, PyTorch's {@code atol} idea), or within {@code noise}, the round-off bound of
 * the difference quotient: {@code 8 u (|f(x-h)| + |f(x)| + |f(x+h)|) / h} with {@code u = 2^-52}.
 * The last term matters where {@code f} is large and {@code f'} tiny (sigmoid at {@code z = 30}:
 * {@code f ~ 1}, {@code f' ~ 1e-13}), where no difference quotient can resolve the slope.
 *
 * <p><b>Kinks.</b> A point is within a step of a kink when the one-sided quotients
 * {@code (f(x+h) - f(x)) / h} and {@code (f(x) - f(x-h)) / h} differ by more than {@code 1e-3} of
 * their size plus ten times {@code h |f''|} (plus round-off). For a smooth {@code f} they differ by
 * about {@code h |f''|}; {@code f''} is estimated with the wide step {@code H = 1000 h}, so at a
 * stationary point (L2 at {@code w = 0}) the tiny quotients are not mistaken for a kink. A slope
 * that jumps by {@code D} inside {@code [x-h, x+h]} makes them differ by a fraction of {@code D}
 * (and adds only about {@code D h / H = D / 1000} to the curvature estimate), and the central
 * difference is off by half of what they differ. Such points are skipped, not failed, and reported
 * as skipped.
 */
final class Numerics {

    /** Relative step of central differences: {@code h = STEP * max(1, |x|)}. */
    static final double STEP = 1e-6;
    /** Largest accepted relative error {@code |a - c| / (|a| + |c|)}. */
    static final double RELATIVE_TOLERANCE = 1e-6;
    /** Absolute difference accepted whatever the relative error (both values ~0). */
    static final double ABSOLUTE_TOLERANCE = 1e-10;
    /** One-sided quotients differing by more than this fraction of their size mark a kink. */
    static final double KINK_TOLERANCE = 1e-3;
    /** The wide step {@code H = WIDE * h} at which the curvature of a smooth function is estimated. */
    static final double WIDE = 1000.0;
    /** One-sided quotients of a smooth function differ by about {@code h |f''|}; allowed ten times that. */
    static final double CURVATURE_ALLOWANCE = 10.0;
    /** Statistical checks accept a difference of at most this many standard errors. */
    static final double STANDARD_ERRORS = 5.0;
    /** Unit round-off of doubles, {@code 2^-52}. */
    static final double U = Math.ulp(1.0);

    private Numerics() {
    }

    /** The step for a central difference at {@code x}. */
    static double step(double x) {
        return STEP * Math.max(1.0, Math.abs(x));
    }

    /**
     * A central difference and what is known about its reliability.
     *
     * @param central the central difference quotient
     * @param kink    whether a kink lies within the step (the point is to be skipped)
     * @param noise   the round-off bound of the quotient
     */
    record Difference(double central, boolean kink, double noise) {

        /** Whether {@code analytic} agrees with {@link #central}; false if either is NaN. */
        boolean agrees(double analytic) {
            return excess(analytic) <= 1.0;
        }

        /**
         * Whether the relative tolerance is what bounds the comparison here, rather than round-off
         * and the absolute floor: only then is the relative error a measure of agreement.
         */
        boolean resolves(double analytic) {
            return RELATIVE_TOLERANCE * (Math.abs(analytic) + Math.abs(central)) > ABSOLUTE_TOLERANCE + noise;
        }

        /**
         * How far outside the tolerance {@code analytic} is: {@code |a - c|} over the allowed
         * {@code 1e-6 (|a| + |c|) + 1e-10 + noise}; at most 1 when they agree, infinite for NaN.
         */
        double excess(double analytic) {
            double diff = Math.abs(analytic - central);
            double allowed = RELATIVE_TOLERANCE * (Math.abs(analytic) + Math.abs(central)) + ABSOLUTE_TOLERANCE + noise;
            return diff <= allowed ? diff / allowed : Double.isNaN(diff) || Double.isNaN(allowed) ? Double.POSITIVE_INFINITY
                    : diff / allowed;
        }
    }

    /** The value of a function at one point and the size of the terms it sums, for round-off. */
    record Term(double value, double magnitude) {
    }

    /** A function of one real variable, the entry being differentiated. */
    @FunctionalInterface
    interface Probe {
        Term at(double x);
    }

    /** The five points of the stencil at {@code x}: {@code x - H, x - h, x, x + h, x + H}. */
    static double[] stencil(double x) {
        double h = step(x);
        double wide = WIDE * h;
        return new double[] {x - wide, x - h, x, x + h, x + wide};
    }

    /** The central difference of {@code f} at {@code x}, with kink detection. */
    static Difference difference(double x, Probe f) {
        double[] xs = stencil(x);
        double[] fs = new double[5];
        double scale = 0;
        for (int i = 0; i < 5; i++) {
            Term t = f.at(xs[i]);
            fs[i] = t.value();
            if (i >= 1 && i <= 3) {
                scale += t.magnitude();
            }
        }
        return difference(xs, fs, scale);
    }

    /**
     * The central difference from values on the {@link #stencil}.
     *
     * @param xs    the stencil {@code x - H, x - h, x, x + h, x + H} as rounded
     * @param fs    {@code f} at those points
     * @param scale the size of the terms {@code f(x - h)}, {@code f(x)}, {@code f(x + h)} are sums of,
     *              for the round-off bound (for single values: the sum of their absolute values)
     */
    static Difference difference(double[] xs, double[] fs, double scale) {
        double xm = xs[1];
        double x = xs[2];
        double xp = xs[3];
        double central = (fs[3] - fs[1]) / (xp - xm);
        double right = (fs[3] - fs[2]) / (xp - x);
        double left = (fs[2] - fs[1]) / (x - xm);
        double noise = 8.0 * U * scale / Math.min(xp - x, x - xm);
        double curvature = 2.0 * ((fs[4] - fs[2]) / (xs[4] - x) - (fs[2] - fs[0]) / (x - xs[0])) / (xs[4] - xs[0]);
        double smooth = CURVATURE_ALLOWANCE * 0.5 * (xp - xm) * Math.abs(curvature);
        boolean kink = Math.abs(right - left) > KINK_TOLERANCE * (Math.abs(right) + Math.abs(left)) + smooth + 2.0 * noise
                + ABSOLUTE_TOLERANCE;
        return new Difference(central, kink, noise);
    }

    /** MATH §6: {@code |a - b| / (|a| + |b|)}, 0 when both are 0. */
    static double relativeError(double a, double b) {
        double denominator = Math.abs(a) + Math.abs(b);
        return denominator == 0.0 ? 0.0 : Math.abs(a - b) / denominator;
    }

    /** A number with four significant digits, e.g. {@code 0.1966}, {@code 1e-6}, {@code -700}. */
    static String fmt(double x) {
        return fmt(x, 4);
    }

    /** A number with {@code digits} significant digits, trailing zeros dropped. */
    static String fmt(double x, int digits) {
        if (x == 0.0 || Double.isNaN(x) || Double.isInfinite(x)) {
            return x == 0.0 ? "0" : Double.toString(x);
        }
        BigDecimal rounded = new BigDecimal(x).round(new MathContext(digits)).stripTrailingZeros();
        double abs = Math.abs(x);
        if (abs >= 1e-3 && abs < 1e7) {
            return rounded.toPlainString();
        }
        String mantissa = rounded.unscaledValue().toString();
        boolean negative = mantissa.startsWith("-");
        String figures = negative ? mantissa.substring(1) : mantissa;
        int exponent = figures.length() - 1 - rounded.scale();
        String m = figures.length() == 1 ? figures : figures.charAt(0) + "." + figures.substring(1);
        return (negative ? "-" : "") + m + "e" + exponent;
    }

    /** The position {@code [i, j]} of the {@code k}-th entry of a row-major matrix. */
    static String at(DMatrixRMaj m, int k) {
        return "[" + (k / m.numCols) + ", " + (k % m.numCols) + "]";
    }

    /** A {@code (rows, cols)} matrix of the given row-major values. */
    static DMatrixRMaj matrix(int rows, int cols, double... values) {
        return new DMatrixRMaj(rows, cols, true, values);
    }

    /** A matrix of standard normal entries times {@code scale}, from a fixed seed. */
    static DMatrixRMaj gaussian(int rows, int cols, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            m.data[k] = scale * random.nextGaussian();
        }
        return m;
    }

    /**
     * Entries of random sign and magnitude uniform in {@code [lo, hi)}, from a fixed seed: nonzero
     * multipliers for backward passes, so a plugin that ignores {@code dA} is caught.
     */
    static DMatrixRMaj signedUniform(int rows, int cols, double lo, double hi, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            double magnitude = lo + (hi - lo) * random.nextDouble();
            m.data[k] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return m;
    }

    /** A matrix of the given shape filled with {@code value}. */
    static DMatrixRMaj filled(int rows, int cols, double value) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        Arrays.fill(m.data, 0, m.getNumElements(), value);
        return m;
    }

    /**
     * A matrix of the given shape filled with garbage: huge values, NaN, infinities and random
     * numbers, the content an output buffer may have from an earlier, unrelated use.
     */
    static DMatrixRMaj garbage(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] pool = {Double.NaN, 1e308, -1e308, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 12345.678, -0.0};
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            m.data[k] = random.nextBoolean() ? pool[random.nextInt(pool.length)] : 1e3 * (random.nextDouble() - 0.5);
        }
        return m;
    }

    /** The index of the first entry whose bits differ, or -1 when the matrices are bit-identical. */
    static int firstDifference(DMatrixRMaj a, DMatrixRMaj b) {
        if (a.numRows != b.numRows || a.numCols != b.numCols) {
            return 0;
        }
        for (int k = 0; k < a.getNumElements(); k++) {
            if (Double.doubleToLongBits(a.data[k]) != Double.doubleToLongBits(b.data[k])) {
                return k;
            }
        }
        return -1;
    }

    /** The index of the first entry that is NaN or infinite, or -1. */
    static int firstNonFinite(DMatrixRMaj m) {
        for (int k = 0; k < m.getNumElements(); k++) {
            if (!Double.isFinite(m.data[k])) {
                return k;
            }
        }
        return -1;
    }

    /** {@code "(rows x cols)"}. */
    static String shape(DMatrixRMaj m) {
        return "(" + m.numRows + " x " + m.numCols + ")";
    }
}
