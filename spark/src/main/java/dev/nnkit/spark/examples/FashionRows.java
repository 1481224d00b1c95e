package dev.nnkit.spark.examples;

import dev.nnkit.io.formats.IdxReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ejml.data.DMatrixRMaj;

/**
 * Fashion-MNIST's training images as a Spark {@code Dataset<Row>} of {@code features} (784
 * pixels in [0, 1]) and {@code label} (0-9), read by the executors themselves: partition
 * {@code p} of {@code P} reads the IDX files with nnkit's {@link IdxReader} and keeps rows
 * {@code [p m / P, (p + 1) m / P)}, so the rows keep the file's order and no task carries the data
 * (a {@code parallelize}d list of rows would ride along, whole, in every task of every step). On a
 * cluster the files must be at the same path on every node; otherwise convert them to Parquet once.
 */
final class FashionRows {

    private FashionRows() {
    }

    static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("features", new VectorUDT(), false, Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty())
    });

    static Path file(Path dir, String name) {
        Path plain = dir.resolve(name);
        return Files.exists(plain) ? plain : dir.resolve(name + ".gz");
    }

    /** The first {@code limit} training images (0: all) in {@code partitions} partitions. */
    static Dataset<Row> frame(SparkSession spark, Path dir, int limit, int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String images = file(dir, "train-images-idx3-ubyte").toString();
        String labels = file(dir, "train-labels-idx1-ubyte").toString();
        List<Integer> slices = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
        JavaRDD<Row> rows = jsc.parallelize(slices, partitions)
                .mapPartitions(it -> slice(it, images, labels, limit, partitions), true);
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static Iterator<Row> slice(Iterator<Integer> it, String images, String labels, int limit, int partitions) {
        int p = it.next();
        try {
            IdxReader reader = IdxReader.defaults();
            DMatrixRMaj x = reader.features(Path.of(images), limit);
            DMatrixRMaj y = reader.labelRow(Path.of(labels), limit);
            int m = x.numCols;
            int from = (int) ((long) p * m / partitions);
            int to = (int) ((long) (p + 1) * m / partitions);
            List<Row> out = new ArrayList<>(to - from);
            for (int e = from; e < to; e++) {
                double[] v = new double[x.numRows];
                for (int i = 0; i < v.length; i++) {
                    v[i] = x.data[i * m + e];
                }
                out.add(RowFactory.create(Vectors.dense(v), y.data[e]));
            }
            return out.iterator();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + images + " failed: " + e.getMessage(), e);
        }
    }
}
