package dev.nnkit.internal;

import org.ejml.data.DMatrixRMaj;

/** Class decisions and accuracy from outputs and labels, one example per column. */
public final class Evaluation {

    private Evaluation() {
    }

    /** One output row: {@code a > 0.5} gives 1; several rows: the index of the largest entry. */
    public static int[] classes(DMatrixRMaj outputs) {
        int m = outputs.numCols;
        int[] out = new int[m];
        for (int j = 0; j < m; j++) {
            if (outputs.numRows == 1) {
                out[j] = outputs.data[j] > 0.5 ? 1 : 0;
            } else {
                int best = 0;
                for (int i = 1; i < outputs.numRows; i++) {
                    if (outputs.data[i * m + j] > outputs.data[best * m + j]) {
                        best = i;
                    }
                }
                out[j] = best;
            }
        }
        return out;
    }

    /**
     * How many columns of {@code labels} have the class in {@code predicted}.
     *
     * @param labels class labels: one row of 0s and 1s, or one-hot columns
     * @param first  the index of the first column in the whole data set, for messages
     * @throws IllegalArgumentException when a column is not a class label (a regression target):
     *         accuracy is not defined for it
     */
    public static int correct(int[] predicted, DMatrixRMaj labels, long first) {
        requireClassLabels(labels, first);
        int[] truth = classes(labels);
        int correct = 0;
        for (int j = 0; j < truth.length; j++) {
            if (predicted[j] == truth[j]) {
                correct++;
            }
        }
        return correct;
    }

    private static void requireClassLabels(DMatrixRMaj labels, long first) {
        int n = labels.numRows;
        int m = labels.numCols;
        for (int j = 0; j < m; j++) {
            if (n == 1) {
                double v = labels.data[j];
                if (v != 0.0 && v != 1.0) {
                    throw new IllegalArgumentException("accuracy needs class labels, but the label of example " + (first + j)
                            + " is " + v + " (a single label row must hold 0 or 1); for a regression, use cost() or the "
                            + "regression scores (dev.nnkit.data.Scores)");
                }
                continue;
            }
            int ones = 0;
            for (int i = 0; i < n; i++) {
                double v = labels.data[i * m + j];
                if (v == 1.0) {
                    ones++;
                } else if (v != 0.0) {
                    ones = -1;
                    break;
                }
            }
            if (ones != 1) {
                throw new IllegalArgumentException("accuracy needs class labels, but the label column of example " + (first + j)
                        + " is not one-hot (one 1, the rest 0); for a regression, use cost() or the regression scores "
                        + "(dev.nnkit.data.Scores)");
            }
        }
    }

}
