package dev.nnkit.spark;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.io.ModelFile;
import dev.nnkit.io.NetworkConfigs;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Schedule;
import dev.nnkit.training.Checkpoints;
import dev.nnkit.training.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Trains an nnkit network on a Spark {@code Dataset<Row>} with the data spread over the cluster:
 * a features column of {@code ml.linalg} vectors ({@code n[0]} values) and a label column (a class
 * index, or a vector of {@code n[L]} targets). The network and the settings are the ordinary
 * nnkit ones — a {@link NetworkConfig} (spec strings, JSON) and {@link Hyperparameters}.
 *
 * <pre>{@code
 * SparkTrainer.Result r = SparkTrainer.builder(config, Hyperparameters.defaults()
 *                 .withOptimizer("adam(learning_rate=0.001)").withEpochs(20).withBatchSize(1000).withShuffle(false))
 *         .featuresCol("features").labelCol("label")
 *         .checkpoints(Path.of("/shared/run-1"), 5)
 *         .build()
 *         .fit(df);
 * Network trained = r.network();
 * }</pre>
 *
 * <p><b>Two modes.</b>
 * <ul>
 *   <li><b>Gradient aggregation</b> (the default, synchronous): every step the driver broadcasts
 *       the parameters ({@code n} doubles), each partition computes the loss gradient summed over
 *       its examples of the step's batch, the sums are added up in a fixed-order tree (see
 *       {@link #fit}), and the driver divides by the batch size, adds the weight penalties and applies
 *       the optimizer with the schedule's rate — the step of nnkit's own
 *       {@link dev.nnkit.training.Trainer}. Full batch ({@code batchSize = 0}) is plain gradient
 *       descent; mini-batches are taken in the data set's row order (rows {@code [kB, (k+1)B)} of
 *       the concatenated partitions), so {@code shuffle} must be off. The result equals
 *       single-machine training on the same rows to round-off.</li>
 *   <li><b>Parameter averaging</b> every {@code k} local steps ({@link Builder#parameterAveraging}):
 *       each partition trains {@code k} steps on its own examples with a local copy of the
 *       optimizer, and the driver averages the parameters weighted by partition size. One round
 *       trip per {@code k} steps instead of per step, for steps too small to pay for one. Not
 *       equal to single-machine training; the local optimizer's moments restart each round.</li>
 * </ul>
 *
 * <p><b>Data.</b> The rows are read once into arrays cached on the executors (one shard per
 * partition, {@code 8 (n[0] + n[L])} bytes per row) and checked on the way; any bad row — a
 * missing or mistyped column, a vector of the wrong size, NaN or infinity, a label outside the
 * network's classes — is refused on the driver before the first step with an
 * {@link IllegalArgumentException} naming the column and the row. An empty partition is fine.
 *
 * <p><b>Faults.</b> Tasks are pure functions of (cached shard, broadcast parameters, step), so a
 * task Spark retries computes the same numbers, and the fixed-order tree sum gives the same bits.
 * With {@link Builder#checkpoints} the driver writes the model and its {@link TrainingState} with
 * {@link ModelFile} (atomic, the format of {@link Checkpoints}, named
 * {@code checkpoint-epoch-<epoch>.nnkit}) every {@code every} epochs and after the last; a
 * {@code fit} that finds a checkpoint of the same network and settings in the directory resumes
 * from the newest one, so rerunning a killed driver's job continues it, and for a fixed
 * partitioning ends with the bits of the uninterrupted run.
 *
 * <p>Not supported here (refused when building): layers with state (batch normalization's running
 * statistics would differ per partition), shuffled mini-batches in gradient mode.
 * Threads: one {@code fit} at a time per instance.
 */
public final class SparkTrainer {

    /** The outcome of a run. */
    public static final class Result {
        private final Network network;
        private final double[] epochCosts;
        private final long steps;
        private final int resumedFromEpoch;
        private final double seconds;
        private final long examples;
        private final int partitions;
        private final double[] stepSeconds;

        Result(Network network, double[] epochCosts, long steps, int resumedFromEpoch, double seconds, long examples,
               int partitions, double[] stepSeconds) {
            this.stepSeconds = stepSeconds;
            this.network = network;
            this.epochCosts = epochCosts;
            this.steps = steps;
            this.resumedFromEpoch = resumedFromEpoch;
            this.seconds = seconds;
            this.examples = examples;
            this.partitions = partitions;
        }

        /** The trained network, on the driver. */
        public Network network() {
            return network;
        }

        /** The cost {@code J} of every epoch run by this fit (weighted mean of its steps' costs, penalties included). */
        public double[] epochCosts() {
            return epochCosts.clone();
        }

        /** Optimizer steps (gradient mode) or averaging rounds taken in the whole run, resumed part included. */
        public long steps() {
            return steps;
        }

        /** The epoch of the checkpoint this fit resumed from, 0 when it started afresh. */
        public int resumedFromEpoch() {
            return resumedFromEpoch;
        }

        /** Wall-clock seconds of the training loop (data preparation excluded). */
        public double seconds() {
            return seconds;
        }

        /** Rows of the training data. */
        public long examples() {
            return examples;
        }

        /**
         * Wall-clock seconds of every step (gradient mode) or round (averaging) of this fit, from
         * the broadcast to the updated parameters on the driver: one Spark round trip each.
         */
        public double[] stepSeconds() {
            return stepSeconds.clone();
        }

        /** Partitions of the training data. */
        public int partitions() {
            return partitions;
        }
    }

    private final NetworkConfig config;
    private final Hyperparameters hp;
    private final String featuresCol;
    private final String labelCol;
    private final int localSteps;
    private final Path checkpointDir;
    private final int checkpointEvery;
    private final int keep;
    private final int fanIn;
    private final PluginRegistry registry;
    private TaskProbe probe = TaskProbe.NONE;
    private IntConsumer afterEpoch = e -> { };

    private SparkTrainer(Builder b) {
        this.config = b.config;
        this.hp = b.hp;
        this.featuresCol = b.featuresCol;
        this.labelCol = b.labelCol;
        this.localSteps = b.localSteps;
        this.checkpointDir = b.checkpointDir;
        this.checkpointEvery = b.checkpointEvery;
        this.keep = b.keep;
        this.fanIn = b.fanIn;
        this.registry = b.registry;
    }

    /** A builder for training the network {@code config} describes with settings {@code hp}. */
    public static Builder builder(NetworkConfig config, Hyperparameters hp) {
        return new Builder(config, hp);
    }

    /** Test seam: called by every task before it computes. */
    SparkTrainer probe(TaskProbe p) {
        this.probe = Objects.requireNonNull(p);
        return this;
    }

    /** Test seam: called on the driver after each epoch (after its checkpoint), e.g. to simulate a killed driver. */
    SparkTrainer afterEpoch(IntConsumer hook) {
        this.afterEpoch = Objects.requireNonNull(hook);
        return this;
    }

    /**
     * Trains on {@code data} (resuming from the newest matching checkpoint when checkpoints are on)
     * and returns the network on the driver.
     *
     * @throws IllegalArgumentException  when the data does not fit the network (before any step),
     *                                   or a checkpoint in the directory belongs to another network or other settings
     * @throws IllegalStateException     when a cost becomes NaN or infinite (training diverged)
     * @throws UncheckedIOException      when a checkpoint cannot be written or read
     */
    public Result fit(Dataset<Row> data) {
        Objects.requireNonNull(data, "data");
        Network network = Network.fromConfig(config, registry);
        String json = NetworkConfigs.toJson(config);
        boolean binary = network.units(network.depth()) == 1
                && PluginSpec.parse(network.loss().toString()).name().equals("binary_cross_entropy");
        Columns columns = new Columns(featuresCol, labelCol, config.inputSize(), network.units(network.depth()), binary);
        Columns.Prepared prepared = columns.prepare(data);
        try {
            return train(network, json, prepared, JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext()));
        } finally {
            prepared.shards().unpersist(false);
        }
    }

    private Result train(Network network, String json, Columns.Prepared prepared, JavaSparkContext jsc) {
        long m = prepared.total();
        if (m > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the data set has " + m + " rows; at most " + Integer.MAX_VALUE + " are supported");
        }
        int[] rows = prepared.rows();
        long[] starts = new long[rows.length];
        for (int p = 1; p < rows.length; p++) {
            starts[p] = starts[p - 1] + rows[p - 1];
        }
        Optimizer optimizer = registry.create(Optimizer.class, hp.optimizer());
        Schedule schedule = registry.create(Schedule.class, hp.schedule());
        double baseRate = optimizer.baseLearningRate();
        int batch = hp.batchSize() == 0 ? (int) m : (int) Math.min(hp.batchSize(), m);
        int stepsPerEpoch = localSteps > 0 ? roundsPerEpoch(rows, batch) : (int) ((m + batch - 1) / batch);
        int firstEpoch = 1;
        long steps = 0;
        int resumed = 0;
        Optional<ModelFile.Contents> checkpoint = latestCheckpoint();
        if (checkpoint.isPresent()) {
            TrainingState state = checkpoint.get().trainingState().orElseThrow();
            FlatParameters.setValues(network, FlatParameters.values(checkpoint.get().network()));
            if (localSteps == 0) {
                optimizer.restoreState(state.optimizerState());
            }
            firstEpoch = state.epochsDone() + 1;
            steps = state.stepsDone();
            resumed = state.epochsDone();
        }
        int fan = fanIn > 0 ? fanIn : TreeSum.defaultFanIn(rows.length);
        int n = FlatParameters.count(network);
        double[] theta = FlatParameters.values(network);
        List<Double> epochCosts = new ArrayList<>();
        double[] stepSeconds = new double[Math.max(0, hp.epochs() - firstEpoch + 1) * stepsPerEpoch];
        int timed = 0;
        long started = System.nanoTime();
        for (int e = firstEpoch; e <= hp.epochs(); e++) {
            double costSum = 0;
            long costWeight = 0;
            for (int k = 0; k < stepsPerEpoch; k++) {
                steps++;
                double rate = schedule.learningRate(baseRate, steps, e, stepsPerEpoch);
                if (!(rate >= 0 && rate < Double.POSITIVE_INFINITY)) {
                    throw new IllegalStateException("schedule " + schedule + " gave the learning rate " + rate + " for step "
                            + steps + " (epoch " + e + "); a schedule must give a finite rate >= 0 at every step");
                }
                long stepStarted = System.nanoTime();
                Broadcast<double[]> shared = jsc.broadcast(theta);
                try {
                    JavaRDD<double[]> parts;
                    if (localSteps == 0) {
                        long from = (long) k * batch;
                        long to = Math.min(m, from + batch);
                        parts = prepared.shards().mapPartitions(
                                new GradientTask(json, shared, starts, from, to, hp.seed(), steps, probe), true);
                    } else {
                        String spec = PluginSpec.parse(hp.optimizer()).with("learning_rate", rate).toString();
                        parts = prepared.shards().mapPartitions(
                                new AveragingTask(json, shared, spec, localSteps, hp.batchSize(), steps, hp.seed(), probe), true);
                    }
                    double[] total = TreeSum.sum(parts, fan);
                    double count = total[n + 1];
                    double cost;
                    if (localSteps == 0) {
                        double[] gradient = new double[n];
                        for (int j = 0; j < n; j++) {
                            gradient[j] = total[j] / count;
                        }
                        FlatParameters.setGradients(network, gradient);
                        cost = total[n] / count + GradientTask.addPenalties(network, (int) count);
                        if (!Double.isFinite(cost)) {
                            throw diverged(steps, e, cost);
                        }
                        optimizer.update(network.parameters(), steps, rate);
                    } else {
                        double[] averaged = new double[n];
                        for (int j = 0; j < n; j++) {
                            averaged[j] = total[j] / count;
                        }
                        cost = total[n] / count;
                        if (!Double.isFinite(cost)) {
                            throw diverged(steps, e, cost);
                        }
                        FlatParameters.setValues(network, averaged);
                    }
                    theta = FlatParameters.values(network);
                    costSum += cost * count;
                    costWeight += (long) count;
                } finally {
                    shared.unpersist(false); // the driver's copy goes with the context cleaner
                }
                stepSeconds[timed++] = (System.nanoTime() - stepStarted) / 1e9;
            }
            epochCosts.add(costSum / costWeight);
            if (checkpointDir != null && (e % checkpointEvery == 0 || e == hp.epochs())) {
                save(network, new TrainingState(hp, e, steps, localSteps == 0 ? optimizer.state() : List.of()), e);
            }
            afterEpoch.accept(e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double[] costs = epochCosts.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(network, costs, steps, resumed, seconds, m, rows.length, java.util.Arrays.copyOf(stepSeconds, timed));
    }

    private IllegalStateException diverged(long step, int epoch, double cost) {
        return new IllegalStateException("training diverged: the cost of step " + step + " (epoch " + epoch + ") is " + cost
                + " with " + hp.optimizer() + "; lower the learning rate");
    }

    /** Rounds per epoch in averaging mode: enough for the largest partition to see all its rows once. */
    private int roundsPerEpoch(int[] rows, int batch) {
        if (hp.batchSize() == 0) {
            return 1;
        }
        int largest = 0;
        for (int r : rows) {
            largest = Math.max(largest, r);
        }
        long perRound = (long) localSteps * Math.min(batch, Math.max(1, largest));
        return (int) Math.max(1, (largest + perRound - 1) / perRound);
    }

    private Optional<ModelFile.Contents> latestCheckpoint() {
        if (checkpointDir == null) {
            return Optional.empty();
        }
        try {
            Optional<Path> latest = Checkpoints.latest(checkpointDir);
            if (latest.isEmpty()) {
                return Optional.empty();
            }
            ModelFile.Contents contents = ModelFile.load(latest.get(), registry);
            if (!contents.network().config().equals(config)) {
                throw new IllegalArgumentException("checkpoint " + latest.get() + " holds the network "
                        + contents.network() + ", not the one being trained; use another checkpoint directory");
            }
            TrainingState state = contents.trainingState().orElseThrow(() -> new IllegalArgumentException(
                    "checkpoint " + latest.get() + " holds no training state to resume from"));
            if (!state.hyperparameters().withEpochs(hp.epochs()).equals(hp)) {
                throw new IllegalArgumentException("checkpoint " + latest.get() + " was saved with " + state.hyperparameters()
                        + " but this run has " + hp + "; only the number of epochs may differ. Use another directory");
            }
            return Optional.of(contents);
        } catch (IOException ex) {
            throw new UncheckedIOException("reading the checkpoints in " + checkpointDir + " failed: " + ex, ex);
        }
    }

    private void save(Network network, TrainingState state, int epoch) {
        Checkpoints naming = new Checkpoints(network, checkpointDir, checkpointEvery, keep);
        Path target = naming.file(epoch);
        try {
            Files.createDirectories(checkpointDir);
            ModelFile.save(network, state, target);
            List<Path> old = new ArrayList<>();
            try (var entries = Files.newDirectoryStream(checkpointDir, Checkpoints.DEFAULT_PREFIX + "-epoch-*.nnkit")) {
                entries.forEach(old::add);
            }
            old.sort(null); // zero-padded epochs: name order is epoch order
            for (int k = 0; k < old.size() - keep; k++) {
                Files.deleteIfExists(old.get(k));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("saving the checkpoint of epoch " + epoch + " to " + target + " failed: " + ex, ex);
        }
    }

    /** Collects the settings of a {@link SparkTrainer}; {@link #build()} checks them. */
    public static final class Builder {
        private final NetworkConfig config;
        private final Hyperparameters hp;
        private String featuresCol = "features";
        private String labelCol = "label";
        private int localSteps;
        private Path checkpointDir;
        private int checkpointEvery = 1;
        private int keep = 3;
        private int fanIn;
        private PluginRegistry registry = PluginRegistry.defaults();

        private Builder(NetworkConfig config, Hyperparameters hp) {
            this.config = Objects.requireNonNull(config, "config");
            this.hp = Objects.requireNonNull(hp, "hyperparameters");
        }

        /** The features column, {@code ml.linalg.Vector} of {@code n[0]} values; default {@code features}. */
        public Builder featuresCol(String name) {
            this.featuresCol = Objects.requireNonNull(name, "featuresCol");
            return this;
        }

        /** The label column, a class index or a vector of {@code n[L]} targets; default {@code label}. */
        public Builder labelCol(String name) {
            this.labelCol = Objects.requireNonNull(name, "labelCol");
            return this;
        }

        /**
         * Parameter averaging every {@code k >= 1} local steps instead of gradient aggregation; the
         * mini-batch size of {@link Hyperparameters#batchSize()} is then per partition. With full
         * batch ({@code 0}) an epoch is one round of {@code k} full-batch steps on every partition;
         * with mini-batches an epoch has as many rounds as the largest partition needs to pass
         * over its rows once. The schedule gives each round's rate by round number and epoch.
         */
        public Builder parameterAveraging(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("parameter averaging every " + k + " local steps; it must be >= 1");
            }
            this.localSteps = k;
            return this;
        }

        /**
         * Checkpoints to {@code directory} (a path the driver can write: local, or a mounted shared
         * file system) every {@code every >= 1} epochs and after the last, keeping the newest 3; a
         * fit resumes from the newest one there.
         */
        public Builder checkpoints(Path directory, int every) {
            if (every < 1) {
                throw new IllegalArgumentException("checkpoints every " + every + " epochs; it must be >= 1");
            }
            this.checkpointDir = Objects.requireNonNull(directory, "directory");
            this.checkpointEvery = every;
            return this;
        }

        /**
         * The fan-in of the aggregation tree, {@code >= 2}; default {@code ceil(sqrt(partitions))}
         * (two levels, as {@code treeAggregate} with depth 2).
         */
        public Builder fanIn(int fan) {
            if (fan < 2) {
                throw new IllegalArgumentException("aggregation fan-in " + fan + "; it must be >= 2");
            }
            this.fanIn = fan;
            return this;
        }

        /** The registry the driver builds plugins from; default {@link PluginRegistry#defaults()} (executors always use that). */
        public Builder registry(PluginRegistry r) {
            this.registry = Objects.requireNonNull(r, "registry");
            return this;
        }

        /**
         * Checks the settings against the network.
         *
         * @throws IllegalArgumentException for a network with layer state, or shuffled mini-batches in gradient mode
         */
        public SparkTrainer build() {
            Network probe = Network.fromConfig(config, registry);
            for (int l = 1; l <= probe.depth(); l++) {
                if (!probe.state(l).isEmpty()) {
                    throw new IllegalArgumentException("layer " + l + " (" + probe.layer(l) + ") keeps state (running statistics)"
                            + " that data-parallel training cannot keep consistent across partitions; train it on one machine,"
                            + " or run it in a sweep (SparkSweep), which trains whole networks per task");
                }
            }
            if (localSteps == 0 && hp.shuffle() && hp.batchSize() != 0) {
                throw new IllegalArgumentException("shuffle=true with mini-batches of " + hp.batchSize() + ": data-parallel"
                        + " mini-batches are taken in the data set's row order; set withShuffle(false), and shuffle the rows"
                        + " once beforehand (e.g. df.orderBy(rand(seed))) if they are sorted");
            }
            return new SparkTrainer(this);
        }
    }
}
