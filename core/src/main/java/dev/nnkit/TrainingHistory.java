package dev.nnkit;

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
     * Makes room for a run of {@code steps} steps and {@code epochs} epochs up front, so that
     * recording never reallocates during training (capped at 2^24 steps; beyond, it grows).
     */
    void reserve(long steps, int epochs) {
        int wantSteps = (int) Math.min(stepCount + steps, 1 << 24);
        if (wantSteps > this.steps.length) {
            this.steps = Arrays.copyOf(this.steps, wantSteps);
        }
        int wantEpochs = (int) Math.min((long) epochCount + epochs, 1 << 24);
        if (wantEpochs > this.epochs.length) {
            this.epochs = Arrays.copyOf(this.epochs, wantEpochs);
        }
    }

    @Override
    public void onStep(long step, int epoch, double cost) {
        if (stepCount == steps.length) {
            steps = Arrays.copyOf(steps, steps.length * 2);
        }
        steps[stepCount++] = cost;
    }

    @Override
    public void onEpochEnd(int epoch, double meanCost) {
        if (epochCount == epochs.length) {
            epochs = Arrays.copyOf(epochs, epochs.length * 2);
        }
        epochs[epochCount++] = meanCost;
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
