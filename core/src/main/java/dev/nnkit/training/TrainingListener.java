package dev.nnkit.training;

/**
 * Observes a training run. Called on the training thread with the run's {@link TrainingContext},
 * which says where the run is and what the last step did, gives the network for reading, and takes
 * requests (stop after this epoch; restore a snapshot when the run ends). A listener must not
 * change the network itself: the network refuses its setters while it trains, and the run performs
 * what a listener requests at defined moments, so every listener sees the same model.
 *
 * <p>Every method has an empty default, so a listener implements only what it needs:
 * <pre>{@code
 * new Trainer(hp).listener(new TrainingListener() {
 *     public void onEpochEnd(TrainingContext run) {
 *         double accuracy = run.network().accuracy(validation);   // reading is allowed
 *         if (accuracy > 0.99) {
 *             run.requestStop();
 *         }
 *     }
 * }).fit(network, data);
 * }</pre>
 *
 * <p>Listeners are called in the order they were added, after the trainer's own
 * {@link TrainingHistory}. One instance may serve several runs one after the other, not at once.
 */
public interface TrainingListener {

    /** After every optimizer step: {@code context.step()}, {@code stepCost()} and {@code learningRate()} describe it. */
    default void onStep(TrainingContext context) {
    }

    /**
     * After the last step of every epoch: {@code context.epoch()} ended with mean cost
     * {@code context.epochCost()}; {@code context.state()} gives the state to resume from.
     */
    default void onEpochEnd(TrainingContext context) {
    }

    /**
     * Once, after the last epoch (also when a listener requested the stop), before the run performs
     * the restores listeners requested and {@code fit} returns. Not called when training fails.
     */
    default void onTrainingEnd(TrainingContext context) {
    }
}
