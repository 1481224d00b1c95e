package dev.nnkit.training;

import dev.nnkit.Hyperparameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a training run stands after a whole number of epochs: enough, with the network's
 * parameters, to resume it so that training 10 epochs equals training 5 and resuming for 5, bit
 * for bit (the trainer derives each epoch's shuffling and dropout from the seed and the epoch
 * number, and the learning-rate schedule is a pure function of the step and epoch, so no generator
 * or schedule state needs saving). A listener gets it from {@link TrainingContext#state()}.
 *
 * @param hyperparameters the settings of the run
 * @param epochsDone      the number of completed epochs, {@code >= 0}
 * @param stepsDone       the number of optimizer steps taken, {@code >= 0}
 * @param optimizerState  copies of the optimizer's state arrays (e.g. Adam's moments), in the
 *                        optimizer's order; empty for a stateless optimizer or before the first step
 */
public record TrainingState(Hyperparameters hyperparameters, int epochsDone, long stepsDone,
                            List<double[]> optimizerState) {

    /** Refuses negative counts and keeps copies of the optimizer state. */
    public TrainingState {
        Objects.requireNonNull(hyperparameters, "hyperparameters");
        if (epochsDone < 0 || stepsDone < 0) {
            throw new IllegalArgumentException("epochsDone=" + epochsDone + ", stepsDone=" + stepsDone
                    + "; both must be >= 0");
        }
        List<double[]> copy = new ArrayList<>();
        for (double[] array : optimizerState) {
            copy.add(array.clone());
        }
        optimizerState = List.copyOf(copy);
    }

    /** The optimizer state arrays (copies; modifying them does not change this value). */
    @Override
    public List<double[]> optimizerState() {
        List<double[]> copy = new ArrayList<>();
        for (double[] array : optimizerState) {
            copy.add(array.clone());
        }
        return copy;
    }
}
