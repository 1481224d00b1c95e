/**
 * Plugins for nnkit that nnkit does not ship: the {@code swish} activation, the {@code orthogonal}
 * initializer, the {@code l1} regularizer, the {@code centered_dense} layer and the {@code one_cycle}
 * learning-rate schedule. The package is not
 * exported: the plugins are made by name through {@link dev.nnkit.PluginRegistry}, which finds them
 * through the {@code provides} clause below (module path) or {@code META-INF/services} (class path).
 */
module com.example.nnkit {
    requires dev.nnkit.core;

    provides dev.nnkit.spi.PluginProvider with
            com.example.nnkit.Swish.Provider,
            com.example.nnkit.Orthogonal.Provider,
            com.example.nnkit.L1.Provider,
            com.example.nnkit.CenteredDense.Provider,
            com.example.nnkit.OneCycle.Provider;
}
