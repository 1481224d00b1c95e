/**
 * Data sets and what happens to examples around a network: {@link dev.nnkit.data.Dataset},
 * features and labels with one column per example, stored as doubles or compactly (float or
 * unsigned-byte rows), split, subset and batched for training; the preprocessing a model carries
 * ({@link dev.nnkit.data.Standardizer}, {@link dev.nnkit.data.Pipeline}: feature names,
 * standardization, task, class names), saved with it in a model file; and the scores of
 * predictions ({@link dev.nnkit.data.Scores}).
 */
package dev.nnkit.data;
