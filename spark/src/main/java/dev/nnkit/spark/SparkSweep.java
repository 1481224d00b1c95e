package dev.nnkit.spark;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.io.DataFileException;
import dev.nnkit.io.ModelFile;
import dev.nnkit.io.NetworkConfigs;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.training.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ejml.data.DMatrixRMaj;

/**
 * A hyperparameter search as one Spark job: every setting (a network config and its training
 * settings, i.e. one nnkit JSON document of spec strings) is trained by one task on one executor
 * with nnkit's single-machine {@link Trainer}, on the whole training set, which is read and checked
 * once on the driver and broadcast to the executors as plain arrays. The driver collects one row
 * per setting — its spec strings, train and validation cost and accuracy, seconds, or the error
 * that stopped it (a diverged run does not stop the sweep) — and the trained parameters of every
 * setting as {@code double[]}, keeps the best, and writes the table as CSV or Parquet.
 *
 * <pre>{@code
 * List<SparkSweep.Setting> settings = SparkSweep.grid(
 *         List.of(smallConfig, wideConfig),
 *         List.of(hp.withOptimizer("adam(learning_rate=0.001)"), hp.withOptimizer("adam(learning_rate=0.01)")));
 * SparkSweep.Result r = new SparkSweep("features", "label").run(settings, train, validation);
 * r.writeCsv("runs/sweep-table");
 * r.saveBest(Path.of("runs/best.nnkit"));
 * }</pre>
 *
 * <p>The best setting has the highest validation accuracy (then the lowest validation cost);
 * without a validation set, the lowest training cost. Settings run in parallel up to the
 * cluster's task slots; each runs on one thread, so a sweep of {@code s} settings on {@code c}
 * cores takes about {@code ceil(s / c)} single trainings.
 */
public final class SparkSweep {

    /** One setting: a network and its training, with a label for the table. */
    public record Setting(String name, NetworkConfig network, Hyperparameters training) {
        /** Refuses missing parts. */
        public Setting {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(training, "training");
        }
    }

    /** The columns of the results table, in order. */
    public static final StructType TABLE = new StructType(new StructField[] {
        DataTypes.createStructField("setting", DataTypes.IntegerType, false),
        DataTypes.createStructField("name", DataTypes.StringType, false),
        DataTypes.createStructField("network", DataTypes.StringType, false),
        DataTypes.createStructField("optimizer", DataTypes.StringType, false),
        DataTypes.createStructField("schedule", DataTypes.StringType, false),
        DataTypes.createStructField("epochs", DataTypes.IntegerType, false),
        DataTypes.createStructField("batch_size", DataTypes.IntegerType, false),
        DataTypes.createStructField("train_cost", DataTypes.DoubleType, false),
        DataTypes.createStructField("train_accuracy", DataTypes.DoubleType, false),
        DataTypes.createStructField("validation_cost", DataTypes.DoubleType, false),
        DataTypes.createStructField("validation_accuracy", DataTypes.DoubleType, false),
        DataTypes.createStructField("seconds", DataTypes.DoubleType, false),
        DataTypes.createStructField("error", DataTypes.StringType, true),
        DataTypes.createStructField("config_json", DataTypes.StringType, false) // on one line
    });

    private final String featuresCol;
    private final String labelCol;

    /** A sweep reading these two columns (as {@link SparkTrainer} does). */
    public SparkSweep(String featuresCol, String labelCol) {
        this.featuresCol = Objects.requireNonNull(featuresCol, "featuresCol");
        this.labelCol = Objects.requireNonNull(labelCol, "labelCol");
    }

    /** Every network with every training setting: {@code networks.size() * trainings.size()} settings. */
    public static List<Setting> grid(List<NetworkConfig> networks, List<Hyperparameters> trainings) {
        List<Setting> out = new ArrayList<>();
        for (int n = 0; n < networks.size(); n++) {
            for (int t = 0; t < trainings.size(); t++) {
                out.add(new Setting("n" + n + "-t" + t, networks.get(n), trainings.get(t)));
            }
        }
        return out;
    }

    /**
     * {@code count} settings drawn with {@code seed}: a network from {@code networks}, and the
     * optimizer {@code optimizer} (a plugin name, e.g. {@code adam}) with a learning rate drawn
     * log-uniformly from {@code [lowRate, highRate]}, the rest of the training as {@code base}.
     */
    public static List<Setting> random(List<NetworkConfig> networks, Hyperparameters base, String optimizer,
                                       double lowRate, double highRate, int count, long seed) {
        if (!(lowRate > 0 && highRate >= lowRate && Double.isFinite(highRate))) {
            throw new IllegalArgumentException("learning rates [" + lowRate + ", " + highRate
                    + "]; need 0 < low <= high, both finite");
        }
        if (networks.isEmpty() || count < 1) {
            throw new IllegalArgumentException(networks.size() + " networks and " + count + " draws; need at least one of each");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Setting> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            int n = random.nextInt(networks.size());
            double rate = Math.exp(Math.log(lowRate) + random.nextDouble() * (Math.log(highRate) - Math.log(lowRate)));
            String spec = PluginSpec.of(optimizer).with("learning_rate", rate).toString();
            out.add(new Setting("r" + k + "-n" + n, networks.get(n), base.withOptimizer(spec)));
        }
        return out;
    }

