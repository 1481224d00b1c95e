/**
 * nnkit's weight initializers (MATH §4): {@code zeros}, {@code constant}, {@code small_random},
 * {@code normal}, {@code uniform}, {@code xavier_normal}, {@code xavier_uniform}, {@code he_normal},
 * {@code he_uniform}, {@code lecun_normal} and {@code lecun_uniform}, found by name through
 * {@link dev.nnkit.spi.PluginProvider}. The package is not exported: applications reach the
 * initializers through the plugin registry.
 */
module dev.nnkit.initializers {
    requires dev.nnkit.core;

    provides dev.nnkit.spi.PluginProvider with
            dev.nnkit.initializers.Zeros.Provider,
            dev.nnkit.initializers.Constant.Provider,
            dev.nnkit.initializers.SmallRandom.Provider,
            dev.nnkit.initializers.Normal.Provider,
            dev.nnkit.initializers.Uniform.Provider,
            dev.nnkit.initializers.XavierNormal.Provider,
            dev.nnkit.initializers.XavierUniform.Provider,
            dev.nnkit.initializers.HeNormal.Provider,
            dev.nnkit.initializers.HeUniform.Provider,
            dev.nnkit.initializers.LecunNormal.Provider,
            dev.nnkit.initializers.LecunUniform.Provider;
}
