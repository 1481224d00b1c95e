package dev.nnkit.spi;

import java.util.List;

/**
 * Updates parameters from their gradients once per training step (MATH §3: plain gradient
 * descent {@code W := W - alpha dW}; momentum, Adam and RMSprop are refinements).
 *
 * <p>The learning rate: the spec's {@code learning_rate} argument is the <em>base</em> rate
 * {@code alpha0}, returned by {@link #baseLearningRate()}. The trainer asks the run's
 * {@link Schedule} for each step's rate from it and passes that rate to {@link #update}; an
 * optimizer uses the rate it is given and keeps no rate of its own between steps. With the default
 * schedule, {@code constant}, every step gets {@code alpha0}.
 *
 * <p>A fresh instance is created for every training run; it may keep per-parameter state (moments)
 * that it allocates at the first call and reuses afterwards, and that a schedule never resets.
 * {@code toString()} returns the spec string, e.g. {@code adam(learning_rate=0.001)}.
 */
public interface Optimizer {

    /**
     * Updates every parameter's {@code value} in place from its {@code gradient}.
     *
     * @param parameters   all parameters of the network, in the same order at every call
     * @param step         the number of this step, starting at 1 (Adam's bias correction uses it)
     * @param learningRate the step's learning rate {@code alpha}, from the schedule: finite and
     *                     {@code >= 0} ({@code 0} moves nothing but still updates the moments)
     */
    void update(List<Parameter> parameters, long step, double learningRate);

    /** The base learning rate {@code alpha0}: the spec's {@code learning_rate}, or the optimizer's default; {@code > 0}. */
    double baseLearningRate();

    /**
     * Copies of the per-parameter state arrays (moments), in a fixed order, for checkpoints; empty
     * for a stateless optimizer or before the first step.
     */
    default List<double[]> state() {
        return List.of();
    }

    /**
     * Restores state captured by {@link #state()} of an optimizer with the same spec, before the
     * first {@link #update} of a resumed run.
     *
     * @param state the arrays, same count and lengths as {@code state()} returned
     * @throws IllegalArgumentException when the count or a length does not fit (an optimizer that learns
     *                                  the parameters' shapes only at its first update may refuse there
     *                                  instead, with an {@link IllegalStateException})
     */
    default void restoreState(List<double[]> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(this + " keeps no state, but " + state.size() + " arrays were given");
        }
    }
}
