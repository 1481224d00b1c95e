package dev.nnkit.internal;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.PluginSpec;
import org.ejml.data.DMatrixRMaj;

/** Pieces shared by the built-in losses. */
final class Losses {

    private Losses() {
    }

    /** {@code out = a - y}, element-wise. */
    static void difference(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj out) {
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            out.data[k] = a.data[k] - y.data[k];
        }
    }

    /**
     * Refuses an output activation other than the one a fused loss is derived for. The check is by
     * the activation's spec name, the registry's identity of a plugin.
     */
    static void requireOutput(Loss loss, Activation output, String required) {
        String actual = PluginSpec.parse(String.valueOf(output)).name();
        if (!actual.equals(required)) {
            throw new IllegalArgumentException(loss + " needs a " + required + " output layer, but the output activation is "
                    + output + "; use activation " + required + " on the last layer"
                    + (required.equals("sigmoid") ? ", or softmax_cross_entropy / mean_squared_error as the loss" : ""));
        }
    }
}
