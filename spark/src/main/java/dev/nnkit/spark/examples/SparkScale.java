package dev.nnkit.spark.examples;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.io.formats.IdxReader;
import dev.nnkit.spark.SparkTrainer;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures what the scale-out cost model needs, in one run, and prints the model's table:
 * <ol>
 *   <li>the per-step overhead of a Spark round trip (broadcast, one task per partition, the
 *       fixed-order tree sum, the driver's update) on {@code local[1]} and {@code local[2]}, with a
 *       network so small that compute is nil: the median step time;</li>
 *   <li>the median step time of the Fashion-MNIST MLP (784-128-10) on mini-batches of 1,000 on
 *       one thread (nnkit's trainer), {@code local[1]} and {@code local[2]}: throughput and the
 *       local[2]/local[1] ratio;</li>
 *   <li>the single-thread step time of a wider network (784-1024-1024-10) on the same batches;</li>
 *   <li>the predicted throughput on 2 to 64 executors of one core each:
 *       {@code step(P) = compute / P + overhead + 8 n * 2 * log2(P) / bandwidth}.</li>
 * </ol>
 * Medians over the steps after the first two (warm-up). Run with {@code MAIN=dev.nnkit.spark.examples.SparkScale
 * spark/run-example.sh [--limit 12000] [--bandwidth 1.25e9]}.
 */
public final class SparkScale {

    /** The example's output: one line per result, on standard output through the example's logging configuration. */
    private static final Logger LOG = LoggerFactory.getLogger(SparkScale.class);

    private SparkScale() {
    }

    /** Runs the measurements and prints them with the model's predictions. */
    public static void main(String[] args) throws IOException {
        int limit = args.length >= 2 && args[0].equals("--limit") ? Integer.parseInt(args[1]) : 12_000;
        double bandwidth = 1.25e9; // bytes per second: 10 Gbit/s Ethernet
        for (int k = 0; k + 1 < args.length; k += 2) {
            if (args[k].equals("--bandwidth")) {
                bandwidth = Double.parseDouble(args[k + 1]);
            }
        }
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        IdxReader reader = IdxReader.defaults();
        DMatrixRMaj x = reader.features(FashionRows.file(dir, "train-images-idx3-ubyte"), limit);
        DMatrixRMaj labels = reader.labelRow(FashionRows.file(dir, "train-labels-idx1-ubyte"), limit);
        int batch = 1000;
        NetworkConfig mlp = Network.builder(784).dense(128, "relu").dense(10, "softmax").initializer("he_normal")
                .loss("softmax_cross_entropy").seed(1).config();
        NetworkConfig wide = Network.builder(784).dense(1024, "relu").dense(1024, "relu").dense(10, "softmax")
                .initializer("he_normal").loss("softmax_cross_entropy").seed(1).config();
        Hyperparameters hp = new Hyperparameters("sgd(learning_rate=0.1)", 2, batch, 1, false);

        double mlpSingle = singleThreadStep(mlp, x, labels, hp);
        double wideSingle = singleThreadStep(wide, x, labels, hp.withEpochs(1));
        LOG.info(String.format(Locale.ROOT, "single thread, batch %d: MLP %.1f ms/step (%.0f examples/s); wide %.1f ms/step",
                batch, 1000 * mlpSingle, batch / mlpSingle, 1000 * wideSingle));

        double[] overhead = new double[3];
        double[] mlpStep = new double[3];
        for (int cores = 1; cores <= 2; cores++) {
            SparkSession spark = SparkSession.builder().master("local[" + cores + "]").appName("nnkit scale")
                    .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            NetworkConfig tiny = Network.builder(4).dense(2, "tanh").dense(2, "softmax").loss("softmax_cross_entropy")
                    .seed(1).config();
            List<Row> few = new ArrayList<>();
            for (int e = 0; e < 16; e++) {
                few.add(RowFactory.create(Vectors.dense(e % 3, e % 5, e % 7, 1), (double) (e % 2)));
            }
            SparkTrainer.Result t = SparkTrainer.builder(tiny, new Hyperparameters("sgd(learning_rate=0.1)", 42, 0, 1, false))
                    .build().fit(frame(spark, jsc, few, cores));
            overhead[cores] = median(t.stepSeconds());
            SparkTrainer.Result r = SparkTrainer.builder(mlp, hp).build().fit(FashionRows.frame(spark, dir, limit, cores));
            mlpStep[cores] = median(r.stepSeconds());
            LOG.info(String.format(Locale.ROOT, "local[%d]: round trip %.1f ms/step (tiny network); MLP %.1f ms/step, %.0f examples/s",
                    cores, 1000 * overhead[cores], 1000 * mlpStep[cores], batch / mlpStep[cores]));
            spark.stop();
        }
        LOG.info(String.format(Locale.ROOT, "local[2] / local[1] MLP throughput: %.2fx; Spark local[1] / single thread step time: %.2fx",
                mlpStep[1] / mlpStep[2], mlpStep[1] / mlpSingle));

        int nMlp = Network.fromConfig(mlp, PluginRegistry.defaults()).parameters().stream()
                .mapToInt(p -> p.value().getNumElements()).sum();
        int nWide = Network.fromConfig(wide, PluginRegistry.defaults()).parameters().stream()
                .mapToInt(p -> p.value().getNumElements()).sum();
        LOG.info("");
        LOG.info(String.format(Locale.ROOT, "model: step(P) = compute/P + overhead %.0f ms + 8 n * 2 * log2(P) / %.2g B/s",
                1000 * overhead[2], bandwidth));
        LOG.info(String.format(Locale.ROOT, "%-9s | %-40s | %-40s", "executors", "MLP, n = " + nMlp + " (examples/s, efficiency)",
                "wide, n = " + nWide + " (examples/s, efficiency)"));
        for (int big : new int[] {batch, 10 * batch}) {
            LOG.info(String.format(Locale.ROOT, "batch %d (compute scaled linearly from the measured batch of %d)", big, batch));
            double scale = (double) big / batch;
            for (int p = 2; p <= 64; p *= 2) {
                LOG.info(String.format(Locale.ROOT, "%9d | %-40s | %-40s", p,
                        predict(scale * mlpSingle, nMlp, p, overhead[2], bandwidth, big),
                        predict(scale * wideSingle, nWide, p, overhead[2], bandwidth, big)));
            }
        }
    }

    private static String predict(double compute, int n, int p, double overhead, double bandwidth, int batch) {
        double moved = 8.0 * n * 2 * (Math.log(p) / Math.log(2)) / bandwidth;
        double step = compute / p + overhead + moved;
        double efficiency = compute / (p * step);
        return String.format(Locale.ROOT, "%9.0f  %5.1f%%  (%.0f ms compute, %.0f ms moving)", batch / step, 100 * efficiency,
                1000 * compute / p, 1000 * (overhead + moved));
    }

    private static double singleThreadStep(NetworkConfig config, DMatrixRMaj x, DMatrixRMaj labels, Hyperparameters hp) {
        Network network = Network.fromConfig(config, PluginRegistry.defaults());
        DMatrixRMaj y = new DMatrixRMaj(10, x.numCols);
        for (int e = 0; e < x.numCols; e++) {
            y.set((int) labels.data[e], e, 1.0);
        }
        List<Double> times = new ArrayList<>();
        long[] last = {System.nanoTime()};
        new Trainer(hp).listener(new TrainingListener() {
            @Override
            public void onStep(TrainingContext context) {
                long now = System.nanoTime();
                times.add((now - last[0]) / 1e9);
                last[0] = now;
            }
        }).fit(network, Dataset.wrapping(x.copy(), y));
        return median(times.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] values) {
        double[] v = values.length > 4 ? Arrays.copyOfRange(values, 2, values.length) : values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, JavaSparkContext jsc, List<Row> rows, int slices) {
        StructType schema = new StructType(new StructField[] {
            new StructField("features", new VectorUDT(), false, Metadata.empty()),
            new StructField("label", DataTypes.DoubleType, false, Metadata.empty())
        });
        return spark.createDataFrame(jsc.parallelize(rows, slices), schema);
    }
}
