package dev.nnkit.internal;

import dev.nnkit.spi.FloatParameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-parameter float moment buffers of an optimizer's float update, allocated at the first float
 * step and reused after. When the optimizer's state was restored (into its double
 * {@link OptimizerState}), the first float step starts from those values, rounded to float (exact
 * when they were saved from float buffers).
 */
final class FloatOptimizerState {

    private float[][] buffers;

    /** Whether a float step has run (or started from restored state) since the last restore. */
    boolean inUse() {
        return buffers != null;
    }

    /** Forgets the buffers: the next float step starts from the double state (just restored). */
    void reset() {
        buffers = null;
    }

    /** The buffers for these parameters, starting from {@code restored}'s values when it holds any. */
    float[][] of(List<FloatParameter> parameters, OptimizerState restored) {
        if (buffers == null) {
            double[][] from = restored.restored(parameters.size());
            buffers = new float[parameters.size()][];
            for (int p = 0; p < buffers.length; p++) {
                int n = parameters.get(p).value().getNumElements();
                if (from != null && from[p].length != n) {
                    throw new IllegalStateException("restored optimizer state array " + p + " has " + from[p].length
                            + " entries but parameter " + parameters.get(p).name() + " has " + n
                            + "; the state belongs to another network");
                }
                buffers[p] = new float[n];
                for (int k = 0; from != null && k < n; k++) {
                    buffers[p][k] = (float) from[p][k];
                }
            }
        } else if (buffers.length != parameters.size()) {
            throw new IllegalStateException("optimizer state holds " + buffers.length + " parameters but the step gave "
                    + parameters.size() + "; an optimizer instance serves one network");
        }
        return buffers;
    }

    /** Copies of the buffers, widened (exactly) to double. */
    List<double[]> copies() {
        List<double[]> out = new ArrayList<>();
        for (float[] b : buffers) {
            double[] d = new double[b.length];
            for (int k = 0; k < b.length; k++) {
                d[k] = b[k];
            }
            out.add(d);
        }
        return out;
    }
}
