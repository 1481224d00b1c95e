package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.StandardFunction;
import org.ejml.data.DMatrixRMaj;

/**
 * The kit's own, independent implementations of the {@link StandardFunction}s and of their
 * Jacobian-transpose products, written from the formulas so that a plugin's declaration (an
 * activation implementing {@code StandardActivation}, a loss implementing {@code FusedLoss}) is
 * checked against something that does not share its code.
 */
final class StandardFunctions {

    private StandardFunctions() {
    }

    /**
     * {@code f(Z)} into a new matrix: the logistic {@code 1 / (1 + e^-z)} element-wise (computed as
     * {@code e^z / (1 + e^z)} for {@code z < 0}, so that it never overflows), or softmax
     * {@code e^(z_i - max) / sum_j e^(z_j - max)} per column.
     */
    static DMatrixRMaj apply(StandardFunction f, DMatrixRMaj z) {
        DMatrixRMaj a = new DMatrixRMaj(z.numRows, z.numCols);
        switch (f) {
            case LOGISTIC -> {
                for (int k = 0; k < z.getNumElements(); k++) {
                    double x = z.data[k];
                    if (x >= 0) {
                        a.data[k] = 1.0 / (1.0 + Math.exp(-x));
                    } else {
                        double e = Math.exp(x);
                        a.data[k] = e / (1.0 + e);
                    }
                }
            }
            case SOFTMAX -> {
                int n = z.numRows;
                int m = z.numCols;
                for (int j = 0; j < m; j++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        max = Math.max(max, z.get(i, j));
                    }
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        double e = Math.exp(z.get(i, j) - max);
                        a.set(i, j, e);
                        sum += e;
                    }
                    for (int i = 0; i < n; i++) {
                        a.set(i, j, a.get(i, j) / sum);
                    }
                }
            }
            default -> throw new IllegalArgumentException("the kit has no formula for " + f);
        }
        return a;
    }

    /**
     * {@code J_f(Z)^T V} into a new matrix, from {@code A = f(Z)}: logistic
     * {@code v a (1 - a)} element-wise; softmax {@code a_i (v_i - sum_j a_j v_j)} per column.
     */
    static DMatrixRMaj backward(StandardFunction f, DMatrixRMaj a, DMatrixRMaj v) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols);
        switch (f) {
            case LOGISTIC -> {
                for (int k = 0; k < a.getNumElements(); k++) {
                    out.data[k] = v.data[k] * a.data[k] * (1.0 - a.data[k]);
                }
            }
            case SOFTMAX -> {
                for (int j = 0; j < a.numCols; j++) {
                    double dot = 0;
                    for (int i = 0; i < a.numRows; i++) {
                        dot += a.get(i, j) * v.get(i, j);
                    }
                    for (int i = 0; i < a.numRows; i++) {
                        out.set(i, j, a.get(i, j) * (v.get(i, j) - dot));
                    }
                }
            }
            default -> throw new IllegalArgumentException("the kit has no formula for " + f);
        }
        return out;
    }

    /** The formula, for messages. */
    static String formula(StandardFunction f) {
        return switch (f) {
            case LOGISTIC -> "1 / (1 + e^-z)";
            case SOFTMAX -> "e^z_i / sum_j e^z_j per column";
        };
    }
}
