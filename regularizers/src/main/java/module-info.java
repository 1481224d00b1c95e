/**
 * nnkit regularizers (MATH §7): the L2 weight penalty {@code l2(lambda=...)} and inverted dropout
 * {@code dropout(keep_prob=...)}, registered as {@link dev.nnkit.spi.PluginProvider} services of
 * kind {@link dev.nnkit.spi.Regularizer}. The implementation package is not exported: plugins are
 * made through {@link dev.nnkit.PluginRegistry} from their spec strings.
 */
module dev.nnkit.regularizers {
    requires dev.nnkit.core;

    provides dev.nnkit.spi.PluginProvider with
            dev.nnkit.regularizers.L2.Provider,
            dev.nnkit.regularizers.Dropout.Provider;
}
