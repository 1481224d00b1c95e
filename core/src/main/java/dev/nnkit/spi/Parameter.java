package dev.nnkit.spi;

import java.util.Objects;
import org.ejml.data.DMatrixRMaj;

/**
 * One learned parameter array of a layer together with the gradient of the cost with respect to
 * it. Both matrices have the same shape and are owned by the layer; the record gives live access
 * (optimizers update {@code value} in place from {@code gradient}). How a parameter starts is the
 * layer's decision ({@link Layer#initialize}); the role says how the rest of the kit treats it.
 *
 * @param name     the name within its layer, e.g. {@code W}, {@code b}, {@code gamma}
 * @param role     what the parameter does, which decides whether weight penalties apply to it
 * @param value    the current values. Modified by optimizers and by the network's setters.
 * @param gradient the gradient of the last backward pass, same shape as {@code value}
 */
public record Parameter(String name, Role role, DMatrixRMaj value, DMatrixRMaj gradient) {

    /** What a parameter array is for. */
    public enum Role {
        /** Multiplies the layer's input (e.g. {@code W}): the only role weight penalties (L2) act on. */
        WEIGHT,
        /** Is added to the layer's output (a bias {@code b}, a shift {@code beta}): never penalized. */
        BIAS,
        /** Multiplies a normalized output (a scale {@code gamma}): never penalized. */
        SCALE
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
