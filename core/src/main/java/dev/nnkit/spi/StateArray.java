package dev.nnkit.spi;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * One array of a layer's non-trainable state, e.g. batch normalization's running mean: not
 * touched by optimizers or regularizers, updated by the layer itself in
 * {@link StepContext.Mode#TRAINING} passes, saved and restored with the model and its checkpoints.
 *
 * @param name  the name within its layer, letters, digits and {@code _}, e.g. {@code running_mean}
 * @param value the values, owned by the layer (live access). Modified by the layer and by loading.
 */
public record StateArray(String name, DMatrixRMaj value) {

    /** Refuses a missing component. */
    public StateArray {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
