package dev.nnkit.spark;

import dev.nnkit.Network;
import dev.nnkit.StepTrace;
import dev.nnkit.data.Dataset;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.ejml.data.DMatrixRMaj;

/**
 * One step of synchronous data-parallel training on one partition: with the driver's parameters
 * {@code theta}, the gradient of the loss summed over the partition's examples of the step's batch
 * (global rows {@code [from, to)}), without the weight penalties, which the driver adds once for
 * the whole batch. Emits one array: {@code [sum_e dL_e/dtheta (n values), sum_e L_e, examples]}.
 *
 * <p>Why sums: the single-machine step averages over the batch, {@code dtheta = (1/b) sum_e dL_e +
 * dPenalty(b)}; a partition knows only its {@code b_s} examples, so it returns
 * {@code b_s (g_s - dPenalty(b_s))} with {@code g_s} nnkit's own gradient on its examples, and the
 * driver divides the total by {@code b}. A partition with no example of the batch emits zeros.
 *
 * <p>Passes: without an active activation transform (dropout) the partition runs nnkit's
 * deterministic {@code CHECKING} pass ({@link Network#computeGradients}), which is the arithmetic
 * of a full-batch training step; with one it runs a recorded training step
 * ({@link Network#traceStep}) whose masks come from a generator seeded by the run's seed, the step
 * and the partition, so a retried task draws the same masks.
 */
final class GradientTask implements FlatMapFunction<Iterator<Row>, double[]> {

    private static final long serialVersionUID = 1L;

    private final String configJson;
    private final Broadcast<double[]> theta;
    private final long[] partitionStarts;
    private final long from;
    private final long to;
    private final long seed;
    private final long step;
    private final TaskProbe probe;

    GradientTask(String configJson, Broadcast<double[]> theta, long[] partitionStarts, long from, long to, long seed,
                 long step, TaskProbe probe) {
        this.configJson = configJson;
        this.theta = theta;
        this.partitionStarts = partitionStarts;
        this.from = from;
        this.to = to;
        this.seed = seed;
        this.step = step;
        this.probe = probe;
    }

    @Override
    public Iterator<double[]> call(Iterator<Row> shards) throws Exception {
        Shard shard = Shard.of(shards.next());
        probe.call(shard.partition, step);
        double[] params = theta.value();
        double[] out = new double[params.length + 2];
        long start = partitionStarts[shard.partition];
        int lo = (int) Math.max(0, from - start);
        int hi = (int) Math.min(shard.rows, to - start);
        if (lo >= hi) {
            return Collections.singletonList(out).iterator();
        }
        Network network = WorkerNetworks.borrow(configJson);
        try {
            FlatParameters.setValues(network, params);
            Dataset batch = shard.range(lo, hi);
            int b = hi - lo;
            double cost;
            List<Parameter> parameters = network.parameters();
            if (hasActiveTransform(network)) {
                SplittableRandom random = new SplittableRandom(mix(seed, step, shard.partition));
                StepTrace trace = network.traceStep(batch.features(), batch.labels(), random);
                cost = trace.cost();
                for (int l = 1; l <= network.depth(); l++) {
                    for (Parameter p : network.parameters(l)) {
                        p.gradient().setTo(trace.gradient(l, p.name()));
                    }
                }
            } else {
                cost = network.computeGradients(batch);
            }
            cost -= removePenalties(network, b);
            int offset = 0;
            for (Parameter p : parameters) {
                double[] g = p.gradient().data;
                for (int k = 0, n = p.gradient().getNumElements(); k < n; k++) {
                    out[offset + k] = g[k] * b;
                }
                offset += p.gradient().getNumElements();
            }
            out[offset] = cost * b;
            out[offset + 1] = b;
            return Collections.singletonList(out).iterator();
        } finally {
            WorkerNetworks.release(configJson, network);
        }
    }

    /** Subtracts every weight penalty's gradient for a batch of {@code m} from the gradients; returns the penalties' sum. */
    static double removePenalties(Network network, int m) {
        double penalty = 0;
        for (int l = 1; l <= network.depth(); l++) {
            for (Regularizer r : network.regularizers(l)) {
                if (!(r instanceof WeightPenalty w)) {
                    continue;
                }
                for (Parameter p : network.parameters(l)) {
                    if (p.role() != Parameter.Role.WEIGHT) {
                        continue;
                    }
                    DMatrixRMaj d = new DMatrixRMaj(p.value().numRows, p.value().numCols);
                    w.addPenaltyGradient(p.value(), m, d);
                    double[] g = p.gradient().data;
                    for (int k = 0; k < d.getNumElements(); k++) {
                        g[k] -= d.data[k];
                    }
                    penalty += w.penalty(p.value(), m);
                }
            }
        }
        return penalty;
    }

    /** Adds every weight penalty's gradient for a batch of {@code m} to the gradients; returns the penalties' sum. */
    static double addPenalties(Network network, int m) {
        double penalty = 0;
        for (int l = 1; l <= network.depth(); l++) {
            for (Regularizer r : network.regularizers(l)) {
                if (!(r instanceof WeightPenalty w)) {
                    continue;
                }
                for (Parameter p : network.parameters(l)) {
                    if (p.role() == Parameter.Role.WEIGHT) {
                        w.addPenaltyGradient(p.value(), m, p.gradient());
                        penalty += w.penalty(p.value(), m);
                    }
                }
            }
        }
        return penalty;
    }

    static boolean hasActiveTransform(Network network) {
        for (int l = 1; l <= network.depth(); l++) {
            for (Regularizer r : network.regularizers(l)) {
                if (r instanceof ActivationTransform t && t.isActive()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A seed for (run seed, step, partition), SplitMix64's finalizer over their combination. */
    static long mix(long seed, long step, int partition) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + partition * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
