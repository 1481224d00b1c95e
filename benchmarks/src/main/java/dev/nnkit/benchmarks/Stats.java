package dev.nnkit.benchmarks;

import java.util.Arrays;

/**
 * Median, minimum and maximum of repeated rates, and the baseline's machine-readable line
 * {@code RESULT|what|shape|dtype|threads|JDKnn|median|min|max|unit|reps}, printed exactly as the
 * baseline's {@code Harness.emit} prints it.
 *
 * @param median the median (mean of the two middle values for an even count)
 * @param min    the smallest value
 * @param max    the largest value
 * @param reps   the number of values
 */
public record Stats(double median, double min, double max, int reps) {

    /** The statistics of {@code values} (not modified). */
    public static Stats of(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        double med = (n % 2 == 1) ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
        return new Stats(med, s[0], s[n - 1], n);
    }

    /** The {@code RESULT|} line of the baseline's harness. */
    public String resultLine(String what, String shape, String dtype, String threads, String unit) {
        return String.format("RESULT|%s|%s|%s|%s|%s|%.3f|%.3f|%.3f|%s|%d",
                what, shape, dtype, threads, "JDK" + Runtime.version().feature(), median, min, max, unit, reps);
    }
}
