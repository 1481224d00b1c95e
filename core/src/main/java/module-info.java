/**
 * nnkit core: the plugin interfaces ({@code dev.nnkit.spi}), the network, its configuration and the
 * plugin registry ({@code dev.nnkit}), training ({@code dev.nnkit.training}), data sets
 * ({@code dev.nnkit.data}), files ({@code dev.nnkit.io}; readers of IDX and CSV in {@code dev.nnkit.io.formats}), per-layer diagnostics
 * ({@code dev.nnkit.diagnostics}), and core's own plugins — the dense layer, the losses and the
 * optimizers ({@code dev.nnkit.internal}, not exported, which also holds what the packages share), the
 * compute backends {@code ejml}, {@code system_blas} and {@code vector},
 * the learning-rate schedules ({@code dev.nnkit.schedules}) and the random sources
 * ({@code dev.nnkit.random}, exported: its NumPy-compatible generator is usable directly) — registered through the same
 * {@link dev.nnkit.spi.PluginProvider} service as any third-party plugin.
 */
module dev.nnkit.core {
    requires transitive ejml.core;
    requires transitive ejml.ddense;
    requires org.slf4j;
    requires java.logging;
    requires dev.ludovic.netlib.blas;
    requires com.fasterxml.jackson.core;

    exports dev.nnkit;
    exports dev.nnkit.training;
    exports dev.nnkit.diagnostics;
    exports dev.nnkit.data;
    exports dev.nnkit.io;
    exports dev.nnkit.io.formats;
    exports dev.nnkit.spi;
    exports dev.nnkit.random;

    uses dev.nnkit.spi.PluginProvider;

    provides dev.nnkit.spi.PluginProvider with
            dev.nnkit.internal.Dense.Provider,
            dev.nnkit.internal.BinaryCrossEntropy.Provider,
            dev.nnkit.internal.SoftmaxCrossEntropy.Provider,
            dev.nnkit.internal.MeanSquaredError.Provider,
            dev.nnkit.internal.Sgd.Provider,
            dev.nnkit.internal.Adam.Provider,
            dev.nnkit.internal.RmsProp.Provider,
            dev.nnkit.internal.EjmlBackend.Provider,
            dev.nnkit.internal.SystemBlasBackend.Provider,
            dev.nnkit.internal.VectorBackend.Provider,
            dev.nnkit.schedules.ConstantRate.Provider,
            dev.nnkit.schedules.StepDecay.Provider,
            dev.nnkit.schedules.ExponentialDecay.Provider,
            dev.nnkit.schedules.InverseTimeDecay.Provider,
            dev.nnkit.schedules.CosineDecay.Provider,
            dev.nnkit.schedules.LinearWarmup.Provider,
            dev.nnkit.random.SplittableSource.Provider,
            dev.nnkit.random.NumpyLegacySource.Provider;
}
