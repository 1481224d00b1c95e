/**
 * nnkit layers: batch normalization {@code batch_norm(momentum=..., epsilon=...)}, registered as a
 * {@link dev.nnkit.spi.PluginProvider} service of kind {@link dev.nnkit.spi.Layer}. The
 * implementation package is not exported: layers are made through {@link dev.nnkit.PluginRegistry}
 * from their spec strings.
 */
module dev.nnkit.layers {
    requires dev.nnkit.core;

    provides dev.nnkit.spi.PluginProvider with
            dev.nnkit.layers.BatchNorm.Provider;
}
