package dev.nnkit;

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
}
