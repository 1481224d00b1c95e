package dev.nnkit.internal;

import dev.nnkit.spi.Parameter;
import java.util.ArrayList;
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
        } else {
            for (int p = 0; p < buffers.length; p++) {
                if (buffers[p].length != parameters.get(p).value().getNumElements()) {
                    throw new IllegalStateException("optimizer state array " + p + " has " + buffers[p].length
                            + " entries but parameter " + parameters.get(p).name() + " has "
                            + parameters.get(p).value().getNumElements() + "; the state belongs to another network");
                }
            }
        }
        return buffers;
    }

    /** Copies of the buffers, or nothing before the first step. */
    List<double[]> copies() {
        List<double[]> out = new ArrayList<>();
        if (buffers != null) {
            for (double[] b : buffers) {
                out.add(b.clone());
            }
        }
        return out;
    }

    /** Takes {@code count} arrays from {@code state} starting at {@code from} as the buffers. */
    void restore(List<double[]> state, int from, int count) {
        buffers = new double[count][];
        for (int p = 0; p < count; p++) {
            buffers[p] = state.get(from + p).clone();
        }
    }

    /**
     * The buffers when they hold {@code count} arrays (restored, or from double steps), for a float
     * update to start from; null when there are none.
     */
    double[][] restored(int count) {
        if (buffers == null) {
            return null;
        }
        if (buffers.length != count) {
            throw new IllegalStateException("optimizer state holds " + buffers.length + " parameters but the step gave "
                    + count + "; an optimizer instance serves one network");
        }
        return buffers;
    }
}
