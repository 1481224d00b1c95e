package dev.nnkit.random;

/**
 * The natural logarithm rounded to the nearest double, for the legacy normal generator.
 *
 * <p>Why: NumPy's polar method calls the C library's {@code log}, which on current glibc is
 * within 0.52 ulp, i.e. almost always the correctly rounded value; {@link Math#log} and
 * {@link StrictMath#log} promise only 1 ulp and differ from it on about one draw in 3,000 and one
 * in 30 respectively, which changes the last bit of the normal pair. So the logarithm is evaluated
 * here in double-double arithmetic (about 106 bits) and rounded once:
 * {@code x = 2^k m} with {@code sqrt(1/2) <= m < sqrt(2)}, {@code s = (m - 1) / (m + 1)},
 * {@code ln x = k ln 2 + 2 (s + s^3/3 + s^5/5 + ...)}, {@code |s| <= 0.172}, summed until the
 * terms fall below {@code 2^-110} of the total.
 */
final class DoubleDoubleLog {

    private static final double LN2_HI = 0x1.62e42fefa39efp-1;
    private static final double LN2_LO = 0x1.abc9e3b39803fp-56;
    private static final double SQRT_HALF = 0x1.6a09e667f3bcdp-1;

    private DoubleDoubleLog() {
    }

    /** {@code ln x} for a finite {@code x > 0}, correctly rounded except in cases too close to a tie for 106 bits. */
    static double log(double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            return Math.log(x); // NaN, -Infinity, Infinity: nothing to round
        }
        int offset = 0;
        if (x < Double.MIN_NORMAL) { // subnormal: scale into the normal range first
            x *= 0x1p54;
            offset = -54;
        }
        int k = Math.getExponent(x);
        double m = Math.scalb(x, -k); // in [1, 2)
        if (m >= 2 * SQRT_HALF) {
            m *= 0.5;
            k++;
        }
        k += offset;
        // s = (m - 1) / (m + 1) in double-double; m - 1 is exact (Sterbenz), m + 1 is a two-sum
        double num = m - 1.0;
        double denHi = m + 1.0;
        double denLo = (m - (denHi - 1.0)) + (1.0 - (denHi - (denHi - 1.0)));
        double sHi = num / denHi;
        // remainder num - s * den, exactly with fma, divided by den
        double r = Math.fma(-sHi, denHi, num) - sHi * denLo;
        double sLo = r / denHi;
        // s^2
        double s2Hi = sHi * sHi;
        double s2Lo = Math.fma(sHi, sHi, -s2Hi) + 2 * sHi * sLo;
        // sum = s (1 + s^2/3 + s^4/5 + ...), evaluated by Horner from the highest term down
        double sumHi = 0.0;
        double sumLo = 0.0;
        for (int n = 25; n >= 1; n--) {
            // sum = sum * s^2 + 1/(2n+1)
            double pHi = sumHi * s2Hi;
            double pLo = Math.fma(sumHi, s2Hi, -pHi) + (sumHi * s2Lo + sumLo * s2Hi);
            double cHi = 1.0 / (2 * n + 1);
            double cLo = Math.fma(-cHi, 2 * n + 1, 1.0) / (2 * n + 1);
            double t = pHi + cHi;
            double e = twoSumError(pHi, cHi, t);
            sumHi = t + (e + pLo + cLo);
            sumLo = (e + pLo + cLo) - (sumHi - t);
        }
        // sum = 1 + s^2 * sum
        double pHi = sumHi * s2Hi;
        double pLo = Math.fma(sumHi, s2Hi, -pHi) + (sumHi * s2Lo + sumLo * s2Hi);
        double t = pHi + 1.0;
        double e = twoSumError(pHi, 1.0, t);
        sumHi = t + (e + pLo);
        sumLo = (e + pLo) - (sumHi - t);
        // ln m = 2 s sum
        double lmHi = sHi * sumHi;
        double lmLo = Math.fma(sHi, sumHi, -lmHi) + (sHi * sumLo + sLo * sumHi);
        lmHi *= 2;
        lmLo *= 2;
        // + k ln 2
        double kHi = k * LN2_HI;
        double kLo = Math.fma(k, LN2_HI, -kHi) + k * LN2_LO;
        double hi = kHi + lmHi;
        double err = twoSumError(kHi, lmHi, hi);
        return hi + (err + lmLo + kLo);
    }

    /** The rounding error of {@code s = a + b} (Knuth's two-sum): {@code a + b = s + error} exactly. */
    private static double twoSumError(double a, double b, double s) {
        double bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }
}
