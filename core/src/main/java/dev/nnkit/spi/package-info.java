/**
 * What plugin authors implement: one small interface per kind of plugin and a
 * {@link dev.nnkit.spi.PluginProvider} per plugin, registered with {@link java.util.ServiceLoader}
 * under a name used in spec strings.
 *
 * <p>The kinds of plugin:
 * <ul>
 *   <li>{@link dev.nnkit.spi.Activation}, {@code A = g(Z)} and its backward; an activation that
 *       computes a {@link dev.nnkit.spi.StandardFunction} exactly says so by implementing
 *       {@link dev.nnkit.spi.StandardActivation}, which lets a fused loss use its closed form;</li>
 *   <li>{@link dev.nnkit.spi.Initializer}, the starting values of a weight matrix;</li>
 *   <li>{@link dev.nnkit.spi.Regularizer}, a marker whose capabilities say what it does:
 *       {@link dev.nnkit.spi.WeightPenalty} (a penalty on the weights, L2) and/or
 *       {@link dev.nnkit.spi.ActivationTransform} (a transform of a layer's activations, dropout);</li>
 *   <li>{@link dev.nnkit.spi.Layer}, {@code Z[l]} from {@code A[l-1]} and its backward, with its
 *       trainable {@link dev.nnkit.spi.Parameter}s (roles {@code WEIGHT}, {@code BIAS},
 *       {@code SCALE}) and its non-trainable {@link dev.nnkit.spi.StateArray}s (saved in model
 *       files);</li>
 *   <li>{@link dev.nnkit.spi.Loss}, the cost and its gradient {@code dA[L]} (the general path), and
 *       {@link dev.nnkit.spi.FusedLoss} for a loss with an exact fused form
 *       ({@code dZ = A - Y});</li>
 *   <li>{@link dev.nnkit.spi.Optimizer}, the parameter update of each step, at the step's learning
 *       rate;</li>
 *   <li>{@link dev.nnkit.spi.Schedule}, the learning rate of each step as a pure function of its
 *       position in the run, from the optimizer's base rate ({@code constant},
 *       {@code step_decay}, {@code exponential}, {@code inverse_time}, {@code cosine},
 *       {@code warmup(then=...)} ship with core).</li>
 * </ul>
 *
 * <p>Single precision (float32 training; the design is in {@link dev.nnkit.spi.FloatActivation}):
 * a plugin with a float kernel says so with a small capability interface beside its kind —
 * {@link dev.nnkit.spi.FloatMatrixOps} (a compute backend's products),
 * {@link dev.nnkit.spi.FloatActivation}, {@link dev.nnkit.spi.FloatLoss},
 * {@link dev.nnkit.spi.FloatFusedLoss} and {@link dev.nnkit.spi.FloatOptimizer} (on
 * {@link dev.nnkit.spi.FloatParameter}s); a plugin without one works in a float32 network through
 * core's adapter, which widens its float operands to double at its boundary.
 *
 * <p>Layers and activation transforms run inside a {@link dev.nnkit.spi.StepContext}: the
 * {@linkplain dev.nnkit.spi.StepContext.Mode mode} of the pass ({@code TRAINING},
 * {@code CHECKING}, {@code INFERENCE}), the step's random stream, scratch buffers kept from forward
 * to backward, and the {@link dev.nnkit.spi.MatrixOps matrix products} of the compute path. A test
 * of one plugin makes a context with {@code dev.nnkit.Step}. Spec strings are parsed by
 * {@link dev.nnkit.spi.PluginSpec} and a provider reads them through {@link dev.nnkit.spi.Arguments},
 * nested specs included ({@code warmup(steps=500, then=cosine(epochs=20))}).
 */
package dev.nnkit.spi;
