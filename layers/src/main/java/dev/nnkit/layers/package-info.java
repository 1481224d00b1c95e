/**
 * Layers beyond core's {@code dense}, one class per plugin, each with a nested
 * {@link dev.nnkit.spi.PluginProvider}:
 * <ul>
 *   <li>{@link dev.nnkit.layers.BatchNorm} ({@code batch_norm(momentum=0.9, epsilon=1e-5)}):
 *       normalizes each unit over the batch, {@code Y = gamma (X - mu) / sqrt(var + eps) + beta},
 *       with batch statistics while training and running averages of them at inference.</li>
 * </ul>
 * The classes are public so that their javadoc documents the formulas, but they are made only
 * through {@link dev.nnkit.PluginRegistry}; this package is not exported from the module.
 */
package dev.nnkit.layers;
