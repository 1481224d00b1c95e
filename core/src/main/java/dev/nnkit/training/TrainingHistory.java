package dev.nnkit.training;

import java.util.Arrays;

/**
 * The cost of every step and the mean cost of every epoch of a training run, for plots and
 * tests. The trainer records into one as it goes; a copy of the arrays is returned on request.
 */
public final class TrainingHistory implements TrainingListener {

    private double[] steps = new double[64];
    private int stepCount;
    private double[] epochs = new double[16];
    private int epochCount;

    /** An empty history; the trainer fills one per run, and it can be added as a listener. */
    public TrainingHistory() {
    }

    /**
     * Makes room for a run of {@code steps} steps and {@code epochs} epochs up front, so that a
     * run of up to 65,536 steps never reallocates while it trains; beyond that, or when the run
     * may stop early (e.g. a million epochs with early stopping), the arrays keep doubling.
     */
    void reserve(long steps, int epochs) {
        this.steps = grown(this.steps, stepCount + Math.min(steps, RESERVE_LIMIT));
        this.epochs = grown(this.epochs, epochCount + Math.min(epochs, RESERVE_LIMIT));
    }

    private static final int RESERVE_LIMIT = 1 << 16;

    private static double[] grown(double[] array, long wanted) {
        return wanted > array.length ? Arrays.copyOf(array, (int) wanted) : array;
    }

    @Override
    public void onStep(TrainingContext context) {
        if (stepCount == steps.length) {
            steps = Arrays.copyOf(steps, steps.length * 2);
        }
        steps[stepCount++] = context.stepCost();
    }

    @Override
    public void onEpochEnd(TrainingContext context) {
        if (epochCount == epochs.length) {
            epochs = Arrays.copyOf(epochs, epochs.length * 2);
        }
        epochs[epochCount++] = context.epochCost();
    }

    /** The cost of each step, in order (index 0 is step 1). */
    public double[] stepCosts() {
        return Arrays.copyOf(steps, stepCount);
    }

    /** The mean cost of each epoch, in order (index 0 is epoch 1). */
    public double[] epochCosts() {
        return Arrays.copyOf(epochs, epochCount);
    }

    /** The number of steps recorded. */
    public int stepCount() {
        return stepCount;
    }

    /** The mean cost of the last epoch, or NaN before the first one ends. */
    public double finalCost() {
        return epochCount == 0 ? Double.NaN : epochs[epochCount - 1];
    }
}
