package dev.nnkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;

/**
 * Every matrix of one traced training step ({@link Network#traceStep}), named as the notes name
 * them, for layers {@code l = 1..L}: {@code Z[l]}, {@code A[l]} (after dropout, what layer
 * {@code l+1} received), the dropout mask {@code D[l]}, {@code dA[l]} (after the mask's backward,
 * just before {@code dZ[l] = dA[l] * g'(Z[l])}), {@code dZ[l]}, and the gradient of each parameter
 * ({@code dW[l]}, {@code db[l]}, or {@code dgamma[l]} for batch normalization). Gradients
 * {@code dA}, {@code dZ} are per example ({@code m dJ/dZ}), parameter gradients averaged, as in the
 * notes. Every matrix is a copy owned by the trace.
 *
 * @param cost   the cost {@code J} of the step, penalties included
 * @param layers index {@code l - 1} holds layer {@code l}
 */
public record StepTrace(double cost, List<LayerTrace> layers) {

    /** Keeps an unmodifiable copy of the list. */
    public StepTrace {
        layers = List.copyOf(layers);
    }

    /**
     * One layer's matrices.
     *
     * @param z         {@code Z[l]}
     * @param a         {@code A[l]}, after the layer's transforms
     * @param mask      {@code D[l]}, or null when the layer has no active transform
     * @param dA        {@code dA[l]}, or null for an output layer on the fused path ({@code dZ = A - Y} directly)
     * @param dZ        {@code dZ[l]}
     * @param gradients each parameter's gradient by name, in the layer's order
     */
    public record LayerTrace(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj mask, DMatrixRMaj dA, DMatrixRMaj dZ,
                             Map<String, DMatrixRMaj> gradients) {

        /** Keeps an unmodifiable copy of the gradients. */
        public LayerTrace {
            gradients = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gradients));
        }
    }

    /** {@code Z[l]}. */
    public DMatrixRMaj z(int l) {
        return layer(l).z();
    }

    /** {@code A[l]}. */
    public DMatrixRMaj a(int l) {
        return layer(l).a();
    }

    /** {@code D[l]}, when layer {@code l} has dropout (an active activation transform). */
    public Optional<DMatrixRMaj> d(int l) {
        return Optional.ofNullable(layer(l).mask());
    }

    /** {@code dA[l]}; empty for the output layer on a fused loss. */
    public Optional<DMatrixRMaj> dA(int l) {
        return Optional.ofNullable(layer(l).dA());
    }

    /** {@code dZ[l]}. */
    public DMatrixRMaj dZ(int l) {
        return layer(l).dZ();
    }

    /** The gradient of parameter {@code name} of layer {@code l}, e.g. {@code gradient(2, "W")} is {@code dW[2]}. */
    public DMatrixRMaj gradient(int l, String name) {
        DMatrixRMaj g = layer(l).gradients().get(name);
        if (g == null) {
            throw new IllegalArgumentException("layer " + l + " has no parameter '" + name + "'; it has "
                    + layer(l).gradients().keySet());
        }
        return g;
    }

    private LayerTrace layer(int l) {
        if (l < 1 || l > layers.size()) {
            throw new IllegalArgumentException("layer " + l + " does not exist; layers are numbered 1.." + layers.size());
        }
        return layers.get(l - 1);
    }
}
