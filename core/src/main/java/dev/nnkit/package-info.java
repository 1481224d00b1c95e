/**
 * What applications use: build a {@link dev.nnkit.Network} from spec strings, train it with a
 * {@link dev.nnkit.Trainer} on a {@link dev.nnkit.Dataset}, predict, save and load it with
 * {@link dev.nnkit.ModelFile}, and find plugins by name in the {@link dev.nnkit.PluginRegistry}.
 * {@link dev.nnkit.Network#traceStep} records every matrix of one training step
 * ({@link dev.nnkit.StepTrace}); {@link dev.nnkit.Step} is the step context a test of a single
 * layer or transform hands to it.
 *
 * <p>Notation and shapes follow the lecture notes: examples are columns, {@code X} is
 * {@code (n[0], m)}, {@code W[l]} is {@code (n[l], n[l-1])}, {@code b[l]} is {@code (n[l], 1)}.
 */
package dev.nnkit;
