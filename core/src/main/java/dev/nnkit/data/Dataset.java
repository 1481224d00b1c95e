package dev.nnkit.data;

import dev.nnkit.Network;
import dev.nnkit.internal.Access;
import dev.nnkit.internal.Checks;
import dev.nnkit.internal.FeatureStore;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * A labelled data set with one example per column (MATH §1): features {@code X} of shape
 * {@code (n[0], m)} and labels {@code Y} of shape {@code (n[L], m)}.
 *
 * <p>Immutable: the constructor copies its arguments, the {@code wrapping} and {@code of...Rows}
 * factories take them over without a copy, and the accessors return copies. Every entry must be
 * finite; at least one example is required.
 *
 * <p><b>Compact features.</b> Training and evaluation only ever read a batch of examples at a
 * time, copied into reused double buffers, so the features can be held in less memory than
 * doubles: {@link #ofFloatRows} keeps floats (half the bytes, exact for data that is float to
 * begin with) and {@link #ofUnsignedByteRows} keeps one byte per value (an eighth, exact for
 * 8-bit pixels times a scale). 60,000 images of 784 pixels take 376 MB as doubles, 188 MB as
 * floats and 47 MB as bytes. {@link #features()} and full-batch training build the whole double
 * matrix; mini-batch training, {@link Network#cost} and {@link Network#accuracy} never do.
 */
public final class Dataset {

    static {
        Access.setData(new Access.Data() {
            @Override
            public Dataset of(FeatureStore x, DMatrixRMaj y) {
                return Dataset.of(x, y);
            }

            @Override
            public void shuffle(int[] order, RandomGenerator random) {
                Dataset.shuffle(order, random);
            }

            @Override
            public void gather(Dataset data, int[] order, int from, int to, DMatrixRMaj xOut, DMatrixRMaj yOut) {
                data.gather(order, from, to, xOut, yOut);
            }

            @Override
            public void gather(Dataset data, int[] order, int from, int to, FMatrixRMaj xOut, FMatrixRMaj yOut) {
                data.gather(order, from, to, xOut, yOut);
            }

            @Override
            public FeatureStore features(Dataset data) {
                return data.x;
            }

            @Override
            public DMatrixRMaj x(Dataset data) {
                return data.x();
            }

            @Override
            public DMatrixRMaj y(Dataset data) {
                return data.y();
            }
        });
    }

    private final FeatureStore x;
    private final DMatrixRMaj y;

    /**
     * @param x features, {@code (n[0], m)}. Not modified (copied).
     * @param y labels, {@code (n[L], m)}. Not modified (copied).
     * @throws IllegalArgumentException when the column counts differ, either is empty, or an entry
     *         is NaN or infinite
     */
    public Dataset(DMatrixRMaj x, DMatrixRMaj y) {
        this(checkedColumns(x.copy()), checkedLabels(y.copy(), x.numCols));
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
        return of(checkedColumns(x), y);
    }

    /**
     * A data set whose features are kept as floats, example after example: value {@code i} of
     * example {@code e} is {@code rows[e * inputSize + i]} (an {@code (m, n[0])} row-major array,
     * the layout of most float data), read as {@code X[i][e]}, widened exactly to double.
     *
     * @param rows      the features of {@code m = rows.length / inputSize} examples; owned by the
     *                  data set from now on (not copied), so the caller must not modify it
     * @param inputSize values per example {@code n[0]}, {@code > 0}
     * @param y         labels {@code (n[L], m)}; copied
     * @throws IllegalArgumentException when {@code rows.length} is not a positive multiple of
     *         {@code inputSize}, the label columns differ from {@code m}, or a value is NaN or
     *         infinite
     */
    public static Dataset ofFloatRows(float[] rows, int inputSize, DMatrixRMaj y) {
        int m = examplesIn(rows.length, inputSize, "float");
        for (int k = 0; k < rows.length; k++) {
            if (!Float.isFinite(rows[k])) {
                throw new IllegalArgumentException("the features contain " + rows[k] + " at value " + (k % inputSize)
                        + " of example " + (k / inputSize) + "; every entry must be a finite number");
            }
        }
        return of(new FeatureStore.FloatRows(rows, 0, inputSize, m), y.copy());
    }

    /**
     * A data set whose features are kept as unsigned bytes, example after example: value
     * {@code i} of example {@code e} is {@code (rows[e * inputSize + i] & 0xff) * scale}, e.g.
     * 8-bit pixels with {@code scale = 1.0 / 255} land in {@code [0, 1]}. One byte per value.
     *
     * @param rows      the features of {@code m = rows.length / inputSize} examples; owned by the
     *                  data set from now on (not copied), so the caller must not modify it
     * @param inputSize values per example {@code n[0]}, {@code > 0}
     * @param scale     the factor applied to every byte, {@code > 0} with {@code 255 * scale} finite
     * @param y         labels {@code (n[L], m)}; copied
     * @throws IllegalArgumentException when {@code rows.length} is not a positive multiple of
     *         {@code inputSize}, the label columns differ from {@code m}, or the scale is not
     *         positive or would make {@code 255 * scale} infinite
     */
    public static Dataset ofUnsignedByteRows(byte[] rows, int inputSize, double scale, DMatrixRMaj y) {
        int m = examplesIn(rows.length, inputSize, "byte");
        if (!(scale > 0 && Double.isFinite(255 * scale))) {
            throw new IllegalArgumentException("scale=" + scale + "; it must be a positive number with 255 * scale finite"
                    + " (e.g. 1.0 / 255 for pixels)");
        }
        return of(new FeatureStore.ByteRows(rows, 0, inputSize, m, scale), y.copy());
    }

    private static int examplesIn(int length, int inputSize, String kind) {
        if (inputSize <= 0) {
            throw new IllegalArgumentException("inputSize=" + inputSize + "; it must be > 0 (values per example)");
        }
        if (length == 0 || length % inputSize != 0) {
            throw new IllegalArgumentException("the " + kind + " array has " + length + " values, not a positive multiple of "
                    + "inputSize=" + inputSize + "; it must hold m whole examples of inputSize values each");
        }
        return length / inputSize;
    }

    private static FeatureStore checkedColumns(DMatrixRMaj x) {
        Checks.requireNonEmpty("X", x);
        Checks.requireFinite("X", x);
        return new FeatureStore.DoubleColumns(x);
    }

    /**
     * A data set over features already validated (by a public factory, or by the reader that
     * decoded them); the labels are checked here.
     */
    static Dataset of(FeatureStore x, DMatrixRMaj y) {
        return new Dataset(x, checkedLabels(y, x.examples()));
    }

    private static DMatrixRMaj checkedLabels(DMatrixRMaj y, int m) {
        Checks.requireNonEmpty("Y", y);
        if (m != y.numCols) {
            throw new IllegalArgumentException("X has " + m + " columns (examples) but Y has " + y.numCols
                    + "; examples are columns, so X (n[0], m) and Y (n[L], m) need the same m");
        }
        Checks.requireFinite("Y", y);
        return y;
    }

    private Dataset(FeatureStore x, DMatrixRMaj y) {
        this.x = x;
        this.y = y;
    }

    /** The number of examples {@code m}. */
    public int size() {
        return x.examples();
    }

    /** The number of features {@code n[0]}. */
    public int inputSize() {
        return x.rows();
    }

    /** The number of label rows {@code n[L]}. */
    public int outputSize() {
        return y.numRows;
    }

    /** A copy of the features {@code X}, {@code (n[0], m)}, as doubles whatever the storage. */
    public DMatrixRMaj features() {
        DMatrixRMaj out = new DMatrixRMaj(x.rows(), x.examples());
        x.gather(null, 0, x.examples(), out);
        return out;
    }

    /** A copy of the labels {@code Y}, {@code (n[L], m)}. */
    public DMatrixRMaj labels() {
        return y.copy();
    }

    /**
     * The examples {@code from} (inclusive) to {@code to} (exclusive), in order. With compact
     * features it shares their array (no copy), so the slice keeps the whole array in memory.
     */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") of a data set of " + size()
                    + " examples; need 0 <= from < to <= " + size());
        }
        return new Dataset(x.range(from, to), labelColumns(null, from, to));
    }

    /** The same examples in an order drawn from {@code random} (Fisher–Yates). */
    public Dataset shuffled(RandomGenerator random) {
        int[] order = permutation(size(), random);
        return new Dataset(x.select(order, 0, order.length), labelColumns(order, 0, order.length));
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

    /** {@code m}, {@code n[0]}, {@code n[L]} and how the features are stored, e.g. {@code Dataset[m=60000, n[0]=784 (float rows, 188.2 MB), n[L]=10]}. */
    @Override
    public String toString() {
        return "Dataset[m=" + size() + ", n[0]=" + inputSize() + " (" + x.describe() + "), n[L]=" + outputSize() + "]";
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

    private DMatrixRMaj labelColumns(int[] order, int from, int to) {
        DMatrixRMaj out = new DMatrixRMaj(y.numRows, to - from);
        FeatureStore.gatherColumns(y, order, from, to - from, out);
        return out;
    }

    /**
     * Copies the examples {@code order[from..to)} (or {@code from..to)} when {@code order} is
     * null) into the columns of {@code xOut} and {@code yOut}, reshaping them without reallocating
     * when their capacity allows: the trainer's batches and the chunks of evaluation.
     */
    void gather(int[] order, int from, int to, DMatrixRMaj xOut, DMatrixRMaj yOut) {
        x.gather(order, from, to - from, xOut);
        FeatureStore.gatherColumns(y, order, from, to - from, yOut);
    }

    /** {@link #gather(int[], int, int, DMatrixRMaj, DMatrixRMaj)} into float batches, each value rounded to float. */
    void gather(int[] order, int from, int to, FMatrixRMaj xOut, FMatrixRMaj yOut) {
        x.gather(order, from, to - from, xOut);
        FeatureStore.gatherColumns(y, order, from, to - from, yOut);
    }

    /**
     * The features as a double matrix for the library's own read-only use: the stored matrix
     * itself for double features, a new one (the whole data set) for compact ones.
     */
    DMatrixRMaj x() {
        return x.matrix();
    }

    /** The labels without copying, for the library's own read-only use. */
    DMatrixRMaj y() {
        return y;
    }
}
