package dev.nnkit.spark;

import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ejml.data.DMatrixRMaj;

/**
 * One local Spark session for every test of the module: 2 worker threads, and up to 4 attempts
 * per task ({@code local[2,4]}) so that an injected task failure is retried as on a cluster.
 */
final class SparkFixture {

    private static SparkSession session;

    private SparkFixture() {
    }

    static synchronized SparkSession spark() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,4]")
                    .appName("nnkit-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            session.sparkContext().setLogLevel("ERROR");
        }
        return session;
    }

    static JavaSparkContext jsc() {
        return JavaSparkContext.fromSparkContext(spark().sparkContext());
    }

    static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("features", new VectorUDT(), false, Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty())
    });

    /** Three Gaussian blobs in {@code inputs} dimensions, labels 0..2, from a seeded generator. */
    static List<Row> blobs(int m, int inputs, long seed) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int e = 0; e < m; e++) {
            int c = r.nextInt(3);
            double[] v = new double[inputs];
            for (int i = 0; i < inputs; i++) {
                v[i] = (i % 3 == c ? 1.5 : -0.5) + 0.8 * r.nextGaussian();
            }
            rows.add(RowFactory.create(Vectors.dense(v), (double) c));
        }
        return rows;
    }

    /** The rows in {@code partitions} contiguous slices, in order. */
    static org.apache.spark.sql.Dataset<Row> frame(List<Row> rows, int partitions) {
        return spark().createDataFrame(jsc().parallelize(rows, partitions), SCHEMA);
    }

    /** The same rows as an nnkit data set (one-hot labels of {@code classes}), for single-machine training. */
    static Dataset local(List<Row> rows, int classes) {
        int m = rows.size();
        int n = ((org.apache.spark.ml.linalg.Vector) rows.get(0).get(0)).size();
        DMatrixRMaj x = new DMatrixRMaj(n, m);
        DMatrixRMaj y = new DMatrixRMaj(classes, m);
        for (int e = 0; e < m; e++) {
            double[] v = ((org.apache.spark.ml.linalg.Vector) rows.get(e).get(0)).toArray();
            for (int i = 0; i < n; i++) {
                x.set(i, e, v[i]);
            }
            y.set((int) rows.get(e).getDouble(1), e, 1.0);
        }
        return new Dataset(x, y);
    }

    /** A 5-8(tanh)-3(softmax) network with L2, the test networks' shape. */
    static NetworkConfig mlp(int inputs) {
        return Network.builder(inputs)
                .dense(8, "tanh")
                .dense(3, "softmax")
                .initializer("xavier_normal")
                .regularizers("l2(lambda=0.3)")
                .loss("softmax_cross_entropy")
                .seed(7)
                .config();
    }
}
