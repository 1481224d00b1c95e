package dev.nnkit.data;

import java.util.List;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * How well predictions match the truth: accuracy, per-class precision, recall and F1 and the
 * confusion matrix for classification; mean squared error, mean absolute error and {@code R^2}
 * for regression.
 */
public final class Scores {

    private Scores() {
    }

    /**
     * Classification scores over {@code m} examples and {@code k} classes.
     *
     * @param classes   the class names, {@code k}
     * @param confusion {@code confusion[a][p]}: the examples of true class {@code a} predicted as {@code p}
     * @param accuracy  the fraction of examples predicted right, {@code sum_c confusion[c][c] / m}
     * @param precision per class, {@code TP / (TP + FP)}; NaN for a class never predicted
     * @param recall    per class, {@code TP / (TP + FN)}; NaN for a class absent from the truth
     * @param f1        per class, {@code 2 P R / (P + R)}; NaN where either is NaN, 0 when both are 0
     */
    public record Classification(List<String> classes, int[][] confusion, double accuracy, double[] precision,
                                 double[] recall, double[] f1) {

        /** Copies the class names. */
        public Classification {
            classes = List.copyOf(classes);
        }

        /** The number of examples scored. */
        public int examples() {
            int m = 0;
            for (int[] row : confusion) {
                for (int v : row) {
                    m += v;
                }
            }
            return m;
        }
    }

    /**
     * Regression scores over every target and example ({@code n} values in all).
     *
     * @param mse the mean squared error, {@code sum (y - yhat)^2 / n}
     * @param mae the mean absolute error, {@code sum |y - yhat| / n}
     * @param r2  {@code 1 - SS_res / SS_tot}, {@code SS_tot} summed per target around its mean; NaN
     *            when every target is constant
     */
    public record Regression(double mse, double mae, double r2) {
    }

    /**
     * Scores predicted class indices against the true ones.
     *
     * @param actual    the true class of each example, in {@code [0, k)}
     * @param predicted the predicted class of each example, in {@code [0, k)}, as many
     * @param classes   the {@code k} class names
     * @throws IllegalArgumentException when the lengths differ or are 0, or an index is out of range
     */
    public static Classification classification(int[] actual, int[] predicted, List<String> classes) {
        Objects.requireNonNull(classes, "classes");
        int k = classes.size();
        if (actual.length != predicted.length || actual.length == 0) {
            throw new IllegalArgumentException("scoring needs as many predictions as true classes, at least one; got "
                    + predicted.length + " and " + actual.length);
        }
        int[][] confusion = new int[k][k];
        int right = 0;
        for (int j = 0; j < actual.length; j++) {
            if (actual[j] < 0 || actual[j] >= k || predicted[j] < 0 || predicted[j] >= k) {
                throw new IllegalArgumentException("example " + j + ": class " + actual[j] + " predicted as " + predicted[j]
                        + "; classes are 0.." + (k - 1));
            }
            confusion[actual[j]][predicted[j]]++;
            right += actual[j] == predicted[j] ? 1 : 0;
        }
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c];
            int predictedC = 0;
            int actualC = 0;
            for (int o = 0; o < k; o++) {
                predictedC += confusion[o][c];
                actualC += confusion[c][o];
            }
            precision[c] = predictedC == 0 ? Double.NaN : (double) tp / predictedC;
            recall[c] = actualC == 0 ? Double.NaN : (double) tp / actualC;
            double p = precision[c];
            double r = recall[c];
            f1[c] = Double.isNaN(p) || Double.isNaN(r) ? Double.NaN : p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
        return new Classification(classes, confusion, (double) right / actual.length, precision, recall, f1);
    }

    /**
     * Scores predicted values against the true ones.
     *
     * @param actual    {@code (targets, m)}. Not modified.
     * @param predicted the same shape. Not modified.
     * @throws IllegalArgumentException when the shapes differ or are empty
     */
    public static Regression regression(DMatrixRMaj actual, DMatrixRMaj predicted) {
        if (actual.numRows != predicted.numRows || actual.numCols != predicted.numCols || actual.getNumElements() == 0) {
            throw new IllegalArgumentException("scoring needs predictions of the labels' shape (" + actual.numRows + ", "
                    + actual.numCols + "); got (" + predicted.numRows + ", " + predicted.numCols + ")");
        }
        int m = actual.numCols;
        double squared = 0;
        double absolute = 0;
        double total = 0;
        for (int i = 0; i < actual.numRows; i++) {
            double mean = 0;
            for (int j = 0; j < m; j++) {
                mean += actual.data[i * m + j];
            }
            mean /= m;
            for (int j = 0; j < m; j++) {
                double e = predicted.data[i * m + j] - actual.data[i * m + j];
                double d = actual.data[i * m + j] - mean;
                squared += e * e;
                absolute += Math.abs(e);
                total += d * d;
            }
        }
        int n = actual.getNumElements();
        return new Regression(squared / n, absolute / n, total > 0 ? 1 - squared / total : Double.NaN);
    }
}
