/**
 * nnkit activations (MATH §2): {@code sigmoid}, {@code tanh}, {@code relu},
 * {@code leaky_relu(alpha=...)}, {@code identity} and {@code softmax}, registered as
 * {@link dev.nnkit.spi.PluginProvider} services of kind {@link dev.nnkit.spi.Activation}. The
 * implementation package is not exported: activations are made through
 * {@link dev.nnkit.PluginRegistry} from their spec strings.
 */
module dev.nnkit.activations {
    requires dev.nnkit.core;

    provides dev.nnkit.spi.PluginProvider with
            dev.nnkit.activations.Sigmoid.Provider,
            dev.nnkit.activations.Tanh.Provider,
            dev.nnkit.activations.Relu.Provider,
            dev.nnkit.activations.LeakyRelu.Provider,
            dev.nnkit.activations.Identity.Provider,
            dev.nnkit.activations.Softmax.Provider;
}
