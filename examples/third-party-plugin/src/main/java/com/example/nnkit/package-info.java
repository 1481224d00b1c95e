/**
 * Four nnkit plugins, one class each with its provider nested:
 * <ul>
 *   <li>{@link com.example.nnkit.Swish} ({@code swish(beta=1)}): {@code g(z) = z sigmoid(beta z)}.</li>
 *   <li>{@link com.example.nnkit.Orthogonal} ({@code orthogonal(gain=1)}): a uniformly random
 *       matrix with orthonormal rows or columns, times {@code gain}.</li>
 *   <li>{@link com.example.nnkit.L1} ({@code l1(lambda=0.01)}): the penalty
 *       {@code (lambda / m) sum |w|}.</li>
 *   <li>{@link com.example.nnkit.CenteredDense} ({@code centered_dense(units=n, momentum=0.9)}):
 *       {@code Z = g * (W (A - mu)) + b}, with a per-unit gain {@code g} starting at 1 and the
 *       running mean {@code mu} of its input as state, updated in training steps only and saved
 *       with the model.</li>
 * </ul>
 * {@link com.example.nnkit.ExamplePlugins} makes each one by name and prints where it came from.
 */
package com.example.nnkit;