    /** One trained setting; the executor returns it as a row of JDK values ({@link #toRow()}). */
    record Outcome(int index, String name, String network, double trainCost, double trainAccuracy, double validationCost,
                   double validationAccuracy, double seconds, String error, double[] parameters) {

        Row toRow() {
            return RowFactory.create(index, name, network, trainCost, trainAccuracy, validationCost, validationAccuracy, seconds,
                    error, parameters);
        }

        static Outcome of(Row r) {
            return new Outcome(r.getInt(0), r.getString(1), r.getString(2), r.getDouble(3), r.getDouble(4), r.getDouble(5),
                    r.getDouble(6), r.getDouble(7), r.getString(8), (double[]) r.get(9));
        }
    }

    /** The results table, the best network, and writers for both. */
    public static final class Result {
        private final SparkSession spark;
        private final List<Row> rows;
        private final Network best;
        private final int bestIndex;

        Result(SparkSession spark, List<Row> rows, Network best, int bestIndex) {
            this.spark = spark;
            this.rows = rows;
            this.best = best;
            this.bestIndex = bestIndex;
        }

        /** One row per setting, in the order given, with the columns of {@link #TABLE}. */
        public org.apache.spark.sql.Dataset<Row> table() {
            return spark.createDataFrame(rows, TABLE).coalesce(1);
        }

        /** The rows of {@link #table()} on the driver. */
        public List<Row> rows() {
            return Collections.unmodifiableList(rows);
        }

        /** The index (column {@code setting}) of the best setting. */
        public int bestIndex() {
            return bestIndex;
        }

        /** The best setting's trained network. */
        public Network best() {
            return best;
        }

        /** Writes the table as one CSV file with a header into the directory {@code path} (replaced). */
        public void writeCsv(String path) {
            table().write().mode(SaveMode.Overwrite).option("header", "true").csv(path);
        }

        /** Writes the table as Parquet into the directory {@code path} (replaced). */
        public void writeParquet(String path) {
            table().write().mode(SaveMode.Overwrite).parquet(path);
        }

        /** Saves the best network as an nnkit model file (atomically). */
        public void saveBest(Path file) throws IOException {
            ModelFile.save(best, file);
        }
    }

