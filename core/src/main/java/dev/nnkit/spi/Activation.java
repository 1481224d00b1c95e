package dev.nnkit.spi;

import org.ejml.data.DMatrixRMaj;

/**
 * An activation function {@code A = g(Z)} and its backward pass (MATH §2).
 *
 * <p>Shapes: {@code Z}, {@code A}, {@code dA} and {@code dZ} are all {@code (n[l], m)}, one example
 * per column. Element-wise activations treat every entry alike; column-wise ones (softmax) treat
 * each column as one example.
 *
 * <p>Contract for implementors:
 * <ul>
 *   <li>Outputs are written into matrices the caller allocated with the right shape; an
 *       implementation never allocates in {@code forward} or {@code backward} and never relies on
 *       the old content of an output matrix.</li>
 *   <li>Finite input gives finite output: no NaN or overflow for large {@code |z|}.</li>
 *   <li>An instance may be shared by several layers and threads: keep no mutable state.</li>
 *   <li>{@code toString()} returns the spec string that recreates the instance through the
 *       {@linkplain dev.nnkit.PluginRegistry registry}, e.g. {@code leaky_relu(alpha=0.2)}.</li>
 * </ul>
 * Instances are made by a {@link PluginProvider} of kind {@code Activation}.
 */
public interface Activation {

    /**
     * Computes {@code A = g(Z)}.
     *
     * @param z pre-activation {@code Z}, {@code (n, m)}. Not modified.
     * @param a output {@code A}, {@code (n, m)}. Modified; may be the same object as {@code z}.
     */
    void forward(DMatrixRMaj z, DMatrixRMaj a);

    /**
     * Computes {@code dZ = dA * g'(Z)} element-wise, or the Jacobian-vector product per column for
     * column-wise activations. The caller passes the {@code Z} and {@code A} of the forward pass as
     * two distinct matrices (a forward pass run in place, {@code a == z}, is for inference only).
     *
     * @param z  pre-activation {@code Z} of the forward pass, {@code (n, m)}. Not modified.
     * @param a  {@code A = g(Z)} of the forward pass, {@code (n, m)}. Not modified.
     * @param dA gradient of the cost with respect to {@code A}, {@code (n, m)}. Not modified unless
     *           it is the same object as {@code dZ}.
     * @param dZ output, gradient with respect to {@code Z}, {@code (n, m)}. Modified; may be the
     *           same object as {@code dA} (the computation is then done in place).
     */
    void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ);
}
