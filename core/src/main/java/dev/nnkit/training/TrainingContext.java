package dev.nnkit.training;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.io.ModelFile;

/**
 * What a {@link TrainingListener} sees of a running {@code fit}: where the run is, what the last
 * step did, the network to read, and the actions a listener may request. One context per run,
 * updated in place (it allocates nothing per step); valid only during the listener call that
 * receives it, on the training thread.
 *
 * <p><b>Reading.</b> Positions count from 1 and continue across a resumed run. After a step
 * ({@link TrainingListener#onStep}) {@link #step()} is that step and {@link #epoch()} its epoch;
 * at the end of an epoch ({@link TrainingListener#onEpochEnd}) {@link #step()} is the epoch's last
 * step. The network may be read on the training thread — {@link Network#predict},
 * {@link Network#cost}, {@link Network#accuracy}, {@link Network#parameter} — e.g. to measure a
 * validation set; other threads are refused while the run lasts.
 *
 * <p><b>Requesting.</b> A listener does not change the network; it asks the run, which acts at
 * defined moments:
 * <ul>
 *   <li>{@link #requestStop()}: the run ends after the current epoch (after every listener's
 *       {@code onEpochEnd} of that epoch), then {@code onTrainingEnd} is called as usual;</li>
 *   <li>{@link #capture(ModelSnapshot)} copies the network's parameters and layer state into a
 *       snapshot the listener owns (allocated once with {@link ModelSnapshot#of});
 *       {@link #restoreAtEnd(ModelSnapshot)} asks the run to copy it back into the network when
 *       it ends: after every listener's {@code onTrainingEnd} (which therefore still sees the
 *       parameters of the last step, e.g. for a final checkpoint), before {@code fit} returns.
 *       This is how {@link EarlyStopping} restores the best epoch.</li>
 * </ul>
 */
public interface TrainingContext {

    /** The network being trained: read it, do not change it (request changes through this context). */
    Network network();

    /** The run's settings. */
    Hyperparameters hyperparameters();

    /** The number of the last step taken, from 1; before the first step of a run, the steps done before it (0, or a resumed run's count). */
    long step();

    /** The epoch of the last step (in {@code onEpochEnd}, the epoch that ended), from 1; before the first step, the epochs done. */
    int epoch();

    /** The number of steps in every epoch of this run, {@code ceil(m / batch size)}. */
    int stepsPerEpoch();

    /** The learning rate the last step used, from the run's schedule; NaN before the first step. */
    double learningRate();

    /** The cost {@code J} of the last step's batch, before its update, penalties included; NaN before the first step. */
    double stepCost();

    /**
     * The mean cost of the current epoch's steps so far, weighted by batch size: in
     * {@code onEpochEnd}, the epoch's mean cost. NaN before the epoch's first step.
     */
    double epochCost();

    /**
     * Where the run stands after the epoch that ended last, to save with {@link ModelFile#save(Network,
     * TrainingState, java.nio.file.Path)} and {@linkplain Trainer#resume resume} from. Copies the
     * optimizer's state, so call it only when saving: in {@code onEpochEnd} or {@code onTrainingEnd}.
     *
     * @throws IllegalStateException during an epoch (in {@code onStep}), where no whole-epoch state exists
     */
    TrainingState state();

    /**
     * Copies the network's parameters and layer state (of this moment) into {@code snapshot}.
     *
     * @throws IllegalArgumentException when the snapshot was made for another network
     */
    void capture(ModelSnapshot snapshot);

    /**
     * Asks the run to copy {@code snapshot} into the network when it ends (after every listener's
     * {@code onTrainingEnd}). The snapshot's content at that moment is restored, so a listener may
     * request once and capture again later. Requests are performed in the order made (the last one
     * wins); none is performed when training fails (e.g. diverges).
     *
     * @throws IllegalArgumentException when the snapshot was made for another network
     * @throws IllegalStateException    when nothing was captured into it yet
     */
    void restoreAtEnd(ModelSnapshot snapshot);

    /** Ends the run after the current epoch (after every listener's {@code onEpochEnd} of it). */
    void requestStop();

    /** Whether a listener requested the stop. */
    boolean stopRequested();
}
