package dev.nnkit.training;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.internal.Access;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one training loop, the same for every combination of plugins (MATH §3, DESIGN "Training"):
 * for each epoch, shuffle (mini-batches only), then for each batch: forward, cost plus
 * regularization penalties, backward, regularization gradients, the step's learning rate from the
 * {@linkplain dev.nnkit.spi.Schedule schedule}, optimizer step, listeners.
 *
 * <pre>{@code
 * TrainingHistory history = new Trainer(Hyperparameters.defaults()
 *         .withOptimizer("sgd(learning_rate=1.2)").withEpochs(10_000))
 *     .listener(new CostLogger(1000))
 *     .fit(network, data);
 * }</pre>
 *
 * <p><b>The run belongs to the trainer.</b> The network holds only the model (parameters and layer
 * state). Everything else a run needs — batch buffers, the example order, the copy of the last good
 * model, the step counter, the optimizer and its moments, the schedule — lives in a session the
 * trainer makes for the network, and its listeners see it through a read-only
 * {@link TrainingContext}, through which they request actions (stop, restore a snapshot) instead
 * of changing the network. The learning rate of step {@code t} is
 * {@code schedule(alpha0, t, epoch, stepsPerEpoch)}, {@code alpha0} being the optimizer spec's
 * {@code learning_rate}; the optimizer's moments carry across the whole run whatever the schedule
 * does.
 *
 * <p><b>One fit per network at a time.</b> While a network trains, a second {@code fit} or
 * {@code resume} of it (from any thread, any trainer) fails at once with an
 * {@link IllegalStateException} naming the network and the thread training it, and other threads'
 * predictions are refused (see {@link Network}). Different networks may train at once, also with one
 * trainer.
 *
 * <p>Deterministic: the {@linkplain Hyperparameters#seed() seed} drives shuffling and dropout (each
 * epoch's draws depend only on the seed and the epoch number), the network's seed its
 * initialization, and a schedule is a pure function of the position, so the same seeds give
 * bit-identical parameters, and a run resumed from a checkpoint continues exactly as the
 * uninterrupted one would. When a cost is NaN or infinite, training stops with a
 * {@link TrainingDivergedException} and the network keeps the parameters of the last finite step.
 *
 * <p>Memory: everything a run needs is allocated when {@code fit} starts, so a training step
 * allocates nothing. The trainer keeps the session of its last run and reuses it when it trains the
 * same network again, so that a second {@code fit} allocates none of its buffers. Mini-batches are
 * copied from the data set into reused double buffers, so the data set may keep its features
 * compactly ({@link Dataset#ofFloatRows}, {@link Dataset#ofUnsignedByteRows}); full-batch training
 * uses the data set's double matrix (built once per {@code fit} when the features are compact).
 * A trainer may be shared between threads training different networks; its listeners then see
 * both runs, so give each run listeners of its own.
 */
public final class Trainer {

    private final Hyperparameters hyperparameters;
    private final List<TrainingListener> listeners = new ArrayList<>();
    /** The session of the last run, reused by the next run on the same network. */
    private TrainingSession kept;

    /** A trainer with these settings and no listeners. */
    public Trainer(Hyperparameters hyperparameters) {
        this.hyperparameters = Objects.requireNonNull(hyperparameters, "hyperparameters");
    }

    /** Adds a listener, called in the order added. */
    public Trainer listener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** The settings. */
    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /**
     * Trains {@code network} on {@code data} in place, from epoch 1.
     *
     * @return the cost of every step and epoch
     * @throws IllegalArgumentException    when the data does not fit the network or the loss
     * @throws dev.nnkit.spi.PluginException   when the optimizer or schedule spec names no plugin of the
     *                                     network's registry or has a wrong argument
     * @throws IllegalStateException       when the network is being trained by another {@code fit},
     *                                     or the schedule gives a rate that is not finite and {@code >= 0}
     * @throws TrainingDivergedException   when a cost becomes NaN or infinite
     */
    public TrainingHistory fit(Network network, Dataset data) {
        return run(network, data, null);
    }

    /**
     * Continues a run from a state captured after one of its epochs (by a checkpoint), on a
     * network holding the parameters of that moment: trains the remaining epochs up to
     * {@link Hyperparameters#epochs()} of this trainer. With the same data, the result is bit for
     * bit the one of an uninterrupted run.
     *
     * @throws IllegalArgumentException when the state was made with other hyperparameters than
     *                                  this trainer's (apart from the number of epochs) or does not
     *                                  fit the network's optimizer
     */
    public TrainingHistory resume(Network network, Dataset data, TrainingState state) {
        Objects.requireNonNull(state, "state");
        Hyperparameters saved = state.hyperparameters().withEpochs(hyperparameters.epochs());
        if (!saved.equals(hyperparameters)) {
            throw new IllegalArgumentException("the training state was saved with " + state.hyperparameters()
                    + " but this trainer has " + hyperparameters + "; only the number of epochs may differ");
        }
        return run(network, data, state);
    }

    private TrainingHistory run(Network network, Dataset data, TrainingState resumeFrom) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(data, "data");
        Access.model().startTraining(network); // a second fit of this network fails here, at once
        TrainingSession session = null;
        try {
            Access.model().checkLabelsShape(network, data);
            network.loss().checkLabels(Access.data().y(data));
            Optimizer optimizer = Access.model().registry(network).create(Optimizer.class, hyperparameters.optimizer());
            Schedule schedule = Access.model().registry(network).create(Schedule.class, hyperparameters.schedule());
            boolean reused;
            synchronized (this) {
                reused = kept != null && kept.network == network;
            }
            if (!reused) {
                int batch = hyperparameters.batchSize() == 0 ? data.size() : Math.min(hyperparameters.batchSize(), data.size());
                Network.requireHeap(network.trainingMemoryEstimate(batch), "training " + network + " on batches of "
                        + batch + " (a copy of the parameters, the optimizer's moments and the batch's activations)");
            }
            session = session(network);
            TrainingHistory history = new TrainingHistory();
            session.run(hyperparameters, optimizer, schedule, resumeFrom, data, history, listeners);
            return history;
        } finally {
            if (session != null) {
                synchronized (this) {
                    kept = session;
                }
            }
            Access.model().finishTraining(network);
        }
    }

    /** The session this trainer kept from its last run on {@code network}, or a new one. */
    private TrainingSession session(Network network) {
        synchronized (this) {
            TrainingSession reused = kept != null && kept.network == network ? kept : null;
            kept = null; // a concurrent run of another network on this trainer makes its own
            return reused != null ? reused : new TrainingSession(network);
        }
    }
}
