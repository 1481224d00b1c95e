package dev.nnkit.spi;

import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * The parametrized part of one layer: the map from the previous layer's activations
 * {@code A[l-1]} to the pre-activation {@code Z[l]} (SPEC §1), and its backward pass (SPEC §3).
 * The activation and the regularizers of the layer are separate plugins that the network applies
 * around it. The dense layer {@code Z = W A + b} is the one core ships.
 *
 * <p>Life cycle: the registry creates the layer from its spec (e.g. {@code dense(units=4)}); the
 * network then calls {@link #connect} once with the size of its input, initializes every
 * {@link Parameter.Role#WEIGHT} parameter with the layer's initializer and zeroes every
 * {@link Parameter.Role#BIAS}, and from then on calls {@link #forward} and {@link #backward}.
 *
 * <p>{@code forward} must not use mutable scratch state, so that inference may run on several
 * threads at once. {@code toString()} returns the spec string.
 */
public interface Layer {

    /** The number of units {@code n[l]}, i.e. the number of rows of {@code Z[l]}. */
    int units();

    /**
     * Allocates the parameters for an input of {@code inputSize = n[l-1]} rows. Called once,
     * before any other method but {@link #units()}.
     *
     * @throws IllegalArgumentException if the layer cannot take an input of that size
     */
    void connect(int inputSize);

    /** The parameters in a fixed order, with live access to values and gradients. */
    List<Parameter> parameters();

    /**
     * Computes {@code Z[l]} from {@code A[l-1]}.
     *
     * @param input {@code A[l-1]}, {@code (n[l-1], m)}. Not modified.
     * @param z     output {@code Z[l]}, {@code (n[l], m)}, shaped by the caller. Modified.
     */
    void forward(DMatrixRMaj input, DMatrixRMaj z);

    /**
     * Given {@code dZ[l]}, stores the gradients of the cost with respect to the parameters in their
     * {@link Parameter#gradient()} matrices (overwriting them, averaged over the {@code m} columns)
     * and computes {@code dA[l-1]}.
     *
     * @param input  {@code A[l-1]} of the forward pass, {@code (n[l-1], m)}. Not modified.
     * @param dZ     {@code dZ[l]}, {@code (n[l], m)}: per-example gradients (not divided by m). Not modified.
     * @param dInput output {@code dA[l-1]}, {@code (n[l-1], m)}, or {@code null} when the input is the
     *               data and its gradient is not needed. Modified.
     */
    void backward(DMatrixRMaj input, DMatrixRMaj dZ, DMatrixRMaj dInput);
}
