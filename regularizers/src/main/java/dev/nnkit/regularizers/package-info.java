/**
 * The regularizers of MATH §7, one class per plugin, each with a nested
 * {@link dev.nnkit.spi.PluginProvider}:
 * <ul>
 *   <li>{@link dev.nnkit.regularizers.L2} ({@code l2(lambda=0.01)}): adds
 *       {@code (lambda / 2m) ||W||_F^2} to the cost and {@code (lambda / m) W} to {@code dW};
 *       acts on weights only, never on biases.</li>
 *   <li>{@link dev.nnkit.regularizers.Dropout} ({@code dropout(keep_prob=0.8)}): inverted dropout,
 *       {@code A = A * D / keep_prob} with a fresh mask {@code D} at every training step; acts on
 *       activations only, and only during training.</li>
 * </ul>
 * The classes are public so that their javadoc documents the formulas, but they are made only
 * through {@link dev.nnkit.PluginRegistry}; this package is not exported from the module.
 */
package dev.nnkit.regularizers;