    /**
     * Trains every setting and collects the table.
     *
     * @param validation rows to score each trained network on, or null
     * @throws IllegalArgumentException when there are no settings, the networks differ in input or
     *                                  output size, or the data does not fit them (named as {@link SparkTrainer} does)
     * @throws IllegalStateException    when every setting failed
     */
    public Result run(List<Setting> settings, org.apache.spark.sql.Dataset<Row> train,
                      org.apache.spark.sql.Dataset<Row> validation) {
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one setting");
        }
        NetworkConfig first = settings.get(0).network();
        Network shape = Network.fromConfig(first, PluginRegistry.defaults());
        int outputs = shape.units(shape.depth());
        for (Setting s : settings) {
            Network n = Network.fromConfig(s.network(), PluginRegistry.defaults());
            if (n.units(0) != shape.units(0) || n.units(n.depth()) != outputs) {
                throw new IllegalArgumentException("setting '" + s.name() + "' has the network " + n + " but setting '"
                        + settings.get(0).name() + "' has " + shape + "; all settings must share the input and output sizes");
            }
        }
        boolean binary = outputs == 1 && PluginSpec.parse(shape.loss().toString()).name().equals("binary_cross_entropy");
        Columns columns = new Columns(featuresCol, labelCol, first.inputSize(), outputs, binary);
        Shard trainData = gather(columns, train);
        Shard validationData = validation == null ? null : gather(columns, validation);
        SparkSession spark = train.sparkSession();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Row> trainShared = jsc.broadcast(trainData.toRow());
        Broadcast<Row> validationShared = validationData == null ? null : jsc.broadcast(validationData.toRow());
        List<String> documents = new ArrayList<>();
        for (Setting s : settings) {
            documents.add(NetworkConfigs.toJson(s.network(), s.training()));
        }
        List<Integer> indices = new ArrayList<>();
        for (int k = 0; k < settings.size(); k++) {
            indices.add(k);
        }
        List<String> names = settings.stream().map(Setting::name).toList();
        List<Outcome> outcomes;
        try {
            outcomes = new ArrayList<>();
            for (Row r : jsc.parallelize(indices, settings.size())
                    .map(k -> trainOne(k, names.get(k), documents.get(k), Shard.of(trainShared.value()),
                            validationShared == null ? null : Shard.of(validationShared.value())).toRow())
                    .collect()) {
                outcomes.add(Outcome.of(r));
            }
        } finally {
            trainShared.unpersist(false);
            if (validationShared != null) {
                validationShared.unpersist(false);
            }
        }
        outcomes.sort(Comparator.comparingInt(Outcome::index));
        Outcome best = null;
        for (Outcome o : outcomes) {
            if (o.error() == null && (best == null || better(o, best, validationData != null))) {
                best = o;
            }
        }
        if (best == null) {
            throw new IllegalStateException("every setting of the sweep failed; the first: " + outcomes.get(0).error());
        }
        Network bestNetwork = Network.fromConfig(settings.get(best.index()).network(), PluginRegistry.defaults());
        FlatParameters.setValues(bestNetwork, best.parameters());
        List<Row> rows = new ArrayList<>();
        for (Outcome o : outcomes) {
            Hyperparameters hp = settings.get(o.index()).training();
            rows.add(RowFactory.create(o.index(), o.name(), o.network(), hp.optimizer(), hp.schedule(), hp.epochs(),
                    hp.batchSize(), o.trainCost(), o.trainAccuracy(), o.validationCost(), o.validationAccuracy(), o.seconds(),
                    o.error(), documents.get(o.index()).replaceAll("\n\\s*", "")));
        }
        return new Result(spark, rows, bestNetwork, best.index());
    }

    private static boolean better(Outcome a, Outcome b, boolean validation) {
        if (!validation) {
            return a.trainCost() < b.trainCost();
        }
        if (a.validationAccuracy() != b.validationAccuracy()) {
            return a.validationAccuracy() > b.validationAccuracy();
        }
        return a.validationCost() < b.validationCost();
    }

    /** Reads and checks the rows, then joins the partitions into one shard on the driver. */
    private static Shard gather(Columns columns, org.apache.spark.sql.Dataset<Row> data) {
        Columns.Prepared prepared = columns.prepare(data);
        List<Shard> shards = new ArrayList<>();
        try {
            for (Row r : prepared.shards().collect()) {
                shards.add(Shard.of(r));
            }
        } finally {
            prepared.shards().unpersist(false);
        }
        int m = (int) prepared.total();
        int n0 = columns.inputSize;
        int nl = columns.outputSize;
        double[] x = new double[n0 * m];
        double[] y = new double[nl * m];
        int at = 0;
        for (Shard s : shards) {
            for (int i = 0; i < n0; i++) {
                System.arraycopy(s.x, i * s.rows, x, i * m + at, s.rows);
            }
            for (int k = 0; k < nl; k++) {
                System.arraycopy(s.y, k * s.rows, y, k * m + at, s.rows);
            }
            at += s.rows;
        }
        return new Shard(-1, m, n0, nl, x, y);
    }

    /** Trains one setting on the executor. */
    static Outcome trainOne(int index, String name, String document, Shard train, Shard validation) {
        long started = System.nanoTime();
        String description = "?";
        try {
            NetworkConfigs.Document doc = NetworkConfigs.fromJson(document);
            Network network = Network.fromConfig(doc.network(), PluginRegistry.defaults());
            description = network.toString();
            Hyperparameters hp = doc.training().orElseThrow();
            Dataset data = Dataset.wrapping(DMatrixRMaj.wrap(train.inputSize, train.rows, train.x.clone()),
                    DMatrixRMaj.wrap(train.outputSize, train.rows, train.y.clone()));
            new Trainer(hp).fit(network, data);
            double seconds = (System.nanoTime() - started) / 1e9;
            double vc = Double.NaN;
            double va = Double.NaN;
            if (validation != null) {
                Dataset v = Dataset.wrapping(DMatrixRMaj.wrap(validation.inputSize, validation.rows, validation.x),
                        DMatrixRMaj.wrap(validation.outputSize, validation.rows, validation.y));
                vc = network.cost(v);
                va = network.accuracy(v);
            }
            return new Outcome(index, name, description, network.cost(data), network.accuracy(data), vc, va, seconds, null,
                    FlatParameters.values(network));
        } catch (DataFileException | RuntimeException e) {
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Outcome(index, name, description, Double.NaN, Double.NaN, Double.NaN, Double.NaN, seconds,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), new double[0]);
        }
    }
}
