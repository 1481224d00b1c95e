package dev.nnkit.spi;

import org.ejml.data.FMatrixRMaj;

/**
 * The single-precision forward and backward pass of an {@link Activation}: a capability the
 * activation implements besides {@link Activation} when it has a float kernel, detected with
 * {@code instanceof}. Same shapes, aliasing rules and contract as {@link Activation} (no
 * allocation, finite output for finite input, no mutable state), on EJML's {@link FMatrixRMaj}.
 * Elementary functions may be evaluated in double on each element and rounded to float (Java has
 * no float {@code exp}); what must not happen is a pass over the matrix in double.
 *
 * <p>Accuracy: for every float input, the output is the double pass's output on the same input
 * within a few units of float roundoff, {@code |a32 - a64| <= 4 u |a64| + 2^-126} with
 * {@code u = 2^-24} (column sums of softmax and the backward's dot product add {@code n u}
 * relative to the sum of magnitudes, for a column of {@code n}).
 *
 * <h2>Float32 training: the design, and why it is this small</h2>
 * A network is either fp64 (the default, what the gradient checker uses) or fp32. In an fp32
 * network every buffer of the step — parameters, their gradients, the optimizer's state, the
 * batch, {@code Z}, {@code A} and their gradients — is a float matrix, and the products are
 * {@link FloatMatrixOps}. Each plugin kind gets at most one optional capability interface like
 * this one, never a second mandatory method set, so that a plugin with only a double kernel keeps
 * working in an fp32 network through an adapter in core that widens at the plugin's boundary:
 * <ul>
 *   <li>products: a backend without {@link FloatMatrixOps} gets its float operands widened into
 *       per-thread double scratch and its product rounded back (three {@code O(size)} passes per
 *       product against {@code O(M N K)} work);</li>
 *   <li>activations (this interface): one without it gets {@code Z} (and {@code A}, {@code dA})
 *       widened into per-thread double scratch and its output rounded back, two to four passes of
 *       {@code n m} elements per call;</li>
 *   <li>losses ({@link FloatLoss}, {@link FloatFusedLoss}): one without them gets {@code A},
 *       {@code Y} (and {@code Z}) widened and its gradient rounded back, three or four passes over
 *       the batch;</li>
 *   <li>optimizers ({@link FloatOptimizer} on {@link FloatParameter}s): one without it gets double
 *       mirrors of the values and gradients, its double update, and the values rounded back, four
 *       passes over the parameters per step; its state stays double, and
 *       {@link Optimizer#state()} reports float state as doubles (exact), so checkpoints keep
 *       one format;</li>
 *   <li>layers ({@link FloatLayer}): one without it runs its double passes on its double
 *       parameters; core keeps float copies for the optimizer, copies them into the doubles after
 *       every update, widens its input and {@code dZ} and rounds {@code Z}, {@code dA[l-1]} and
 *       its gradients back;</li>
 *   <li>activation transforms ({@link FloatActivationTransform}, dropout): one without it gets the
 *       activations and their gradient widened and its results rounded back;</li>
 *   <li>weight penalties (L2) have no float capability: their gradient is added in double on the
 *       network's double copy of the weights (the same values) and rounded once, two passes over
 *       the penalized weights per step.</li>
 * </ul>
 * Capabilities rather than a generic matrix type: the SPI's existing double signatures stay
 * untouched (every plugin written so far compiles and behaves bit for bit as before), the fp64
 * path does not pay a virtual dispatch on element type, and a plugin author who wants float speed
 * adds one small interface with the same methods, which the conformance kit then checks against
 * the double kernel.
 */
public interface FloatActivation {

    /**
     * Computes {@code A = g(Z)} in float.
     *
     * @param z pre-activation {@code Z}, {@code (n, m)}. Not modified.
     * @param a output {@code A}, {@code (n, m)}. Modified; may be the same object as {@code z}.
     */
    void forward(FMatrixRMaj z, FMatrixRMaj a);

    /**
     * Computes {@code dZ} from {@code dA} in float, as {@link Activation#backward}.
     *
     * @param z  pre-activation {@code Z} of the forward pass, {@code (n, m)}. Not modified.
     * @param a  {@code A = g(Z)} of the forward pass, {@code (n, m)}. Not modified.
     * @param dA gradient with respect to {@code A}, {@code (n, m)}. Not modified unless it is {@code dZ}.
     * @param dZ output, gradient with respect to {@code Z}, {@code (n, m)}. Modified; may be {@code dA}.
     */
    void backward(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj dA, FMatrixRMaj dZ);
}
