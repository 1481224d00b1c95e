package dev.nnkit.spi;

import java.util.List;

/**
 * Updates parameters from their gradients once per training step (SPEC §3: plain gradient
 * descent {@code W := W - alpha dW}; momentum, Adam and RMSprop are refinements).
 *
 * <p>A fresh instance is created for every training run; it may keep per-parameter state (moments)
 * that it allocates at the first call and reuses afterwards. {@code toString()} returns the spec
 * string, e.g. {@code adam(learning_rate=0.001)}.
 */
public interface Optimizer {

    /**
     * Updates every parameter's {@code value} in place from its {@code gradient}.
     *
     * @param parameters all parameters of the network, in the same order at every call
     * @param step       the number of this step, starting at 1 (Adam's bias correction uses it)
     */
    void update(List<Parameter> parameters, long step);

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
