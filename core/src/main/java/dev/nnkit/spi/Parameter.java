package dev.nnkit.spi;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * One learned parameter array of a layer together with the gradient of the cost with respect to
 * it. Both matrices have the same shape and are owned by the layer; the record gives live access
 * (optimizers update {@code value} in place from {@code gradient}).
 *
 * @param name     the name within its layer, e.g. {@code W} or {@code b}
 * @param role     whether it is a weight (initialized by the layer's initializer, penalized by
 *                 regularizers) or a bias (starts at zero, never penalized)
 * @param value    the current values. Modified by optimizers and by the network's setters.
 * @param gradient the gradient of the last backward pass, same shape as {@code value}
 */
public record Parameter(String name, Role role, DMatrixRMaj value, DMatrixRMaj gradient) {

    /** What a parameter array is for. */
    public enum Role {
        /** Multiplies the layer's input: initialized by the initializer, penalized by regularizers. */
        WEIGHT,
        /** Added to the layer's pre-activation: starts at zero, never penalized. */
        BIAS
    }

    /** Refuses a missing component and a gradient whose shape differs from the value's. */
    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(gradient, "gradient");
        if (value.numRows != gradient.numRows || value.numCols != gradient.numCols) {
            throw new IllegalArgumentException("parameter " + name + ": value is (" + value.numRows + ", "
                    + value.numCols + ") but gradient is (" + gradient.numRows + ", " + gradient.numCols
                    + "); they must have the same shape");
        }
    }
}
