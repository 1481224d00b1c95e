package dev.nnkit;

import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Every layer's pre-activation {@code Z[l]} and activation {@code A[l] = g[l](Z[l])} for one
 * forward pass in {@code INFERENCE} or {@code CHECKING} mode (no unit dropped), for diagnostics and
 * gradient checking ({@link Network#forwardTrace(DMatrixRMaj, dev.nnkit.spi.StepContext.Mode)}).
 * {@code A[l]} is the activation's output; the next layer receives it after the layer's activation
 * transforms, which are the identity in these modes for dropout. Index {@code l - 1} holds layer
 * {@code l}; each matrix is {@code (n[l], m)} and owned by the trace.
 *
 * @param preActivations {@code Z[1..L]}
 * @param activations    {@code A[1..L]}
 */
public record ForwardTrace(List<DMatrixRMaj> preActivations, List<DMatrixRMaj> activations) {

    /** Keeps unmodifiable copies of the lists. */
    public ForwardTrace {
        preActivations = List.copyOf(preActivations);
        activations = List.copyOf(activations);
    }

    /** {@code Z[l]}, for {@code l} from 1 to L. */
    public DMatrixRMaj z(int l) {
        return preActivations.get(l - 1);
    }

    /** {@code A[l]}, for {@code l} from 1 to L. */
    public DMatrixRMaj a(int l) {
        return activations.get(l - 1);
    }
}
