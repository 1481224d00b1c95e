package dev.nnkit;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * A labelled data set with one example per column (SPEC §1): features {@code X} of shape
 * {@code (n[0], m)} and labels {@code Y} of shape {@code (n[L], m)}.
 *
 * <p>Immutable: the constructor copies its arguments ({@link #wrapping} takes them over without a
 * copy) and the accessors return copies. Every entry must be finite; at least one example is
 * required.
 */
public final class Dataset {

    private final DMatrixRMaj x;
    private final DMatrixRMaj y;

    /**
     * @param x features, {@code (n[0], m)}. Not modified (copied).
     * @param y labels, {@code (n[L], m)}. Not modified (copied).
     * @throws IllegalArgumentException when the column counts differ, either is empty, or an entry
     *         is NaN or infinite
     */
    public Dataset(DMatrixRMaj x, DMatrixRMaj y) {
        this(x.copy(), y.copy(), true);
    }

    /**
     * A data set over the given matrices without copying them, for data too large to hold twice
     * (e.g. 60,000 images of 784 pixels are 376 MB as doubles). The caller hands them over: it must
     * not modify them afterwards. Validated like the constructor.
     *
     * @param x features, {@code (n[0], m)}; owned by the data set from now on
     * @param y labels, {@code (n[L], m)}; owned by the data set from now on
     */
    public static Dataset wrapping(DMatrixRMaj x, DMatrixRMaj y) {
        return new Dataset(x, y, true);
    }

    private Dataset(DMatrixRMaj x, DMatrixRMaj y, boolean validate) {
        if (validate) {
            Checks.requireNonEmpty("X", x);
            Checks.requireNonEmpty("Y", y);
            if (x.numCols != y.numCols) {
                throw new IllegalArgumentException("X has " + x.numCols + " columns (examples) but Y has " + y.numCols
                        + "; examples are columns, so X (n[0], m) and Y (n[L], m) need the same m");
            }
            Checks.requireFinite("X", x);
            Checks.requireFinite("Y", y);
        }
        this.x = x;
        this.y = y;
    }

    /** The number of examples {@code m}. */
    public int size() {
        return x.numCols;
    }

    /** The number of features {@code n[0]}. */
    public int inputSize() {
        return x.numRows;
    }

    /** The number of label rows {@code n[L]}. */
    public int outputSize() {
        return y.numRows;
    }

    /** A copy of the features {@code X}, {@code (n[0], m)}. */
    public DMatrixRMaj features() {
        return x.copy();
    }

    /** A copy of the labels {@code Y}, {@code (n[L], m)}. */
    public DMatrixRMaj labels() {
        return y.copy();
    }

    /** The examples {@code from} (inclusive) to {@code to} (exclusive), in order. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") of a data set of " + size()
                    + " examples; need 0 <= from < to <= " + size());
        }
        int[] order = new int[to - from];
        for (int k = 0; k < order.length; k++) {
            order[k] = from + k;
        }
        return select(order, 0, order.length);
    }

    /** The same examples in an order drawn from {@code random} (Fisher–Yates). */
    public Dataset shuffled(RandomGenerator random) {
        return select(permutation(size(), random), 0, size());
    }

    /** Consecutive batches of {@code batchSize} examples, the last one possibly smaller. */
    public List<Dataset> batches(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize=" + batchSize + "; it must be > 0");
        }
        List<Dataset> out = new ArrayList<>();
        for (int from = 0; from < size(); from += batchSize) {
            out.add(slice(from, Math.min(size(), from + batchSize)));
        }
        return out;
    }

    /** The identity permutation of {@code 0..n-1} shuffled in place by Fisher–Yates. */
    static int[] permutation(int n, RandomGenerator random) {
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        shuffle(order, random);
        return order;
    }

    static void shuffle(int[] order, RandomGenerator random) {
        for (int k = order.length - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int t = order[k];
            order[k] = order[j];
            order[j] = t;
        }
    }

    private Dataset select(int[] order, int from, int to) {
        DMatrixRMaj xs = new DMatrixRMaj(x.numRows, to - from);
        DMatrixRMaj ys = new DMatrixRMaj(y.numRows, to - from);
        gather(order, from, to, xs, ys);
        return new Dataset(xs, ys, false);
    }

    /**
     * Copies the examples {@code order[from..to)} into the columns of {@code xOut} and {@code yOut},
     * reshaping them without reallocating when their capacity allows: the trainer's batches.
     */
    void gather(int[] order, int from, int to, DMatrixRMaj xOut, DMatrixRMaj yOut) {
        int count = to - from;
        xOut.reshape(x.numRows, count);
        yOut.reshape(y.numRows, count);
        gatherColumns(x, order, from, count, xOut);
        gatherColumns(y, order, from, count, yOut);
    }

    private static void gatherColumns(DMatrixRMaj source, int[] order, int from, int count, DMatrixRMaj out) {
        int m = source.numCols;
        for (int i = 0; i < source.numRows; i++) {
            int sourceRow = i * m;
            int outRow = i * count;
            for (int j = 0; j < count; j++) {
                out.data[outRow + j] = source.data[sourceRow + order[from + j]];
            }
        }
    }

    /** The features without copying, for the library's own read-only use. */
    DMatrixRMaj x() {
        return x;
    }

    /** The labels without copying, for the library's own read-only use. */
    DMatrixRMaj y() {
        return y;
    }
}
