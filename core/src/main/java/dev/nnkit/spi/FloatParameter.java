package dev.nnkit.spi;

import java.util.Objects;
import org.ejml.data.FMatrixRMaj;

/**
 * A {@link Parameter} of a float32 network: one learned float array of a layer with the float
 * gradient of the cost with respect to it, same shape, owned by the layer, given live to a
 * {@link FloatOptimizer}.
 *
 * @param name     the name within its layer, e.g. {@code W}, {@code b}
 * @param role     what the parameter does (weight penalties act on {@code WEIGHT} only)
 * @param value    the current values. Modified by optimizers.
 * @param gradient the gradient of the last backward pass, same shape as {@code value}
 */
public record FloatParameter(String name, Parameter.Role role, FMatrixRMaj value, FMatrixRMaj gradient) {

    /** Refuses a missing component and a gradient whose shape differs from the value's. */
    public FloatParameter {
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
