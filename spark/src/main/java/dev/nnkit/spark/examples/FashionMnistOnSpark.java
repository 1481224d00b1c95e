package dev.nnkit.spark.examples;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.io.formats.IdxReader;
import dev.nnkit.spark.SparkTrainer;
import dev.nnkit.training.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ejml.data.DMatrixRMaj;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a 784-128(relu)-10(softmax) network on Fashion-MNIST data-parallel on Spark (synchronous
 * gradient aggregation, mini-batches in row order), then the same network, settings and rows on
 * one thread with nnkit's own trainer, and prints both runs' throughput (examples per second of
 * training), test accuracy and the largest parameter difference.
 *
 * <pre>
 * spark/run-example.sh [--master local[*]] [--partitions 2] [--epochs 3] [--batch 1000]
 *                      [--limit 0] [--data /usr/share/datasets/fashion-mnist] [--single true]
 *                      [--averaging k]
 * </pre>
 * The executors read their slices of the IDX files (plain or gzip) with nnkit's {@link IdxReader}
 * into a {@code Dataset<Row>} of {@code features} vectors and {@code label} indices
 * ({@link FashionRows}); the driver reads them too, for the single-machine run and the test set.
 * {@code --averaging k} trains with parameter averaging every {@code k} local steps instead (the
 * batch is then per partition; the parameter difference is then not round-off).
 * Under {@code spark-submit} the master comes from the submit command and {@code --master} is
 * ignored.
 */
public final class FashionMnistOnSpark {

    /** The example's output: one line per result, on standard output through the example's logging configuration. */
    private static final Logger LOG = LoggerFactory.getLogger(FashionMnistOnSpark.class);

    private FashionMnistOnSpark() {
    }

    /** Runs the comparison; options as in the class description. */
    public static void main(String[] args) throws IOException {
        Map<String, String> o = options(args);
        Path data = Path.of(o.getOrDefault("data", "/usr/share/datasets/fashion-mnist"));
        int epochs = Integer.parseInt(o.getOrDefault("epochs", "3"));
        int batch = Integer.parseInt(o.getOrDefault("batch", "1000"));
        int limit = Integer.parseInt(o.getOrDefault("limit", "0"));
        boolean single = Boolean.parseBoolean(o.getOrDefault("single", "true"));

        SparkConf conf = new SparkConf().setAppName("nnkit Fashion-MNIST");
        if (!conf.contains("spark.master")) {
            conf.setMaster(o.getOrDefault("master", "local[*]"));
        }
        if (conf.get("spark.master").startsWith("local")) { // a local run stays on the loopback interface
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = Integer.parseInt(o.getOrDefault("partitions", Integer.toString(jsc.defaultParallelism())));

        IdxReader reader = IdxReader.defaults();
        DMatrixRMaj x = reader.features(FashionRows.file(data, "train-images-idx3-ubyte"), limit);
        DMatrixRMaj labels = reader.labelRow(FashionRows.file(data, "train-labels-idx1-ubyte"), limit);
        Dataset test = reader.dataset(FashionRows.file(data, "t10k-images-idx3-ubyte"), FashionRows.file(data, "t10k-labels-idx1-ubyte"), 10,
                limit == 0 ? 0 : Math.max(1, limit / 6));
        int m = x.numCols;
        org.apache.spark.sql.Dataset<Row> train = FashionRows.frame(spark, data, limit, partitions);

        NetworkConfig config = Network.builder(784).dense(128, "relu").dense(10, "softmax").initializer("he_normal")
                .loss("softmax_cross_entropy").seed(1).config();
        Hyperparameters hp = new Hyperparameters("adam(learning_rate=0.001)", epochs, batch, 1, false);
        LOG.info(String.format(Locale.ROOT, "Fashion-MNIST: %d training and %d test images; %s; %s", m, test.size(),
                Network.fromConfig(config, PluginRegistry.defaults()), hp));
        LOG.info(String.format(Locale.ROOT, "Spark %s, master %s, %d partitions, %d cores", spark.version(),
                spark.sparkContext().master(), partitions, jsc.defaultParallelism()));

        int averaging = Integer.parseInt(o.getOrDefault("averaging", "0"));
        SparkTrainer.Builder builder = SparkTrainer.builder(config, hp);
        if (averaging > 0) {
            builder.parameterAveraging(averaging); // batch is then per partition
        }
        SparkTrainer.Result r = builder.build().fit(train);
        long steps = r.steps();
        double sparkRate = (double) m * epochs / r.seconds();
        double sparkAccuracy = r.network().accuracy(test);
        LOG.info(String.format(Locale.ROOT, "%-26s %8.1f s  %9.0f examples/s  %6.1f ms/step  test accuracy %.4f  cost %.4f",
                averaging > 0 ? "averaging every " + averaging + " steps:" : "data-parallel (Spark):", r.seconds(), sparkRate, 1000 * r.seconds() / steps, sparkAccuracy,
                r.epochCosts()[r.epochCosts().length - 1]));
        if (single) {
            Network network = Network.fromConfig(config, PluginRegistry.defaults());
            DMatrixRMaj y = new DMatrixRMaj(10, m);
            for (int e = 0; e < m; e++) {
                y.set((int) labels.data[e], e, 1.0);
            }
            Dataset local = Dataset.wrapping(x, y);
            long started = System.nanoTime();
            double[] costs = new Trainer(hp).fit(network, local).epochCosts();
            double seconds = (System.nanoTime() - started) / 1e9;
            double accuracy = network.accuracy(test);
            LOG.info(String.format(Locale.ROOT, "%-26s %8.1f s  %9.0f examples/s  %6.1f ms/step  test accuracy %.4f  cost %.4f",
                    "single machine (1 thread):", seconds, m * (double) epochs / seconds,
                    1000 * seconds / ((long) epochs * ((m + batch - 1) / batch)), accuracy,
                    costs[costs.length - 1]));
            LOG.info(String.format(Locale.ROOT, "speed-up %.2fx; largest parameter difference %.3g (%s)",
                    seconds / r.seconds(), maxDifference(network, r.network()),
                    averaging > 0 ? "parameter averaging: not the single-machine answer" : "summation order only"));
        }
        spark.stop();
    }

    private static double maxDifference(Network a, Network b) {
        double d = 0;
        for (int l = 1; l <= a.depth(); l++) {
            for (var p : a.parameters(l)) {
                DMatrixRMaj other = b.parameter(l, p.name());
                for (int k = 0; k < other.getNumElements(); k++) {
                    d = Math.max(d, Math.abs(p.value().data[k] - other.data[k]));
                }
            }
        }
        return d;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int k = 0; k < args.length; k++) {
            if (!args[k].startsWith("--") || k + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + args[k] + "'; options: --master,"
                        + " --partitions, --epochs, --batch, --limit, --data, --single, --averaging");
            }
            o.put(args[k].substring(2), args[++k]);
        }
        return o;
    }
}
