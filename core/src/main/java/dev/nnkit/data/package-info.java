/**
 * Data sets: {@link dev.nnkit.data.Dataset}, features and labels with one column per example,
 * stored as doubles or compactly (float or unsigned-byte rows), split, subset and batched for
 * training.
 */
package dev.nnkit.data;
