package dev.nnkit.spi;

import java.util.List;

/**
 * The single-precision update of an {@link Optimizer}: a capability the optimizer implements
 * besides {@link Optimizer} when it has a float kernel, detected with {@code instanceof} (the
 * design of float32 training is in {@link FloatActivation}). Same contract as
 * {@link Optimizer#update}: the parameters' values are updated in place from their gradients at
 * the given rate, with no allocation after the first step; moment buffers are float.
 *
 * <p>State: {@link Optimizer#state()} and {@link Optimizer#restoreState} cover the float buffers
 * too, as {@code double[]} arrays — every float is exact in double, so a checkpoint of a float32
 * run restores bit for bit, and checkpoints keep one format. An optimizer without this capability
 * still works in a float32 network: core widens the values and gradients into double mirrors, runs
 * its double update (its state stays double) and rounds the values back, four passes over the
 * parameters per step.
 */
public interface FloatOptimizer {

    /**
     * Updates every parameter's value in place from its gradient, as {@link Optimizer#update}
     * (named apart from it: the two lists have the same erasure).
     *
     * @param parameters   the network's parameters in a fixed order, the same list at every step
     * @param step         the 1-based step number (for bias corrections)
     * @param learningRate the rate of this step, {@code > 0}
     */
    void floatUpdate(List<FloatParameter> parameters, long step, double learningRate);
}
