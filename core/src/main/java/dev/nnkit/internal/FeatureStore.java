package dev.nnkit.internal;

import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * How a {@link Dataset} holds its features {@code X} {@code (n, m)}: as doubles one example per
 * column (EJML's layout, what the network computes on), or compactly as floats or scaled unsigned
 * bytes one example after another (the layout of image files and of most float data). Every layout
 * is read the same way, by copying examples into the columns of a double matrix, so the compact
 * ones cost a quarter or an eighth of the memory and the training loop never sees the difference.
 *
 * <p>Immutable once built; views over a range of examples share the array.
 */
public abstract sealed class FeatureStore permits FeatureStore.DoubleColumns, FeatureStore.FloatRows, FeatureStore.ByteRows {

    /** Values per example, {@code n}. */
    public abstract int rows();

    /** Examples, {@code m}. */
    public abstract int examples();

    /**
     * Copies examples {@code order[from..from+count)} (or {@code from..from+count) when
     * {@code order} is null) into the columns of {@code out}, reshaped to {@code (rows, count)}
     * without reallocating when its capacity allows.
     */
    public abstract void gather(int[] order, int from, int count, DMatrixRMaj out);

    /**
     * {@link #gather} into a float matrix, for a float32 network's batch: each value is the
     * double one rounded to float (exact for float and byte rows of floats), without a double batch in between.
     */
    public abstract void gather(int[] order, int from, int count, FMatrixRMaj out);

    /**
     * The first value, as {@code example * rows() + row}, whose magnitude exceeds float32's range
     * ({@link Float#MAX_VALUE}), or -1: what a float32 network cannot read.
     */
    public abstract long firstBeyondFloat();

    /** A store of the examples {@code order[from..to)}, in that order, in the same layout (a copy). */
    public abstract FeatureStore select(int[] order, int from, int to);

    /** The consecutive examples {@code [from, to)}: a view when the layout allows, else a copy. */
    public abstract FeatureStore range(int from, int to);

    /** The layout and the bytes it holds, e.g. {@code float rows, 188.2 MB}. */
    public abstract String describe();

    /** All examples as a new {@code (n, m)} double matrix; the double layout returns its own matrix. */
    public DMatrixRMaj matrix() {
        DMatrixRMaj out = new DMatrixRMaj(rows(), examples());
        gather(null, 0, examples(), out);
        return out;
    }

    /** {@link #gather} for a row-major double matrix whose columns are the examples (features or labels). */
    public static void gatherColumns(DMatrixRMaj source, int[] order, int from, int count, DMatrixRMaj out) {
        out.reshape(source.numRows, count);
        int m = source.numCols;
        for (int i = 0; i < source.numRows; i++) {
            int sourceRow = i * m;
            int outRow = i * count;
            if (order == null) {
                System.arraycopy(source.data, sourceRow + from, out.data, outRow, count);
            } else {
                for (int j = 0; j < count; j++) {
                    out.data[outRow + j] = source.data[sourceRow + order[from + j]];
                }
            }
        }
    }

    /** {@link #gatherColumns(DMatrixRMaj, int[], int, int, DMatrixRMaj)} into a float matrix, each value rounded to float. */
    public static void gatherColumns(DMatrixRMaj source, int[] order, int from, int count, FMatrixRMaj out) {
        out.reshape(source.numRows, count);
        int m = source.numCols;
        for (int i = 0; i < source.numRows; i++) {
            int sourceRow = i * m;
            int outRow = i * count;
            for (int j = 0; j < count; j++) {
                out.data[outRow + j] = (float) source.data[sourceRow + (order == null ? from + j : order[from + j])];
            }
        }
    }

    /** {@code bytes} as a short text in MB, for {@link #describe()}. */
    public static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Examples are columns of a row-major double matrix, as the network computes on them. */
    public static final class DoubleColumns extends FeatureStore {
        private final DMatrixRMaj x;

        /** Reads the examples from the columns of {@code x}, {@code (n, m)}, which is kept (not copied). */
        public DoubleColumns(DMatrixRMaj x) {
            this.x = x;
        }

        @Override
        public int rows() {
            return x.numRows;
        }

        @Override
        public int examples() {
            return x.numCols;
        }

        @Override
        public void gather(int[] order, int from, int count, DMatrixRMaj out) {
            gatherColumns(x, order, from, count, out);
        }

        @Override
        public void gather(int[] order, int from, int count, FMatrixRMaj out) {
            gatherColumns(x, order, from, count, out);
        }

        @Override
        public long firstBeyondFloat() {
            long first = -1;
            for (int k = 0, n = x.getNumElements(); k < n; k++) {
                if (Math.abs(x.data[k]) > Float.MAX_VALUE) {
                    long at = (long) (k % x.numCols) * x.numRows + k / x.numCols;
                    first = first < 0 ? at : Math.min(first, at);
                }
            }
            return first;
        }

        @Override
        public FeatureStore select(int[] order, int from, int to) {
            DMatrixRMaj out = new DMatrixRMaj(x.numRows, to - from);
            gather(order, from, to - from, out);
            return new DoubleColumns(out);
        }

        @Override
        public FeatureStore range(int from, int to) {
            DMatrixRMaj out = new DMatrixRMaj(x.numRows, to - from);
            gather(null, from, to - from, out);
            return new DoubleColumns(out);
        }

        @Override
        public DMatrixRMaj matrix() {
            return x;
        }

        @Override
        public String describe() {
            return "double columns, " + megabytes(8L * x.getNumElements());
        }
    }

    /** Examples one after another as floats: {@code data[offset + e * n + i]} is value {@code i} of example {@code e}. */
    public static final class FloatRows extends FeatureStore {
        private final float[] data;
        private final int offset;
        private final int n;
        private final int m;

        /** {@code m} examples of {@code n} floats each, from {@code data[offset]} on; the array is kept, not copied. */
        public FloatRows(float[] data, int offset, int n, int m) {
            this.data = data;
            this.offset = offset;
            this.n = n;
            this.m = m;
        }

        @Override
        public int rows() {
            return n;
        }

        @Override
        public int examples() {
            return m;
        }

        @Override
        public void gather(int[] order, int from, int count, DMatrixRMaj out) {
            out.reshape(n, count);
            double[] o = out.data;
            // example by example: eight consecutive examples fill the same cache lines of the output rows
            for (int j = 0; j < count; j++) {
                int start = offset + (order == null ? from + j : order[from + j]) * n;
                for (int i = 0, outIndex = j; i < n; i++, outIndex += count) {
                    o[outIndex] = data[start + i];
                }
            }
        }

        @Override
        public void gather(int[] order, int from, int count, FMatrixRMaj out) {
            out.reshape(n, count);
            float[] o = out.data;
            for (int j = 0; j < count; j++) {
                int start = offset + (order == null ? from + j : order[from + j]) * n;
                for (int i = 0, outIndex = j; i < n; i++, outIndex += count) {
                    o[outIndex] = data[start + i];
                }
            }
        }

        @Override
        public long firstBeyondFloat() {
            return -1; // floats
        }

        @Override
        public FeatureStore select(int[] order, int from, int to) {
            float[] out = new float[(to - from) * n];
            for (int k = from; k < to; k++) {
                System.arraycopy(data, offset + order[k] * n, out, (k - from) * n, n);
            }
            return new FloatRows(out, 0, n, to - from);
        }

        @Override
        public FeatureStore range(int from, int to) {
            return new FloatRows(data, offset + from * n, n, to - from);
        }

        @Override
        public String describe() {
            return "float rows, " + megabytes(4L * n * m);
        }
    }

    /**
     * Examples one after another as unsigned bytes times a scale: value {@code i} of example
     * {@code e} is {@code (data[offset + e * n + i] & 0xff) * scale}, e.g. pixels times {@code 1/255}.
     */
    public static final class ByteRows extends FeatureStore {
        private final byte[] data;
        private final int offset;
        private final int n;
        private final int m;
        private final double scale;

        /** {@code m} examples of {@code n} unsigned bytes each, from {@code data[offset]} on, times {@code scale}; kept, not copied. */
        public ByteRows(byte[] data, int offset, int n, int m, double scale) {
            this.data = data;
            this.offset = offset;
            this.n = n;
            this.m = m;
            this.scale = scale;
        }

        @Override
        public int rows() {
            return n;
        }

        @Override
        public int examples() {
            return m;
        }

        @Override
        public void gather(int[] order, int from, int count, DMatrixRMaj out) {
            out.reshape(n, count);
            double[] o = out.data;
            for (int j = 0; j < count; j++) {
                int start = offset + (order == null ? from + j : order[from + j]) * n;
                for (int i = 0, outIndex = j; i < n; i++, outIndex += count) {
                    o[outIndex] = (data[start + i] & 0xff) * scale;
                }
            }
        }

        @Override
        public void gather(int[] order, int from, int count, FMatrixRMaj out) {
            out.reshape(n, count);
            float[] o = out.data;
            for (int j = 0; j < count; j++) {
                int start = offset + (order == null ? from + j : order[from + j]) * n;
                for (int i = 0, outIndex = j; i < n; i++, outIndex += count) {
                    o[outIndex] = (float) ((data[start + i] & 0xff) * scale);
                }
            }
        }

        @Override
        public long firstBeyondFloat() {
            if (Math.abs(255 * scale) <= Float.MAX_VALUE) {
                return -1;
            }
            for (long k = 0; k < (long) n * m; k++) {
                if (Math.abs((data[(int) (offset + k)] & 0xff) * scale) > Float.MAX_VALUE) {
                    return k;
                }
            }
            return -1;
        }

        @Override
        public FeatureStore select(int[] order, int from, int to) {
            byte[] out = new byte[(to - from) * n];
            for (int k = from; k < to; k++) {
                System.arraycopy(data, offset + order[k] * n, out, (k - from) * n, n);
            }
            return new ByteRows(out, 0, n, to - from, scale);
        }

        @Override
        public FeatureStore range(int from, int to) {
            return new ByteRows(data, offset + from * n, n, to - from, scale);
        }

        @Override
        public String describe() {
            return "unsigned byte rows x " + scale + ", " + megabytes((long) n * m);
        }
    }
}
