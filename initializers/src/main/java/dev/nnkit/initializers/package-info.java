/**
 * The weight initializers of MATH §4, one class per plugin, each registered by a nested
 * {@code Provider}. A weight matrix {@code W} is {@code (fanOut, fanIn)}: its columns are the
 * fan-in {@code n[l-1]}, its rows the fan-out {@code n[l]}. Every initializer declares the mean and
 * variance of the distribution it draws from ({@link dev.nnkit.spi.Initializer#variance},
 * {@link dev.nnkit.spi.Initializer#mean}) and uses only the random generator it is given, so a
 * seeded generator gives identical matrices.
 *
 * <table>
 * <caption>Variance of one entry</caption>
 * <tr><th>spec</th><th>Var(w)</th></tr>
 * <tr><td>{@code zeros}, {@code constant(value=c)}</td><td>0 (symmetric: for demonstration only)</td></tr>
 * <tr><td>{@code small_random(scale=0.01)}</td><td>{@code scale^2}</td></tr>
 * <tr><td>{@code normal(std=0.05)}</td><td>{@code std^2}</td></tr>
 * <tr><td>{@code uniform(limit=0.05)}</td><td>{@code limit^2 / 3}</td></tr>
 * <tr><td>{@code xavier_normal}, {@code xavier_uniform} ({@code scale=1})</td><td>{@code scale * 2 / (fanIn + fanOut)}</td></tr>
 * <tr><td>{@code he_normal}, {@code he_uniform} ({@code scale=1})</td><td>{@code scale * 2 / fanIn}</td></tr>
 * <tr><td>{@code lecun_normal}, {@code lecun_uniform} ({@code scale=1})</td><td>{@code scale * 1 / fanIn}</td></tr>
 * </table>
 * Normal variants are plain (not truncated) normals; uniform variants draw from
 * {@code U[-limit, limit)} with {@code limit = sqrt(3 Var)}.
 */
package dev.nnkit.initializers;
