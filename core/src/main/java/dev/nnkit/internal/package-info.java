/**
 * Core's own plugins (the dense layer, the losses, the optimizers), registered through the same
 * {@link dev.nnkit.spi.PluginProvider} service as any other plugin, the matrix products of the
 * compute path, and what core's packages share without it becoming API: {@link
 * dev.nnkit.internal.Access} (the bridge to package-private members of {@code Network}, {@code Step},
 * {@code Dataset} and {@code ModelFile}) and the helpers several packages use ({@code Checks},
 * {@code SplitMix}, {@code FeatureStore}, {@code Evaluation}). Not exported: applications reach the
 * plugins by name through the registry.
 */
package dev.nnkit.internal;
