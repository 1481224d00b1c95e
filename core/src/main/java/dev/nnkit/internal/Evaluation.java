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

    /** How many columns of {@code labels} have the class in {@code predicted}. */
    public static int correct(int[] predicted, DMatrixRMaj labels) {
        int[] truth = classes(labels);
        int correct = 0;
        for (int j = 0; j < truth.length; j++) {
            if (predicted[j] == truth[j]) {
                correct++;
            }
        }
        return correct;
    }
}
