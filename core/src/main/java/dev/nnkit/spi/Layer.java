package dev.nnkit.spi;

import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * One layer of a network: a map from the previous layer's activations {@code A[l-1]}
 * {@code (n[l-1], m)} to this layer's pre-activation {@code Z[l]} {@code (n[l], m)}, with its
 * backward pass (MATH §1, §3). The activation {@code A[l] = g(Z[l])} and the regularizers of the
 * position are separate plugins that the network applies after it. Core ships {@code dense}
 * ({@code Z = W A + b}); batch normalization ({@code batch_norm}) is a plugin module like any other.
 *
 * <p><b>Life cycle.</b> The registry makes an instance from the spec string; the network then calls
 * {@link #outputSize} and {@link #connect} once with the size of its input, {@link #initialize}
 * once, and from then on {@link #forward} and {@link #backward}, each with a {@link StepContext}.
 *
 * <p><b>Modes.</b> The context says why a pass runs. In {@link StepContext.Mode#TRAINING} and
 * {@link StepContext.Mode#CHECKING} a layer uses the batch (e.g. batch statistics); in
 * {@link StepContext.Mode#INFERENCE} it uses only its parameters and {@link #state()}. Only
 * {@code TRAINING} may change the state.
 *
 * <p><b>Threads and memory.</b> An inference-mode {@code forward} may run on several threads at once
 * with different contexts: it must change no field of the layer. Anything a pass needs besides
 * its parameters (normalized inputs, masks, partial sums) goes in
 * {@linkplain StepContext#buffer context buffers}, which keep their contents from forward to
 * backward within one step; so the steady-state training step allocates nothing.
 *
 * <p>{@code toString()} returns the spec string, e.g. {@code dense(units=4)}.
 */
public interface Layer {

    /**
     * The number of units {@code n[l]} this layer has on an input of {@code inputSize} rows (e.g.
     * its {@code units} argument for dense, {@code inputSize} for batch normalization). A pure
     * function, callable before {@link #connect}.
     */
    int outputSize(int inputSize);

    /**
     * How many values {@link #connect} allocates for its parameters and state on an input of
     * {@code inputSize} rows (gradients not counted). Model files bound what a hostile file can make
     * the reader allocate with it, before connecting anything. The default,
     * {@code outputSize * (inputSize + 1)}, fits a layer with a weight matrix and a bias; a layer with
     * fewer values (batch normalization: {@code 4 n}) should say so, or a wide one may be refused.
     */
    default long parameterCount(int inputSize) {
        return (long) outputSize(inputSize) * (inputSize + 1L);
    }

    /**
     * Allocates the parameters and state for an input of {@code inputSize = n[l-1]} rows. Called
     * once, before every method but {@link #outputSize}.
     *
     * @throws IllegalArgumentException if the layer cannot take an input of that size
     */
    void connect(int inputSize);

    /**
     * Sets every parameter and state array to its starting value: typically the configured
     * {@code initializer} for a weight matrix ({@code initializer.initialize(W, random)}), zero for
     * a bias or shift, one for a scale, zero mean and unit variance for running statistics. The
     * network calls it layer by layer with one generator seeded from the network's seed, so the
     * draws must depend only on the shapes, the arguments and {@code random}.
     *
     * @param initializer the initializer configured for this layer's weights
     * @param random      the network's initialization stream, shared with the other layers
     */
    void initialize(Initializer initializer, RandomGenerator random);

    /** The trainable parameters in a fixed order, with live access to values and gradients. */
    List<Parameter> parameters();

    /**
     * The non-trainable state in a fixed order (live), saved and restored with the model; empty for
     * a layer without state. Must not change between calls.
     */
    default List<StateArray> state() {
        return List.of();
    }

    /**
     * Computes {@code Z[l]} from {@code A[l-1]}.
     *
     * @param input   {@code A[l-1]}, {@code (n[l-1], m)}. Not modified.
     * @param output  {@code Z[l]}, {@code (n[l], m)}, shaped by the caller. Modified; never the same object as input.
     * @param context the mode, random stream, buffers and matrix products of this pass
     */
    void forward(DMatrixRMaj input, DMatrixRMaj output, StepContext context);

    /**
     * Given {@code dZ[l]}, stores the gradient of the cost with respect to each parameter in its
     * {@link Parameter#gradient()} (overwriting it, averaged over the {@code m} columns) and, when
     * {@link StepContext#needsInputGradient()}, computes {@code dA[l-1]}. Called after the
     * {@link #forward} of the same step with the same context.
     *
     * @param input   {@code A[l-1]} of the forward pass, {@code (n[l-1], m)}. Not modified.
     * @param output  {@code Z[l]} of the forward pass, {@code (n[l], m)}. Not modified.
     * @param dOutput {@code dZ[l]}, {@code (n[l], m)}: per-example gradients, {@code m dJ/dZ[l]}. Not modified.
     * @param dInput  output {@code dA[l-1]}, {@code (n[l-1], m)} in the same per-example scale, shaped
     *                by the caller. Modified only when the context needs the input gradient;
     *                otherwise an empty {@code (0, 0)} matrix that must not be written.
     * @param context the context of the forward pass
     */
    void backward(DMatrixRMaj input, DMatrixRMaj output, DMatrixRMaj dOutput, DMatrixRMaj dInput, StepContext context);
}
