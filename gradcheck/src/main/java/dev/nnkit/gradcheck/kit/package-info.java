/**
 * The plugin conformance kit: checks that a plugin author runs from their own JUnit 5 tests, a
 * line or two per plugin, to learn whether an activation, initializer, regularizer, loss, layer,
 * optimizer or learning-rate schedule keeps the contract of its SPI ({@link dev.nnkit.spi}) and the
 * mathematics of MATH §2–§7.
 *
 * <pre>{@code
 * class SwishConformanceTest {
 *     @TestFactory
 *     Stream<DynamicTest> swish() {
 *         return PluginKit.activation(Swish.class, "swish(beta=1)");
 *     }
 * }
 * }</pre>
 *
 * <p>Two layers:
 * <ul>
 *   <li>{@link dev.nnkit.gradcheck.kit.Conformance} builds a
 *       {@link dev.nnkit.gradcheck.kit.ConformanceSuite} of named
 *       {@link dev.nnkit.gradcheck.kit.Check checks} for one plugin, against any
 *       {@link dev.nnkit.PluginRegistry}. Running a check is plain code: it returns a
 *       {@link dev.nnkit.gradcheck.kit.CheckResult} whose message says which check failed and by how
 *       much, e.g. "derivative at z=0.5: backward 0.25, central difference 0.235, relative error
 *       0.031 &gt; 1e-6". {@link dev.nnkit.gradcheck.kit.ConformanceSuite#run()} gathers them into a
 *       {@link dev.nnkit.gradcheck.kit.ConformanceReport}.</li>
 *   <li>{@link dev.nnkit.gradcheck.kit.PluginKit} is the thin JUnit 5 adapter: each check becomes a
 *       {@link org.junit.jupiter.api.DynamicTest} for a {@code @TestFactory}. JUnit is an optional
 *       dependency of this module; only this class needs it.</li>
 * </ul>
 *
 * <p>What is checked, per kind (details in the javadoc of {@link dev.nnkit.gradcheck.kit.Conformance}):
 * every plugin is made by the registry from its name and its {@code toString()} round-trips; an
 * activation's backward pass matches central differences on a grid from {@code -700} to
 * {@code 700} (points within the step of a kink are skipped), it stays finite for extreme inputs,
 * keeps shapes, ignores the old content of output buffers and works in place, and one that
 * declares a {@link dev.nnkit.spi.StandardFunction} computes it; an initializer's empirical mean and
 * variance on large non-square matrices match its declared {@code mean()} and
 * {@code variance(fanIn, fanOut)} within five standard errors, and it is deterministic by seed; a
 * weight penalty's gradient matches central differences and strength 0 is a no-op; an activation
 * transform is the identity outside {@code TRAINING}, preserves the expectation, has a backward pass
 * that is the adjoint of its forward pass for the same step's mask, and draws through the step
 * context; a loss's general gradient matches central differences, its fused forms equal the general
 * ones through the declared function, and its minimum is at the target; a layer's parameter and
 * input gradients match central differences in {@code CHECKING} passes, its inference is
 * deterministic, thread-safe and free of side effects, its state changes only in {@code TRAINING}
 * and survives a model file, and its steady-state step allocates nothing; an optimizer descends on
 * a convex quadratic, steps with the rate it is given, and its state round-trips bit for bit,
 * through {@code restoreState} and through a checkpointed, resumed {@link dev.nnkit.training.Trainer} run; a
 * schedule is pure, finite and {@code >= 0} over billions of steps, starts at the base rate when it
 * promises to, and nests inside a warm-up; a compute backend's products, in double and, when its ops
 * offer {@link dev.nnkit.spi.FloatMatrixOps}, in float, are within the round-off bound of float or
 * double summation of the exact product, and the same bits on every call (a backend with double
 * products only passes: float32 networks widen to them).
 *
 * <pre>{@code
 * @TestFactory Stream<DynamicTest> batchNorm() { return PluginKit.layer("batch_norm"); }
 * @TestFactory Stream<DynamicTest> lion()      { return PluginKit.optimizer("lion(learning_rate=0.01)"); }
 * @TestFactory Stream<DynamicTest> decay()     { return PluginKit.schedule("exponential(rate=0.95)"); }
 * @TestFactory Stream<DynamicTest> blas()      { return PluginKit.computeBackend("openblas(threads=1)"); }
 * }</pre>
 */
package dev.nnkit.gradcheck.kit;
