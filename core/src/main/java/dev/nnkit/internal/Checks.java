package dev.nnkit.internal;

import org.ejml.data.DMatrixRMaj;

/** Input validation shared by the public entry points; messages name the value and the rule. */
public final class Checks {

    private Checks() {
    }

    /** Fails on the first NaN or infinite entry, naming it and its position. */
    public static void requireFinite(String what, DMatrixRMaj matrix) {
        double[] d = matrix.data;
        for (int k = 0, n = matrix.getNumElements(); k < n; k++) {
            if (!Double.isFinite(d[k])) {
                throw new IllegalArgumentException(what + " contains " + d[k] + " at row " + (k / matrix.numCols)
                        + ", column " + (k % matrix.numCols) + "; every entry must be a finite number");
            }
        }
    }

    /**
     * Fails when an entry of {@code matrix} is finite in double but beyond float32's range
     * (magnitude above {@link Float#MAX_VALUE}), which a float32 network would turn into infinity.
     */
    public static void requireFloatRange(String what, DMatrixRMaj matrix) {
        double[] d = matrix.data;
        for (int k = 0, n = matrix.getNumElements(); k < n; k++) {
            if (Math.abs(d[k]) > Float.MAX_VALUE) {
                throw beyondFloat(what + " contains " + d[k] + " at row " + (k / matrix.numCols) + ", column "
                        + (k % matrix.numCols));
            }
        }
    }

    /** The refusal of a value beyond float32's range, after {@code where} names it. */
    public static IllegalArgumentException beyondFloat(String where) {
        return new IllegalArgumentException(where + ", beyond the float32 range of this float32 network (magnitudes up to "
                + Float.MAX_VALUE + "); scale the data, or use a float64 network");
    }

    /** Fails unless {@code matrix} has {@code rows} rows, explaining the column convention. */
    public static void requireRows(String what, DMatrixRMaj matrix, int rows, String meaning) {
        requireRows(what, matrix.numRows, matrix.numCols, rows, meaning);
    }

    /** {@link #requireRows(String, DMatrixRMaj, int, String)} for a {@code (numRows, numCols)} shape. */
    public static void requireRows(String what, int numRows, int numCols, int rows, String meaning) {
        if (numRows != rows) {
            throw new IllegalArgumentException(what + " has " + numRows + " rows but " + meaning + " is " + rows
                    + "; examples are columns, so " + what + " must be (" + rows + ", m); it is (" + numRows
                    + ", " + numCols + ")");
        }
    }

    /** Refuses a matrix without a row or a column (no example), naming it as {@code what}. */
    public static void requireNonEmpty(String what, DMatrixRMaj matrix) {
        if (matrix.numCols == 0 || matrix.numRows == 0) {
            throw new IllegalArgumentException(what + " is (" + matrix.numRows + ", " + matrix.numCols
                    + "); it needs at least one row and one column (one example)");
        }
    }
}
