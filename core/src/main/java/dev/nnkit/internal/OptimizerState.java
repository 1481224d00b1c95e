package dev.nnkit.internal;

import dev.nnkit.spi.Parameter;
import java.util.List;

/**
 * Per-parameter moment buffers of an optimizer, allocated at the first step and reused after, as
 * one {@code double[]} per parameter with the layout of its value.
 */
final class OptimizerState {

    private double[][] buffers;

    /** The buffers for these parameters; allocated once, then checked to still fit. */
    double[][] of(List<Parameter> parameters) {
        if (buffers == null) {
            buffers = new double[parameters.size()][];
            for (int p = 0; p < buffers.length; p++) {
                buffers[p] = new double[parameters.get(p).value().getNumElements()];
            }
        } else if (buffers.length != parameters.size()) {
            throw new IllegalStateException("optimizer state holds " + buffers.length + " parameters but the step gave "
                    + parameters.size() + "; an optimizer instance serves one network");
        }
        return buffers;
    }
}
