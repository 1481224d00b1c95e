/**
 * The activation functions of MATH §2, one class per plugin, each with a nested
 * {@link dev.nnkit.spi.PluginProvider} of kind {@link dev.nnkit.spi.Activation}:
 * <ul>
 *   <li>{@link dev.nnkit.activations.Sigmoid} ({@code sigmoid}): {@code 1 / (1 + e^-z)},
 *       {@code g' = a(1 - a)} (at most 0.25, reached at {@code z = 0}).</li>
 *   <li>{@link dev.nnkit.activations.Tanh} ({@code tanh}): {@code (e^z - e^-z) / (e^z + e^-z)},
 *       {@code g' = 1 - a^2}.</li>
 *   <li>{@link dev.nnkit.activations.Relu} ({@code relu}): {@code max(0, z)}, {@code g' = 1} for
 *       {@code z > 0}, else {@code 0} (so {@code relu'(0) = 0}).</li>
 *   <li>{@link dev.nnkit.activations.LeakyRelu} ({@code leaky_relu(alpha=0.01)}): {@code z} for
 *       {@code z > 0}, else {@code alpha z}; {@code g' = 1} or {@code alpha}
 *       ({@code leaky_relu'(0) = alpha}).</li>
 *   <li>{@link dev.nnkit.activations.Identity} ({@code identity}): {@code z}, {@code g' = 1}; for
 *       regression outputs.</li>
 *   <li>{@link dev.nnkit.activations.Softmax} ({@code softmax}): {@code e^z_i / sum_k e^z_k} per
 *       column; backward is the Jacobian-vector product of each column.</li>
 * </ul>
 * Every matrix is {@code (n, m)} with one example per column. All activations give finite output
 * for any finite input and accept the aliasing the SPI allows ({@code forward(z, z)} and
 * {@code backward(z, a, dA, dA)}). The element-wise activations read only {@code A} in
 * {@code backward}, so they are also correct after an in-place forward pass that overwrote
 * {@code Z}. The classes are public so that their javadoc documents the formulas, but they are
 * made only through {@link dev.nnkit.PluginRegistry}; this package is not exported from the module.
 */
package dev.nnkit.activations;
