/**
 * Random sources ({@link dev.nnkit.spi.RandomSource}) shipped with core, chosen by spec string:
 * {@code splittable} ({@link dev.nnkit.random.SplittableSource}, the default) and
 * {@code numpy_legacy(seed=N)} ({@link dev.nnkit.random.NumpyLegacySource}), whose generator
 * {@link dev.nnkit.random.NumpyRandomState} reproduces NumPy's legacy {@code RandomState} bit for
 * bit: MT19937 seeded as {@code np.random.seed(N)}, {@code rand}, {@code randn}, {@code normal},
 * {@code randint}, {@code permutation} and {@code shuffle}. Exported so that programs porting a
 * NumPy notebook can draw their data from the same stream.
 */
package dev.nnkit.random;
