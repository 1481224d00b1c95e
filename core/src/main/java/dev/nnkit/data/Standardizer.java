package dev.nnkit.data;

import java.util.Arrays;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * Standardization of features: each feature (row {@code i} of {@code X}, MATH §1: examples are
 * columns) is mapped to {@code (x - mean[i]) / deviation[i]}, so that on the data it was
 * {@linkplain #fit fitted} to each feature has mean 0 and standard deviation 1.
 *
 * <pre>{@code
 * Standardizer scale = Standardizer.fit(train.features());   // means and deviations of the training part
 * Dataset ready = scale.apply(train);                        // and of any other data, with the same numbers
 * }</pre>
 *
 * <p>The deviation is the population one, {@code sqrt(sum_j (x_ij - mean_i)^2 / m)}; a feature
 * whose deviation is below {@value #MIN_DEVIATION} (constant on the training data) keeps
 * deviation 1, so it is only centred. A standardizer is saved with the network in a model file
 * as part of its {@link Pipeline}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Standardizer {

    /** A deviation below this is treated as a constant feature (deviation 1). */
    public static final double MIN_DEVIATION = 1e-12;

    private final double[] mean;
    private final double[] deviation;

    private Standardizer(double[] mean, double[] deviation) {
        this.mean = mean;
        this.deviation = deviation;
    }

    /**
     * The standardizer with these means and deviations, e.g. read back from a file.
     *
     * @param mean      the mean of each feature; finite. Not modified (copied).
     * @param deviation the deviation of each feature; finite and {@code > 0}. Not modified (copied).
     * @throws IllegalArgumentException when the lengths differ or are 0, or a value breaks its rule
     */
    public static Standardizer of(double[] mean, double[] deviation) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(deviation, "deviation");
        if (mean.length == 0 || mean.length != deviation.length) {
            throw new IllegalArgumentException("a standardizer needs one mean and one deviation per feature; got "
                    + mean.length + " means and " + deviation.length + " deviations");
        }
        for (int i = 0; i < mean.length; i++) {
            if (!Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("the mean of feature " + i + " is " + mean[i] + "; it must be finite");
            }
            if (!(deviation[i] > 0 && deviation[i] < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("the deviation of feature " + i + " is " + deviation[i]
                        + "; it must be finite and > 0");
            }
        }
        return new Standardizer(mean.clone(), deviation.clone());
    }

    /**
     * The means and deviations of the rows of {@code features}.
     *
     * @param features {@code (n[0], m)}, one example per column, {@code m >= 1}, every entry finite. Not modified.
     * @throws IllegalArgumentException when it has no rows or columns, or an entry is not finite
     */
    public static Standardizer fit(DMatrixRMaj features) {
        int n = features.numRows;
        int m = features.numCols;
        if (n == 0 || m == 0) {
            throw new IllegalArgumentException("cannot fit a standardizer to features of shape (" + n + ", " + m
                    + "); it needs at least one feature and one example");
        }
        double[] mean = new double[n];
        double[] deviation = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < m; j++) {
                double v = features.data[i * m + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("X contains " + v + " at row " + i + ", column " + j
                            + "; every entry must be a finite number");
                }
                sum += v;
            }
            mean[i] = sum / m;
            double squares = 0;
            for (int j = 0; j < m; j++) {
                double d = features.data[i * m + j] - mean[i];
                squares += d * d;
            }
            double sd = Math.sqrt(squares / m);
            deviation[i] = sd >= MIN_DEVIATION ? sd : 1.0;
        }
        return new Standardizer(mean, deviation);
    }

    /** The number of features, {@code n[0]}. */
    public int featureCount() {
        return mean.length;
    }

    /** The mean of each feature (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The deviation of each feature (a copy). */
    public double[] deviation() {
        return deviation.clone();
    }

    /**
     * The standardized features, {@code (x_ij - mean_i) / deviation_i}.
     *
     * @param features {@code (n[0], m)} with {@code n[0] = }{@link #featureCount()}. Not modified.
     * @return a new matrix of the same shape
     * @throws IllegalArgumentException when the number of rows differs
     */
    public DMatrixRMaj apply(DMatrixRMaj features) {
        requireRows(features);
        DMatrixRMaj out = new DMatrixRMaj(features.numRows, features.numCols);
        int m = features.numCols;
        for (int i = 0; i < features.numRows; i++) {
            double mu = mean[i];
            double sd = deviation[i];
            for (int j = 0; j < m; j++) {
                out.data[i * m + j] = (features.data[i * m + j] - mu) / sd;
            }
        }
        return out;
    }

    /** The data set with standardized features and the same labels. */
    public Dataset apply(Dataset data) {
        return Dataset.wrapping(apply(data.features()), data.labels());
    }

    private void requireRows(DMatrixRMaj features) {
        if (features.numRows != mean.length) {
            throw new IllegalArgumentException("the features have " + features.numRows + " rows but the standardizer was "
                    + "fitted to " + mean.length + " features");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s && Arrays.equals(mean, s.mean) && Arrays.equals(deviation, s.deviation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(deviation);
    }

    @Override
    public String toString() {
        return "Standardizer(" + mean.length + " features)";
    }
}
