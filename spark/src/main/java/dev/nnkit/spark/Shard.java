package dev.nnkit.spark;

import dev.nnkit.data.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ejml.data.DMatrixRMaj;

/**
 * The examples of one Spark partition in nnkit's layout, kept cached on the executor that holds
 * the partition for the whole run: features {@code X (n[0], rows)} and labels {@code Y (n[L], rows)},
 * both row-major double arrays, examples as columns (MATH §1), in the partition's row order.
 * What Spark caches, ships and collects is {@link #toRow()}, a row of JDK values (numbers, the two
 * arrays, the problem text); a {@code Shard} is only a view over such a row, made where it is used
 * ({@link #of(Row)}), so no nnkit type is ever serialized. The nnkit {@link Dataset} over the
 * arrays is made on the executor and never leaves it.
 */
final class Shard {

    final int partition;
    final int rows;
    final int inputSize;
    final int outputSize;
    /** {@code X[i][e] = x[i * rows + e]}. */
    final double[] x;
    /** {@code Y[k][e] = y[k * rows + e]}. */
    final double[] y;
    /** The first bad row's problem, or null: a shard with a problem holds no examples. */
    final String problem;
    /** The position of the bad row in the partition, or -1. */
    final int badRow;
    private Dataset dataset;

    Shard(int partition, int rows, int inputSize, int outputSize, double[] x, double[] y) {
        this(partition, rows, inputSize, outputSize, x, y, null, -1);
    }

    /** A partition refused at its row {@code badRow} for {@code problem}. */
    static Shard refused(int partition, int inputSize, int outputSize, int badRow, String problem) {
        return new Shard(partition, 0, inputSize, outputSize, new double[0], new double[0], problem, badRow);
    }

    private Shard(int partition, int rows, int inputSize, int outputSize, double[] x, double[] y, String problem, int badRow) {
        this.problem = problem;
        this.badRow = badRow;
        this.partition = partition;
        this.rows = rows;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.x = x;
        this.y = y;
    }

    /** This shard as a row: partition, rows, inputSize, outputSize, x, y, problem, badRow. */
    Row toRow() {
        return RowFactory.create(partition, rows, inputSize, outputSize, x, y, problem, badRow);
    }

    /** The shard a row of {@link #toRow()} holds; shares its arrays. */
    static Shard of(Row row) {
        return new Shard(row.getInt(0), row.getInt(1), row.getInt(2), row.getInt(3), (double[]) row.get(4),
                (double[]) row.get(5), (String) row.get(6), row.getInt(7));
    }

    /** The whole shard as a data set (made once per view, sharing the arrays); {@code rows > 0}. */
    Dataset dataset() {
        if (dataset == null) {
            dataset = Dataset.wrapping(DMatrixRMaj.wrap(inputSize, rows, x), DMatrixRMaj.wrap(outputSize, rows, y));
        }
        return dataset;
    }

    /** The examples {@code [from, to)} of this shard, {@code 0 <= from < to <= rows}. */
    Dataset range(int from, int to) {
        return from == 0 && to == rows ? dataset() : dataset().slice(from, to);
    }

    /** {@code count} examples starting at {@code start}, wrapping around the end of the shard. */
    Dataset cyclic(long start, int count) {
        DMatrixRMaj xs = new DMatrixRMaj(inputSize, count);
        DMatrixRMaj ys = new DMatrixRMaj(outputSize, count);
        for (int c = 0; c < count; c++) {
            int e = (int) ((start + c) % rows);
            for (int i = 0; i < inputSize; i++) {
                xs.data[i * count + c] = x[i * rows + e];
            }
            for (int k = 0; k < outputSize; k++) {
                ys.data[k * count + c] = y[k * rows + e];
            }
        }
        return Dataset.wrapping(xs, ys);
    }
}
