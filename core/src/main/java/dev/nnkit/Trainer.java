package dev.nnkit;

import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;

/**
 * The one training loop, the same for every combination of plugins (SPEC §3, DESIGN "Training"):
 * for each epoch, shuffle (mini-batches only), then for each batch: forward, cost plus
 * regularization penalties, backward, regularization gradients, optimizer step, listeners.
 *
 * <pre>{@code
 * TrainingHistory history = new Trainer(Hyperparameters.defaults()
 *         .withOptimizer("sgd(learning_rate=1.2)").withEpochs(10_000))
 *     .listener(new CostLogger(1000))
 *     .fit(network, data);
 * }</pre>
 *
 * <p>Deterministic: the {@linkplain Hyperparameters#seed() seed} drives shuffling and dropout (each
 * epoch's draws depend only on the seed and the epoch number), the network's seed its
 * initialization, so the same seeds give bit-identical parameters, and a run resumed from a
 * checkpoint continues exactly as the uninterrupted one would. When a cost
 * is NaN or infinite, training stops with a {@link TrainingDivergedException} and the network keeps
 * the parameters of the last finite step.
 *
 * <p>Memory: everything a run needs is allocated when {@code fit} starts, so a training step
 * allocates nothing. The batch buffers and the copy of the last good parameters belong to the
 * network and are reused by its next {@code fit}. Mini-batches are copied from the data set into reused double buffers, so
 * the data set may keep its features compactly ({@link Dataset#ofFloatRows},
 * {@link Dataset#ofUnsignedByteRows}); full-batch training uses the data set's double matrix
 * (built once per {@code fit} when the features are compact).
 */
public final class Trainer {

