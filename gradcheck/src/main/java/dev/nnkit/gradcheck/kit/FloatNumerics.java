package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/** Float matrices for the checks of float kernels: conversions, and comparison with the double kernel's result. */
final class FloatNumerics {

    /** Float's unit roundoff, {@code 2^-24}. */
    static final double U = 0x1p-24;

    private FloatNumerics() {
    }

    /** A double copy of {@code f} (exact). */
    static DMatrixRMaj widen(FMatrixRMaj f) {
        DMatrixRMaj d = new DMatrixRMaj(f.numRows, f.numCols);
        for (int k = 0; k < f.getNumElements(); k++) {
            d.data[k] = f.data[k];
        }
        return d;
    }

    /** A float copy of {@code d}, each entry rounded to the nearest float. */
    static FMatrixRMaj narrow(DMatrixRMaj d) {
        FMatrixRMaj f = new FMatrixRMaj(d.numRows, d.numCols);
        for (int k = 0; k < d.getNumElements(); k++) {
            f.data[k] = (float) d.data[k];
        }
        return f;
    }

    /** {@code d} with every entry rounded to the nearest float, in place; returns {@code d}. */
    static DMatrixRMaj round(DMatrixRMaj d) {
        for (int k = 0; k < d.getNumElements(); k++) {
            d.data[k] = (float) d.data[k];
        }
        return d;
    }

    /** A float matrix of the given shape filled with {@code value}. */
    static FMatrixRMaj filled(int rows, int cols, float value) {
        FMatrixRMaj f = new FMatrixRMaj(rows, cols);
        Arrays.fill(f.data, 0, f.getNumElements(), value);
        return f;
    }

    /** The largest magnitude of the entries of {@code d}. */
    static double maxAbs(DMatrixRMaj d) {
        double max = 0;
        for (int k = 0; k < d.getNumElements(); k++) {
            max = Math.max(max, Math.abs(d.data[k]));
        }
        return max;
    }

    /**
     * Null when {@code got} (the float kernel's) has the shape of {@code expected} (the double
     * kernel's on the same input) and every entry is within {@code relative * max|expected| + 2^-126}
     * of it, else a message naming {@code what}, the worst entry, both values and the bound.
     */
    static String normwise(String what, DMatrixRMaj expected, FMatrixRMaj got, double relative) {
        if (expected.numRows != got.numRows || expected.numCols != got.numCols) {
            return what + " is " + Numerics.shape(expected) + " in the double pass but (" + got.numRows + " x " + got.numCols
                    + ") in the float pass";
        }
        double bound = relative * maxAbs(expected) + Float.MIN_NORMAL;
        int worst = -1;
        double worstDifference = 0;
        for (int k = 0; k < expected.getNumElements(); k++) {
            double difference = Math.abs(got.data[k] - expected.data[k]);
            if (!(difference <= bound) && (worst < 0 || !(difference <= worstDifference))) {
                worst = k;
                worstDifference = difference;
            }
        }
        if (worst < 0) {
            return null;
        }
        return what + Numerics.at(expected, worst) + " is " + got.data[worst] + " in the float pass and " + expected.data[worst]
                + " in the double pass, difference " + fmt(worstDifference) + " > " + fmt(bound) + " (" + fmt(relative)
                + " of the largest entry, " + fmt(maxAbs(expected)) + ")";
    }

    /**
     * Null when each entry of {@code got} is within {@code relative * |expected_k| + 2^-126} of
     * {@code expected}'s, else a message naming {@code what}, the first entry, both values and the bound.
     */
    static String elementwise(String what, DMatrixRMaj expected, FMatrixRMaj got, double relative) {
        if (expected.numRows != got.numRows || expected.numCols != got.numCols) {
            return what + " is " + Numerics.shape(expected) + " in the double pass but (" + got.numRows + " x " + got.numCols
                    + ") in the float pass";
        }
        for (int k = 0; k < expected.getNumElements(); k++) {
            double bound = relative * Math.abs(expected.data[k]) + Float.MIN_NORMAL;
            double difference = Math.abs(got.data[k] - expected.data[k]);
            if (!(difference <= bound)) {
                return what + Numerics.at(expected, k) + " is " + got.data[k] + " in the float pass and " + expected.data[k]
                        + " in the double pass, difference " + fmt(difference) + " > " + fmt(bound);
            }
        }
        return null;
    }

    /** The index of the first entry that is NaN or infinite, or -1. */
    static int firstNonFinite(FMatrixRMaj f) {
        for (int k = 0; k < f.getNumElements(); k++) {
            if (!Float.isFinite(f.data[k])) {
                return k;
            }
        }
        return -1;
    }

    /** The index of the first entry whose bits differ, or -1 when the matrices are bit-identical. */
    static int firstDifference(FMatrixRMaj a, FMatrixRMaj b) {
        if (a.numRows != b.numRows || a.numCols != b.numCols) {
            return 0;
        }
        for (int k = 0; k < a.getNumElements(); k++) {
            if (Float.floatToRawIntBits(a.data[k]) != Float.floatToRawIntBits(b.data[k])) {
                return k;
            }
        }
        return -1;
    }

    /** The position {@code [i, j]} of the {@code k}-th entry of a row-major float matrix. */
    static String at(FMatrixRMaj m, int k) {
        return "[" + (k / m.numCols) + ", " + (k % m.numCols) + "]";
    }
}
