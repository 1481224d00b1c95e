package dev.nnkit.training;

import dev.nnkit.Network;
import dev.nnkit.internal.Access;
import java.util.List;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * A copy of a network's model — every parameter value and every layer state array (e.g. batch
 * normalization's running statistics) — allocated once and filled during training with
 * {@link TrainingContext#capture}, then put back with {@link TrainingContext#restoreAtEnd}.
 *
 * <pre>{@code
 * ModelSnapshot best = ModelSnapshot.of(network);     // allocated once, empty
 * ...
 * context.capture(best);                               // in onEpochEnd: copies the model of this moment
 * context.restoreAtEnd(best);                          // the run puts it back when it ends
 * }</pre>
 *
 * <p>Holds as many doubles as the network has parameters and state entries. Not thread-safe: one
 * snapshot serves one run.
 */
public final class ModelSnapshot {

    private final Network network;
    private final double[][] values;
    private boolean empty = true;
    private long step;
    private int epoch;

    private ModelSnapshot(Network network) {
        this.network = network;
        List<DMatrixRMaj> model = Access.model().modelArrays(network);
        values = new double[model.size()][];
        for (int p = 0; p < values.length; p++) {
            values[p] = new double[model.get(p).getNumElements()];
        }
    }

    /** An empty snapshot with room for the model of {@code network}. */
    public static ModelSnapshot of(Network network) {
        return new ModelSnapshot(Objects.requireNonNull(network, "network"));
    }

    /** The network whose model this snapshot holds. */
    public Network network() {
        return network;
    }

    /** Whether nothing was captured into it yet. */
    public boolean isEmpty() {
        return empty;
    }

    /** The step after which it was captured (0 before any capture or before the run's first step). */
    public long step() {
        return step;
    }

    /** The epoch of {@link #step()} (0 before any capture). */
    public int epoch() {
        return epoch;
    }

    /** Copies {@code model} (the network's {@link Network#modelArrays()}, live) in. Allocates nothing. */
    void copyFrom(List<DMatrixRMaj> model, long atStep, int atEpoch) {
        for (int p = 0; p < values.length; p++) {
            System.arraycopy(model.get(p).data, 0, values[p], 0, values[p].length);
        }
        empty = false;
        step = atStep;
        epoch = atEpoch;
    }

    /** Copies the held values into {@code model}. */
    void copyInto(List<DMatrixRMaj> model) {
        for (int p = 0; p < values.length; p++) {
            System.arraycopy(values[p], 0, model.get(p).data, 0, values[p].length);
        }
    }

    /** The held arrays, parameters first then layer state (for checkpoints written from a snapshot). */
    double[][] values() {
        return values;
    }
}
