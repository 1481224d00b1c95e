package dev.nnkit;

import java.util.function.Supplier;

/**
 * Observes a training run. Called on the training thread, after the optimizer step; a listener
 * must not change the network. Every method has an empty default, so a listener implements only
 * what it needs.
 */
public interface TrainingListener {

    /**
     * After every optimizer step.
     *
     * @param step  the step number, from 1
     * @param epoch the epoch number, from 1
     * @param cost  the cost {@code J} of the step's batch before the update, penalties included
     */
    default void onStep(long step, int epoch, double cost) {
    }

    /**
     * After the last step of every epoch.
     *
     * @param epoch    the epoch number, from 1
     * @param meanCost the mean of the epoch's batch costs, weighted by batch size
     */
    default void onEpochEnd(int epoch, double meanCost) {
    }

    /**
     * After the last step of every epoch, with the means to capture the state a checkpoint needs.
     * The default calls {@link #onEpochEnd(int, double)}; a checkpointing listener overrides this one.
     *
     * @param state gives the state to resume from after this epoch; calling it copies the
     *              optimizer's state, so call it only when saving: during this call, or in
     *              {@link #onTrainingEnd} for the last epoch (the trainer reuses the supplier,
     *              which always describes the epoch that ended last)
     */
    default void onEpochEnd(int epoch, double meanCost, Supplier<TrainingState> state) {
        onEpochEnd(epoch, meanCost);
    }

    /** Asked after every epoch: {@code true} ends training after this epoch (e.g. early stopping). */
    default boolean stopRequested() {
        return false;
    }

    /** Once, after the last epoch (also when a listener requested the stop), before {@code fit} returns. */
    default void onTrainingEnd() {
    }
}
