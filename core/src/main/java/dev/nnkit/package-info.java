/**
 * What applications use: build a {@link dev.nnkit.Network} from spec strings, train it with a
 * {@link dev.nnkit.Trainer} on a {@link dev.nnkit.Dataset}, predict, and find plugins by name in
 * the {@link dev.nnkit.PluginRegistry}.
 *
 * <p>Notation and shapes follow the lecture notes: examples are columns, {@code X} is
 * {@code (n[0], m)}, {@code W[l]} is {@code (n[l], n[l-1])}, {@code b[l]} is {@code (n[l], 1)}.
 */
package dev.nnkit;
