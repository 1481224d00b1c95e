/**
 * nnkit's bundled native BLAS: the compute backend {@code openblas}, an OpenBLAS that comes from
 * Maven inside a jar per platform, registered as a {@link dev.nnkit.spi.PluginProvider} of kind
 * {@link dev.nnkit.spi.ComputeBackend}. Adding this module to a program is all it takes for the
 * layers' matrix products to run natively; nothing here is API.
 */
module dev.nnkit.openblas {
    requires dev.nnkit.core;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.openblas;
    requires dev.ludovic.netlib.blas;
    requires java.logging;

    provides dev.nnkit.spi.PluginProvider with dev.nnkit.openblas.OpenBlasBackend.Provider;
}
