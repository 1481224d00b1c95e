package dev.nnkit.diagnostics;

import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A training listener that measures {@link Diagnostics} on a fixed batch at the end of every
 * {@code every}-th epoch, and keeps the measurements for tables, plots and tests. It reads the
 * network on the training thread; the measurement overwrites only gradient buffers, which the next
 * step rewrites.
 */
public final class DiagnosticsRecorder implements TrainingListener {

    private final Network network;
    private final Dataset batch;
    private final int every;
    private final List<Integer> epochs = new ArrayList<>();
    private final List<List<LayerStatistics>> measurements = new ArrayList<>();

    /**
     * @param network the network being trained
     * @param batch   the examples to measure on (a small fixed sample is enough)
     * @param every   measure after every this many epochs, {@code >= 1}
     */
    public DiagnosticsRecorder(Network network, Dataset batch, int every) {
        this.network = Objects.requireNonNull(network, "network");
        this.batch = Objects.requireNonNull(batch, "batch");
        if (every < 1) {
            throw new IllegalArgumentException("every=" + every + "; it must be >= 1");
        }
        this.every = every;
    }

    @Override
    public void onEpochEnd(TrainingContext context) {
        int epoch = context.epoch();
        if (epoch % every == 0) {
            epochs.add(epoch);
            measurements.add(Diagnostics.measure(network, batch));
        }
    }

    /** The epochs at which a measurement was taken. */
    public List<Integer> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The measurements, one list of per-layer statistics per recorded epoch. */
    public List<List<LayerStatistics>> measurements() {
        return Collections.unmodifiableList(measurements);
    }
}
