package dev.nnkit.spark;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingHistory;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * One round of parameter averaging on one partition: from the driver's parameters, {@code k}
 * local steps of nnkit's own {@link Trainer} on the partition's examples (mini-batches of
 * {@code localBatch} taken in order from where the last round stopped, wrapping around; or
 * {@code k} full-batch steps), then emits {@code [rows * theta_s (n values), rows * cost, rows]},
 * so that the driver's sum divided by the total row count is the average weighted by the
 * partition's size. The local optimizer starts fresh every round (its moments are not averaged);
 * its learning rate is the one the driver's schedule gives the round. An empty partition emits
 * zeros and has no weight.
 */
final class AveragingTask implements FlatMapFunction<Iterator<Row>, double[]> {

    private static final long serialVersionUID = 1L;

    private final String configJson;
    private final Broadcast<double[]> theta;
    private final String optimizerSpec;
    private final int localSteps;
    private final int localBatch;
    private final long round;
    private final long seed;
    private final TaskProbe probe;

    AveragingTask(String configJson, Broadcast<double[]> theta, String optimizerSpec, int localSteps, int localBatch,
                  long round, long seed, TaskProbe probe) {
        this.configJson = configJson;
        this.theta = theta;
        this.optimizerSpec = optimizerSpec;
        this.localSteps = localSteps;
        this.localBatch = localBatch;
        this.round = round;
        this.seed = seed;
        this.probe = probe;
    }

    @Override
    public Iterator<double[]> call(Iterator<Row> shards) throws Exception {
        Shard shard = Shard.of(shards.next());
        probe.call(shard.partition, round);
        double[] params = theta.value();
        double[] out = new double[params.length + 2];
        if (shard.rows == 0) {
            return Collections.singletonList(out).iterator();
        }
        Network network = WorkerNetworks.borrow(configJson);
        try {
            FlatParameters.setValues(network, params);
            long seedOfRound = GradientTask.mix(seed, round, shard.partition);
            TrainingHistory history;
            if (localBatch == 0 || localBatch >= shard.rows) {
                Hyperparameters hp = new Hyperparameters(optimizerSpec, localSteps, 0, seedOfRound, false);
                history = new Trainer(hp).fit(network, shard.dataset());
            } else {
                long start = (round - 1) * (long) localSteps * localBatch;
                Hyperparameters hp = new Hyperparameters(optimizerSpec, 1, localBatch, seedOfRound, false);
                history = new Trainer(hp).fit(network, shard.cyclic(start, localSteps * localBatch));
            }
            double[] local = FlatParameters.values(network);
            int rows = shard.rows;
            for (int k = 0; k < local.length; k++) {
                out[k] = local[k] * rows;
            }
            double[] costs = history.epochCosts();
            out[local.length] = costs[costs.length - 1] * rows;
            out[local.length + 1] = rows;
            return Collections.singletonList(out).iterator();
        } finally {
            WorkerNetworks.release(configJson, network);
        }
    }
}
