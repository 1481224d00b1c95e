/**
 * Core's own plugins (the dense layer, the losses, the optimizers), registered through the same
 * {@link dev.nnkit.spi.PluginProvider} service as any other plugin. Not exported: applications
 * reach them by name through the registry.
 */
package dev.nnkit.internal;
