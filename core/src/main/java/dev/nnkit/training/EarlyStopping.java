package dev.nnkit.training;

import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.internal.Access;
import java.util.Objects;

/**
 * A {@link TrainingListener} that measures a metric on a validation set after every epoch, asks
 * the run to stop when it has not improved for {@code patience} epochs, and asks it to put the
 * parameters of the best epoch back into the network when training ends (stopped early or not),
 * with the layers' state of that epoch (e.g. batch normalization's running statistics), so that
 * the restored model predicts exactly as it did when it was measured.
 *
 * <pre>{@code
 * EarlyStopping early = new EarlyStopping(network, validation, EarlyStopping.Metric.COST, 10);
 * new Trainer(hp).listener(early).fit(network, train);
 * // network now holds the parameters of epoch early.bestEpoch()
 * }</pre>
 *
 * <p>An epoch improves on the best so far when its validation {@linkplain Metric#COST cost} is
 * lower by more than {@code minDelta} (default 0), or its {@linkplain Metric#ACCURACY accuracy}
 * higher by more than {@code minDelta}; ties do not improve, so the earliest of equal epochs is
 * kept. A NaN cost never improves. Training stops after epoch {@code e} when
 * {@code e - bestEpoch >= patience}. The validation metric is computed in inference mode (no
 * dropout) with {@link Network#cost} or {@link Network#accuracy} on the training thread.
 *
 * <p>It never writes the network: the best model is copied with {@link TrainingContext#capture}
 * into a {@link ModelSnapshot} allocated once, at construction, and the run restores it
 * ({@link TrainingContext#restoreAtEnd}) after every listener's {@code onTrainingEnd}, so a
 * {@link Checkpoints} listener still saves the last epoch. When training fails (diverges) nothing
 * is restored.
 *
 * <p>One instance serves one training run.
 */
public final class EarlyStopping implements TrainingListener {

    /** What is measured on the validation set. */
    public enum Metric {
        /** The cost {@code J} with regularization penalties; lower is better. */
        COST,
        /** The fraction of correctly classified examples; higher is better. */
        ACCURACY
    }

    private final Network network;
    private final Dataset validation;
    private final Metric metric;
    private final int patience;
    private final double minDelta;
    /** The model (parameters and layer state) of the best epoch. */
    private final ModelSnapshot best;
    private double bestValue = Double.NaN;
    private int bestEpoch;
    private int lastEpoch;
    private boolean stop;

    /** Early stopping with {@code minDelta = 0}; see {@link #EarlyStopping(Network, Dataset, Metric, int, double)}. */
    public EarlyStopping(Network network, Dataset validation, Metric metric, int patience) {
        this(network, validation, metric, patience, 0.0);
    }

    /**
     * @param network    the network being trained
     * @param validation examples not trained on; labels must fit the network's output and loss
     * @param metric     what to measure
     * @param patience   the number of epochs without improvement after which training stops, {@code >= 1}
     * @param minDelta   the least change that counts as an improvement, finite and {@code >= 0}
     * @throws IllegalArgumentException when an argument is out of range or the validation set does
     *                                  not fit the network
     */
    public EarlyStopping(Network network, Dataset validation, Metric metric, int patience, double minDelta) {
        this.network = Objects.requireNonNull(network, "network");
        this.validation = Objects.requireNonNull(validation, "validation");
        this.metric = Objects.requireNonNull(metric, "metric");
        if (patience < 1) {
            throw new IllegalArgumentException("early stopping patience=" + patience + "; it must be >= 1 epoch");
        }
        if (!(minDelta >= 0.0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("early stopping minDelta=" + minDelta + "; it must be finite and >= 0");
        }
        Access.model().checkLabelsShape(network, validation);
        network.loss().checkLabels(Access.data().y(validation));
        this.patience = patience;
        this.minDelta = minDelta;
        this.best = ModelSnapshot.of(network);
    }

    @Override
    public void onEpochEnd(TrainingContext context) {
        int epoch = context.epoch();
        lastEpoch = epoch;
        double value = metric == Metric.COST ? network.cost(validation) : network.accuracy(validation);
        if (improves(value)) {
            bestValue = value;
            bestEpoch = epoch;
            context.capture(best);
            context.restoreAtEnd(best);
        } else if (epoch - bestEpoch >= patience) {
            stop = true;
            context.requestStop();
        }
    }

    private boolean improves(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (bestEpoch == 0) {
            return true;
        }
        return metric == Metric.COST ? value < bestValue - minDelta : value > bestValue + minDelta;
    }

    /** The epoch whose parameters were the best, from 1; 0 before the first epoch (or when every cost was NaN). */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The metric at {@link #bestEpoch()}, NaN before. */
    public double bestValue() {
        return bestValue;
    }

    /** Whether this listener asked the trainer to stop. */
    public boolean stopped() {
        return stop;
    }

    /** The last epoch measured, 0 before the first. */
    public int lastEpoch() {
        return lastEpoch;
    }
}
