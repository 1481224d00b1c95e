package dev.nnkit.examples;

/**
 * {@code sin} and {@code cos} rounded to the nearest double, for the course's data sets.
 *
 * <p>Why: the notes' flower takes {@code sin} and {@code cos} of 400 noisy angles; the C library
 * NumPy called when the course was made rounded them correctly, while {@link Math#sin} and
 * {@link StrictMath#sin} promise one ulp and give the last bit of one point in 800 differently.
 * Here the argument is reduced by {@code k pi/2} with {@code pi/2} split in three 33-bit parts (each
 * product {@code k * part} exact for the small {@code k} of these data sets), and the sine and
 * cosine of the remainder {@code |r| <= pi/4} are summed as Taylor series in double-double
 * arithmetic (about 100 bits), then rounded once. For {@code |x| >= 2^20} it falls back to
 * {@link StrictMath}.
 */
final class RoundedTrig {

    private static final double PIO2_1 = 1.57079632673412561417e+00;
    private static final double PIO2_2 = 6.07710050630396597660e-11;
    private static final double PIO2_3 = 2.02226624871116645580e-21;
    private static final double PIO2_3T = 8.47842766036889956997e-32;
    private static final double TWO_OVER_PI = 6.36619772367581382433e-01;

    private RoundedTrig() {
    }

    /** {@code sin x} correctly rounded for {@code |x| < 2^20}. */
    static double sin(double x) {
        return eval(x, true);
    }

    /** {@code cos x} correctly rounded for {@code |x| < 2^20}. */
    static double cos(double x) {
        return eval(x, false);
    }

    private static double eval(double x, boolean sine) {
        if (!(Math.abs(x) < 0x1p20)) {
            return sine ? StrictMath.sin(x) : StrictMath.cos(x);
        }
        long k = Math.round(x * TWO_OVER_PI);
        // r = x - k pi/2 as a double-double
        double a = x - k * PIO2_1; // exact: k * PIO2_1 is exact and close to x
        double[] r = twoSum(a, -k * PIO2_2);
        r = add(r[0], r[1], -k * PIO2_3, 0);
        r = add(r[0], r[1], -k * PIO2_3T, 0);
        double[] r2 = mul(r[0], r[1], r[0], r[1]);
        int quadrant = (int) Math.floorMod(k, 4L);
        boolean wantSine = sine == (quadrant % 2 == 0);
        double[] v = wantSine ? sinSeries(r, r2) : cosSeries(r2);
        boolean negate = sine ? quadrant >= 2 : quadrant == 1 || quadrant == 2;
        double result = v[0] + v[1];
        return negate ? -result : result;
    }

    /** {@code sin r = r (1 - r^2/3! + r^4/5! - ...)}. */
    private static double[] sinSeries(double[] r, double[] r2) {
        double[] sum = {0, 0};
        for (int n = 27; n >= 3; n -= 2) {
            double[] c = inverseFactorial(n);
            sum = mul(sum[0], sum[1], r2[0], r2[1]);
            sum = add(sum[0], sum[1], (n / 2) % 2 == 0 ? c[0] : -c[0], (n / 2) % 2 == 0 ? c[1] : -c[1]);
        }
        sum = mul(sum[0], sum[1], r2[0], r2[1]);
        sum = add(sum[0], sum[1], 1.0, 0);
        return mul(sum[0], sum[1], r[0], r[1]);
    }

    /** {@code cos r = 1 - r^2/2! + r^4/4! - ...}. */
    private static double[] cosSeries(double[] r2) {
        double[] sum = {0, 0};
        for (int n = 28; n >= 2; n -= 2) {
            double[] c = inverseFactorial(n);
            sum = mul(sum[0], sum[1], r2[0], r2[1]);
            sum = add(sum[0], sum[1], (n / 2) % 2 == 0 ? c[0] : -c[0], (n / 2) % 2 == 0 ? c[1] : -c[1]);
        }
        sum = mul(sum[0], sum[1], r2[0], r2[1]);
        return add(sum[0], sum[1], 1.0, 0);
    }

    /** {@code 1 / n!} as a double-double. */
    private static double[] inverseFactorial(int n) {
        double[] c = {1, 0};
        for (int i = 2; i <= n; i++) {
            c = div(c[0], c[1], i);
        }
        return c;
    }

    private static double[] twoSum(double a, double b) {
        double s = a + b;
        double bb = s - a;
        return new double[] {s, (a - (s - bb)) + (b - bb)};
    }

    private static double[] add(double ah, double al, double bh, double bl) {
        double[] s = twoSum(ah, bh);
        double lo = s[1] + al + bl;
        double hi = s[0] + lo;
        return new double[] {hi, lo - (hi - s[0])};
    }

    private static double[] mul(double ah, double al, double bh, double bl) {
        double p = ah * bh;
        double e = Math.fma(ah, bh, -p) + (ah * bl + al * bh);
        double hi = p + e;
        return new double[] {hi, e - (hi - p)};
    }

    private static double[] div(double ah, double al, double b) {
        double q = ah / b;
        double rem = Math.fma(-q, b, ah) + al;
        double lo = rem / b;
        double hi = q + lo;
        return new double[] {hi, lo - (hi - q)};
    }
}
