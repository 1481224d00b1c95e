/**
 * The model: build a {@link dev.nnkit.Network} from spec strings ({@link dev.nnkit.NetworkConfig},
 * {@link dev.nnkit.LayerConfig}, {@link dev.nnkit.Hyperparameters}), predict with it, and find
 * plugins by name in the {@link dev.nnkit.PluginRegistry}. {@link dev.nnkit.Network#traceStep}
 * records every matrix of one training step ({@link dev.nnkit.StepTrace},
 * {@link dev.nnkit.ForwardTrace}); {@link dev.nnkit.Step} is the step context a test of a single
 * layer or transform hands to it; {@link dev.nnkit.Compute} names the matrix-product path.
 *
 * <p>The rest of the user API lives in rooms by concern: training in {@code dev.nnkit.training}
 * ({@link dev.nnkit.training.Trainer}), data sets in {@code dev.nnkit.data}
 * ({@link dev.nnkit.data.Dataset}), files in {@code dev.nnkit.io} ({@link dev.nnkit.io.ModelFile},
 * {@link dev.nnkit.io.NetworkConfigs}, the IDX and CSV readers), per-layer statistics in
 * {@code dev.nnkit.diagnostics}, and what plugin authors implement in {@code dev.nnkit.spi}.
 *
 * <p>Notation and shapes follow the lecture notes: examples are columns, {@code X} is
 * {@code (n[0], m)}, {@code W[l]} is {@code (n[l], n[l-1])}, {@code b[l]} is {@code (n[l], 1)}.
 */
package dev.nnkit;
