package dev.nnkit.spark;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a features column ({@code ml.linalg.Vector} of {@code n[0]} values) and a label column
 * (a class index, or a {@code Vector} of {@code n[L]} targets) into {@link Shard}s, one per
 * partition, and checks every row on the way. A bad value does not throw on the executor: each
 * partition reports its first problem and its row count, and the driver refuses the data set
 * before the first step with a message naming the column and the row.
 *
 * <p>Labels: with a numeric label column and {@code n[L] > 1} outputs, the label is a class
 * index, an integer in {@code [0, n[L])}, made one-hot; with one output it is the target itself,
 * 0 or 1 when {@code binary} (a binary cross-entropy loss), any finite number otherwise. A vector
 * label column gives the {@code n[L]} targets of each row directly.
 */
final class Columns {

    final String features;
    final String label;
    final int inputSize;
    final int outputSize;
    final boolean binary;
    private boolean vectorLabel;

    Columns(String features, String label, int inputSize, int outputSize, boolean binary) {
        this.features = features;
        this.label = label;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.binary = binary;
    }

    /** The checked data: one cached row per partition ({@link Shard#toRow()}), and the row count of every partition in order. */
    record Prepared(JavaRDD<Row> shards, int[] rows, long total) {
    }

    /**
     * Checks the schema, then every row, and caches the shards.
     *
     * @throws IllegalArgumentException naming the column (and the row) when the data does not fit the network
     */
    Prepared prepare(Dataset<Row> data) {
        checkSchema(data.schema());
        // the task captures these values only: the reader is made on the executor
        String featuresColumn = features;
        String labelColumn = label;
        int n0 = inputSize;
        int nl = outputSize;
        boolean binaryLabels = binary;
        boolean vectorLabels = vectorLabel;
        JavaRDD<Row> shards = data.select(features, label).javaRDD()
                .mapPartitionsWithIndex((partition, in) -> new RowReader(featuresColumn, labelColumn, n0, nl, binaryLabels,
                        vectorLabels).read(partition, in), true)
                .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()); // spills rather than re-reads when memory is short
        // per partition: rows, first bad row, its problem
        List<Row> reports = shards.map(r -> {
            Shard s = Shard.of(r);
            return RowFactory.create(s.rows, s.badRow, s.problem);
        }).collect();
        int[] rows = new int[reports.size()];
        long total = 0;
        for (int p = 0; p < reports.size(); p++) {
            Row r = reports.get(p);
            if (!r.isNullAt(2)) {
                shards.unpersist(false);
                throw new IllegalArgumentException(r.getString(2) + " at row " + (total + r.getInt(1)) + " of the data set (row "
                        + r.getInt(1) + " of partition " + p + "); every row needs a '" + features + "' vector of "
                        + inputSize + " finite values and a valid '" + label + "'");
            }
            rows[p] = r.getInt(0);
            total += r.getInt(0);
        }
        if (total == 0) {
            shards.unpersist(false);
            throw new IllegalArgumentException("the data set has no rows; training needs at least one example");
        }
        return new Prepared(shards, rows, total);
    }

    void checkSchema(StructType schema) {
        List<String> names = Arrays.asList(schema.fieldNames());
        StructField f = field(schema, features, names, "features");
        if (!(f.dataType() instanceof VectorUDT)) {
            throw new IllegalArgumentException("features column '" + features + "' has type " + f.dataType().simpleString()
                    + "; it must be an ml.linalg Vector (assemble numeric columns with VectorAssembler)");
        }
        StructField l = field(schema, label, names, "label");
        DataType t = l.dataType();
        if (t instanceof VectorUDT) {
            vectorLabel = true;
        } else if (t instanceof NumericType) {
            vectorLabel = false;
        } else {
            throw new IllegalArgumentException("label column '" + label + "' has type " + t.simpleString()
                    + "; it must be numeric (a class index) or an ml.linalg Vector of " + outputSize + " targets");
        }
    }

    private static StructField field(StructType schema, String name, List<String> names, String role) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException(role + " column '" + name + "' is missing; the data set has columns " + names);
        }
        return schema.apply(name);
    }

    /** Reads the rows of one partition on the executor that holds it. */
    private static final class RowReader {
        private final String features;
        private final String label;
        private final int inputSize;
        private final int outputSize;
        private final boolean binary;
        private final boolean vectorLabel;

        RowReader(String features, String label, int inputSize, int outputSize, boolean binary, boolean vectorLabel) {
            this.features = features;
            this.label = label;
            this.inputSize = inputSize;
            this.outputSize = outputSize;
            this.binary = binary;
            this.vectorLabel = vectorLabel;
        }

        /** One partition into one shard, as a row; a bad row gives a refused shard with its position and the problem as text. */
        Iterator<Row> read(Integer partition, Iterator<Row> in) {
            DoubleList xs = new DoubleList(inputSize * 64);
            DoubleList ys = new DoubleList(outputSize * 64);
            double[] target = new double[outputSize];
            int row = 0;
            while (in.hasNext()) {
                Row r = in.next();
                String problem = readRow(r, xs, ys, target);
                if (problem != null) {
                    return Collections.singletonList(Shard.refused(partition, inputSize, outputSize, row, problem).toRow()).iterator();
                }
                row++;
            }
            int m = row;
            double[] x = new double[inputSize * m];
            double[] y = new double[outputSize * m];
            double[] xr = xs.values;
            double[] yr = ys.values;
            for (int e = 0; e < m; e++) { // example-major as read, to nnkit's examples-as-columns
                for (int i = 0; i < inputSize; i++) {
                    x[i * m + e] = xr[e * inputSize + i];
                }
                for (int k = 0; k < outputSize; k++) {
                    y[k * m + e] = yr[e * outputSize + k];
                }
            }
            return Collections.singletonList(new Shard(partition, m, inputSize, outputSize, x, y).toRow()).iterator();
        }

        private String readRow(Row r, DoubleList xs, DoubleList ys, double[] target) {
            if (r.isNullAt(0)) {
                return "features column '" + features + "' is null";
            }
            Vector v = (Vector) r.get(0);
            if (v.size() != inputSize) {
                return "features column '" + features + "' has a vector of " + v.size() + " values where the network's input size n[0] is "
                        + inputSize;
            }
            double[] values = v.toArray();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    return "features column '" + features + "' has " + values[i] + " at index " + i;
                }
            }
            if (r.isNullAt(1)) {
                return "label column '" + label + "' is null";
            }
            if (vectorLabel) {
                Vector t = (Vector) r.get(1);
                if (t.size() != outputSize) {
                    return "label column '" + label + "' has a vector of " + t.size() + " values where the network's output size n[L] is "
                            + outputSize;
                }
                double[] tv = t.toArray();
                for (int k = 0; k < tv.length; k++) {
                    if (!Double.isFinite(tv[k])) {
                        return "label column '" + label + "' has " + tv[k] + " at index " + k;
                    }
                    target[k] = tv[k];
                }
            } else {
                double c = ((Number) r.get(1)).doubleValue();
                if (!Double.isFinite(c)) {
                    return "label column '" + label + "' is " + c;
                }
                if (outputSize == 1) {
                    if (binary && c != 0 && c != 1) {
                        return "label column '" + label + "' is " + fmt(c) + "; a network with one sigmoid output and binary cross-entropy "
                                + "takes labels 0 or 1";
                    }
                    target[0] = c;
                } else {
                    if (c != Math.rint(c) || c < 0 || c >= outputSize) {
                        return "label column '" + label + "' is " + fmt(c) + "; the network has " + outputSize
                                + " classes, so a label must be an integer in [0, " + (outputSize - 1) + "]";
                    }
                    Arrays.fill(target, 0);
                    target[(int) c] = 1;
                }
            }
            xs.addAll(values);
            ys.addAll(target);
            return null;
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    /** A growable array of doubles. */
    private static final class DoubleList {
        double[] values;
        int size;

        DoubleList(int capacity) {
            values = new double[Math.max(16, capacity)];
        }

        void addAll(double[] more) {
            if (size + more.length > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, values, size, more.length);
            size += more.length;
        }
    }
}
