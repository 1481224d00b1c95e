package dev.nnkit.spi;

import java.util.List;
import org.ejml.data.FMatrixRMaj;

/**
 * The single-precision forward and backward pass of a {@link Layer}: a capability the layer
 * implements besides {@link Layer} when it has a float kernel, detected with {@code instanceof}
 * (the design of float32 training is in {@link FloatActivation}). Same shapes, modes and rules as
 * {@link Layer#forward} and {@link Layer#backward}, on float matrices; products go through
 * {@link StepContext#floatOps()} and scratch through {@link StepContext#floatBuffer}.
 *
 * <p><b>Parameters.</b> {@link #floatParameters()} are the layer's own float arrays, in the order,
 * with the names, roles and shapes of {@link Layer#parameters()}. In a float32 network they are
 * what the forward and backward passes read and the optimizer updates: a float pass must read
 * only them, never the double {@link Layer#parameters()}, which the network brings up to date only
 * when something outside the step reads them (saving, snapshots, the double getters, the double
 * passes of a gradient checker) and which may be behind the floats inside a training step. The
 * network rounds the double values into the float arrays after the layer is initialized and
 * whenever the doubles are written (set, loaded, restored). The layer never copies between the
 * two itself. Non-trainable {@link Layer#state()} stays double and is read and written by the
 * float passes as by the double ones.
 *
 * <p><b>Without this capability</b> a layer still works in a float32 network: core keeps float
 * copies of its parameters for the optimizer and copies them into the layer's double parameters
 * after every update, widens the layer's input and {@code dZ} into double scratch, runs its double
 * passes, and rounds {@code Z}, {@code dA[l-1]} and the gradients back: four to six passes over
 * the layer's activations and two over its parameters per step, on top of the double arithmetic.
 */
public interface FloatLayer {

    /**
     * The float parameters, live, aligned with {@link Layer#parameters()}; allocated at the first
     * call (after {@link Layer#connect}) and the same list at every later call.
     */
    List<FloatParameter> floatParameters();

    /** {@code Z[l]} from {@code A[l-1]} in float, as {@link Layer#forward}. Modified: {@code output}. */
    void forward(FMatrixRMaj input, FMatrixRMaj output, StepContext context);

    /**
     * The float gradients and, when the context needs it, {@code dA[l-1]}, as
     * {@link Layer#backward}. Modified: the float gradients and {@code dInput}.
     */
    void backward(FMatrixRMaj input, FMatrixRMaj output, FMatrixRMaj dOutput, FMatrixRMaj dInput, StepContext context);
}
