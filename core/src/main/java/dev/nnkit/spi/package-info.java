/**
 * What plugin authors implement: one small interface per kind of plugin
 * ({@link dev.nnkit.spi.Activation}, {@link dev.nnkit.spi.Initializer},
 * {@link dev.nnkit.spi.Regularizer}, {@link dev.nnkit.spi.Layer}, {@link dev.nnkit.spi.Loss},
 * {@link dev.nnkit.spi.Optimizer}) and a {@link dev.nnkit.spi.PluginProvider} per plugin, registered
 * with {@link java.util.ServiceLoader} under a name used in spec strings.
 */
package dev.nnkit.spi;