    private final Hyperparameters hyperparameters;
    private final List<TrainingListener> listeners = new ArrayList<>();

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
        Hyperparameters saved = state.hyperparameters().withEpochs(hyperparameters.epochs());
        if (!saved.equals(hyperparameters)) {
            throw new IllegalArgumentException("the training state was saved with " + state.hyperparameters()
                    + " but this trainer has " + hyperparameters + "; only the number of epochs may differ");
        }
        return run(network, data, state);
    }

    private TrainingHistory run(Network network, Dataset data, TrainingState resumeFrom) {
        network.checkLabelsShape(data);
        network.loss().checkLabels(data.y());
        Optimizer optimizer = network.registry().create(Optimizer.class, hyperparameters.optimizer());
        int firstEpoch = 1;
        long stepsDone = 0;
        if (resumeFrom != null) {
            optimizer.restoreState(resumeFrom.optimizerState());
            firstEpoch = resumeFrom.epochsDone() + 1;
            stepsDone = resumeFrom.stepsDone();
        }
        int m = data.size();
        int batch = hyperparameters.batchSize() == 0 ? m : Math.min(hyperparameters.batchSize(), m);
        boolean fullBatch = batch == m;
        int epochsToRun = Math.max(0, hyperparameters.epochs() - firstEpoch + 1);
        TrainingHistory history = new TrainingHistory();
        history.reserve((long) epochsToRun * ((m + batch - 1) / batch), epochsToRun);
        List<TrainingListener> all = new ArrayList<>(listeners);
        all.add(0, history);
        TrainingBuffers buffers = network.trainingBuffers();
        int[] order = buffers.order(m);
        // full batch: the data set itself (built once when its features are compact); else reused buffers
        DMatrixRMaj xBatch = fullBatch ? data.x() : buffers.xBatch;
        DMatrixRMaj yBatch = fullBatch ? data.y() : buffers.yBatch;
        List<Parameter> parameters = network.parameters();
        List<DMatrixRMaj> model = network.modelArrays();
        Snapshot lastGood = new Snapshot(model, buffers.copies(model));
        // re-seeded in place every epoch, so that an epoch allocates nothing
        SplitMix epochRandom = new SplitMix(0);
        SplitMix shuffling = new SplitMix(0);
        SplitMix dropout = new SplitMix(0);
        if (buffers.step == null) {
            buffers.step = Step.training(dropout);
        }
        Step step = buffers.step;
        step.random(dropout);
        EpochState state = new EpochState(hyperparameters, optimizer);

        for (int epoch = firstEpoch; epoch <= hyperparameters.epochs(); epoch++) {
            epochRandom.reset(epochSeed(hyperparameters.seed(), epoch));
            shuffling.splitFrom(epochRandom);
            dropout.splitFrom(epochRandom);
            if (!fullBatch && hyperparameters.shuffle()) {
                for (int k = 0; k < m; k++) {
                    order[k] = k;
                }
                Dataset.shuffle(order, shuffling);
            } else if (epoch == firstEpoch) {
                for (int k = 0; k < m; k++) {
                    order[k] = k;
                }
            }
            double epochCost = 0.0;
            for (int from = 0; from < m; from += batch) {
                int to = Math.min(m, from + batch);
                if (!fullBatch) {
                    data.gather(order, from, to, xBatch, yBatch);
                }
                double cost = network.forwardBackward(xBatch, yBatch, step);
                stepsDone++;
                if (!Double.isFinite(cost)) {
                    throw diverged(lastGood, model, stepsDone, epoch, cost);
                }
                lastGood.save(model, stepsDone, cost);
                optimizer.update(parameters, stepsDone);
                for (int k = 0; k < all.size(); k++) { // indexed: no iterator in the step
                    all.get(k).onStep(stepsDone, epoch, cost);
                }
                epochCost += cost * (to - from);
            }
            state.epoch = epoch;
            state.step = stepsDone;
            boolean stop = false;
            for (int k = 0; k < all.size(); k++) {
                TrainingListener listener = all.get(k);
                listener.onEpochEnd(epoch, epochCost / m, state);
                stop |= listener.stopRequested();
            }
            if (stop) {
                break;
            }
        }
        if (!lastGood.allFinite(model)) {
            throw diverged(lastGood, model, stepsDone, hyperparameters.epochs(), Double.NaN);
        }
        for (int k = 0; k < all.size(); k++) {
            all.get(k).onTrainingEnd();
        }
        return history;
    }

    /**
     * The seed of one epoch's random stream, a function of the seed and the epoch number only, so
     * that a resumed run draws the same shuffles and dropout masks as an uninterrupted one.
     */
    static long epochSeed(long seed, int epoch) {
        // the finalizer of SplitMix64 spreads (seed, epoch) over the whole 64-bit seed space
        long z = seed + 0x9E3779B97F4A7C15L * epoch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * What {@link TrainingListener#onEpochEnd(int, double, Supplier)} gets: the state after the
     * epoch that just ended, built only when asked. One per run, updated every epoch.
     */
    private static final class EpochState implements Supplier<TrainingState> {
        private final Hyperparameters hyperparameters;
        private final Optimizer optimizer;
        int epoch;
        long step;

        EpochState(Hyperparameters hyperparameters, Optimizer optimizer) {
            this.hyperparameters = hyperparameters;
            this.optimizer = optimizer;
        }

        @Override
        public TrainingState get() {
            return new TrainingState(hyperparameters, epoch, step, optimizer.state());
        }
    }

    private TrainingDivergedException diverged(Snapshot lastGood, List<DMatrixRMaj> model, long step, int epoch,
                                               double cost) {
        lastGood.restore(model);
        return new TrainingDivergedException(step, epoch, cost, lastGood.step, lastGood.cost, hyperparameters.optimizer());
    }

    /**
     * A copy of the model (parameters and layer state) of the last step whose cost was finite, kept
     * in the network's buffers.
     */
    private static final class Snapshot {
        private final double[][] values;
        private long step;
        private double cost = Double.NaN;

        /** Holds the current model arrays in {@code storage} (one array per matrix, of its size). */
        Snapshot(List<DMatrixRMaj> model, double[][] storage) {
            values = storage;
            for (int p = 0; p < values.length; p++) {
                System.arraycopy(model.get(p).data, 0, values[p], 0, values[p].length);
            }
        }

        void save(List<DMatrixRMaj> model, long atStep, double atCost) {
            for (int p = 0; p < values.length; p++) {
                System.arraycopy(model.get(p).data, 0, values[p], 0, values[p].length);
            }
            step = atStep;
            cost = atCost;
        }

        void restore(List<DMatrixRMaj> model) {
            for (int p = 0; p < values.length; p++) {
                System.arraycopy(values[p], 0, model.get(p).data, 0, values[p].length);
            }
        }

        boolean allFinite(List<DMatrixRMaj> model) {
            for (int m = 0; m < model.size(); m++) {
                DMatrixRMaj p = model.get(m);
                double[] d = p.data;
                for (int k = 0, n = p.getNumElements(); k < n; k++) {
                    if (!Double.isFinite(d[k])) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
