package dev.nnkit.gradcheck.kit;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Regularizer;
import java.util.Objects;

/**
 * Builds the conformance checks of one plugin against a {@link PluginRegistry}: plain code, no
 * JUnit. Each method returns a {@link ConformanceSuite} whose checks make fresh instances from the
 * registry by the given spec string when they run, so a plugin the registry cannot make fails its
 * checks (with the registry's message) instead of failing to build the suite.
 *
 * <pre>{@code
 * ConformanceReport report = Conformance.defaults().activation("swish(beta=1)").run();
 * assertTrue(report.passed(), report::toString);
 * }</pre>
 *
 * <p>Every suite starts with two checks: <b>registered</b> (the registry makes the plugin from its
 * spec, so its provider was found by {@link java.util.ServiceLoader} under that name; given a class,
 * the instance must be of exactly that class, which catches a plugin that is not registered even
 * when another plugin has its name) and <b>spec round-trip</b> ({@code toString()} is a spec
 * string that the registry turns into an instance of the same class with the same
 * {@code toString()} and the same behaviour on a sample input).
 *
 * <p>Numerical comparisons use central differences with step {@code 1e-6 max(1, |x|)} and accept
 * a relative error {@code |a - c| / (|a| + |c|)} up to {@code 1e-6}, or an absolute difference
 * below {@code 1e-10} plus the round-off bound of the difference quotient; points within one step
 * of a kink (where the one-sided difference quotients jump) are skipped and listed. Statistical
 * comparisons accept five standard errors. Every random number comes from a fixed seed, so a
 * suite gives the same result at every run.
 */
public final class Conformance {

    private final PluginRegistry registry;

    private Conformance(PluginRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Checks against {@link PluginRegistry#defaults()}, the plugins on the class or module path. */
    public static Conformance defaults() {
        return new Conformance(PluginRegistry.defaults());
    }

    /** Checks against the given registry, e.g. {@code PluginRegistry.of(List.of(new Swish.Provider()))}. */
    public static Conformance of(PluginRegistry registry) {
        return new Conformance(registry);
    }

    /** The registry plugins are made from. */
    public PluginRegistry registry() {
        return registry;
    }

    /**
     * The checks of an activation:
     * <ul>
     *   <li><b>derivative</b>: for an element-wise activation, {@code g'(z)} as backward computes it
     *       ({@code dZ / dA} with random nonzero {@code dA}) against the central difference of
     *       {@code g} at 29 points: {@code +-700, +-30, +-10, +-5}, moderate values, and
     *       {@code +-0.1, +-0.01, +-0.001, +-1e-5, 0} around 0. For a column-wise activation
     *       (softmax), {@code backward(Z, A, C)} against central differences of
     *       {@code f(Z) = sum(C * g(Z))}, the Jacobian-vector product, on a {@code 4 x 6} input with
     *       columns up to {@code |z| = 700}. Which kind it is, is found by perturbing inputs.</li>
     *   <li><b>examples independent</b>: changing one column of {@code Z} changes no other column.</li>
     *   <li><b>extreme inputs</b>: forward and backward are finite for {@code +-1e300},
     *       {@code +-Double.MAX_VALUE}, {@code +-745}, {@code +-710}, {@code Double.MIN_VALUE}.</li>
     *   <li><b>shapes</b>: outputs keep their shape and inputs are not modified, for
     *       {@code (3, 5)}, {@code (1, 1)}, {@code (1, 6)} and {@code (6, 1)}.</li>
     *   <li><b>output buffers</b>: the same bits whether the output was zero, NaN or garbage.</li>
     *   <li><b>in place</b>: {@code forward(Z, Z)} and {@code backward(Z, A, dA, dA)}, which the SPI
     *       allows, give the same bits as separate outputs.</li>
     * </ul>
     *
     * @param spec e.g. {@code swish} or {@code leaky_relu(alpha=0.2)}
     */
    public ConformanceSuite activation(String spec) {
        return activation(null, spec);
    }

    /**
     * The checks of {@link #activation(String)}, and the registry must make exactly {@code type}:
     * catches a plugin whose provider is not registered.
     */
    public ConformanceSuite activation(Class<? extends Activation> type, String spec) {
        Maker<Activation> maker = new Maker<>(registry, Activation.class, spec, type);
        return new ConformanceSuite(maker.label(), spec, new ActivationChecks(maker).all());
    }

    /**
     * The checks of an initializer:
     * <ul>
     *   <li><b>mean and variance</b> on a {@code 300 x 700} and a {@code 700 x 300} matrix
     *       ({@code W} is {@code (fanOut, fanIn)}, so one of them catches swapped fans): the sample
     *       mean and variance against the declared {@code mean()} and
     *       {@code variance(fanIn, fanOut)}, within five standard errors. The standard error of the
     *       variance uses the sample's fourth moment, {@code sqrt((m4 - s^4) / N)}, so the bound
     *       holds for any distribution; a correct initializer fails with probability about
     *       {@code 6e-7}.</li>
     *   <li><b>deterministic by seed</b>: generators of one seed give the same matrix, from one
     *       instance twice and from two instances.</li>
     *   <li><b>different seeds</b>: seeds 1 and 2 give different matrices, unless the declared
     *       variance is 0.</li>
     *   <li><b>every entry written</b>: a NaN-filled matrix is overwritten with finite values.</li>
     * </ul>
     *
     * @param spec e.g. {@code orthogonal} or {@code he_normal(scale=2)}
     */
    public ConformanceSuite initializer(String spec) {
        return initializer(null, spec);
    }

    /** The checks of {@link #initializer(String)}, and the registry must make exactly {@code type}. */
    public ConformanceSuite initializer(Class<? extends Initializer> type, String spec) {
        Maker<Initializer> maker = new Maker<>(registry, Initializer.class, spec, type);
        return new ConformanceSuite(maker.label(), spec, new InitializerChecks(maker).all());
    }

    /** The checks of {@link #regularizer(String, String)} without the strength-0 check. */
    public ConformanceSuite regularizer(String spec) {
        return regularizer(null, spec, null);
    }

    /**
     * The checks of a regularizer:
     * <ul>
     *   <li><b>penalty gradient</b>: {@code addPenaltyGradient} against central differences of
     *       {@code penalty(W, m)} on a {@code 4 x 5} W (one entry exactly 0) with {@code m = 1} and
     *       {@code 7}; the penalty is finite and {@code >= 0}, W is not modified.</li>
     *   <li><b>adds to dW</b>: the gradient is added to what {@code dW} holds.</li>
     *   <li><b>strength 0 is a no-op</b> (when {@code zeroStrengthSpec} is given): penalty 0, dW
     *       unchanged, and for one that acts on activations, forward and backward the identity.</li>
     *   <li><b>identity at inference</b>: the network skips {@code forwardTraining} at inference
     *       because {@code actsOnActivations()} is true; one that says false must not transform.</li>
     *   <li>for one that acts on activations: <b>expectation in training</b> (the mean of 4000 draws
     *       of {@code forwardTraining} is within five standard errors of its input, entry by entry),
     *       <b>backward reuses the forward mask</b> ({@code backwardTraining} equals the derivative
     *       of {@code forwardTraining} run again with a generator of the same seed, by central
     *       differences) and <b>deterministic by seed</b>.</li>
     * </ul>
     *
     * @param spec             e.g. {@code l1(lambda=0.3)} or {@code dropout(keep_prob=0.5)}
     * @param zeroStrengthSpec the same plugin at strength 0, e.g. {@code l1(lambda=0)} or
     *                         {@code dropout(keep_prob=1)}
     */
    public ConformanceSuite regularizer(String spec, String zeroStrengthSpec) {
        return regularizer(null, spec, zeroStrengthSpec);
    }

    /**
     * The checks of {@link #regularizer(String, String)}, and the registry must make exactly
     * {@code type}.
     *
     * @param zeroStrengthSpec the spec at strength 0, or null to skip that check
     */
    public ConformanceSuite regularizer(Class<? extends Regularizer> type, String spec, String zeroStrengthSpec) {
        Maker<Regularizer> maker = new Maker<>(registry, Regularizer.class, spec, type);
        return new ConformanceSuite(maker.label(), spec, new RegularizerChecks(maker, zeroStrengthSpec).all());
    }

    /**
     * The checks of a loss with the output activation it is meant for:
     * <ul>
     *   <li><b>output activation accepted</b>: {@code checkOutputActivation} accepts it.</li>
     *   <li><b>labels</b>: the kit uses the first kind of labels {@code checkLabels} accepts: soft
     *       labels {@code Y = g(Z*)}, 0/1 labels, or one-hot columns.</li>
     *   <li><b>gradient</b>: {@code dZ} (written into a NaN-filled matrix) against {@code m} times
     *       central differences of {@code cost(Z, g(Z), Y)}.</li>
     *   <li><b>minimum at the target</b>: with soft labels the gradient vanishes at {@code Z*} and
     *       the cost rises around it; with 0/1 or one-hot labels the cost falls strictly as the
     *       logits move toward the target.</li>
     *   <li><b>saturated outputs</b>: cost and gradient are finite for logits of {@code +-700}.</li>
     * </ul>
     *
     * @param spec                 e.g. {@code binary_cross_entropy}
     * @param outputActivationSpec e.g. {@code sigmoid}; the registry must have it
     */
    public ConformanceSuite loss(String spec, String outputActivationSpec) {
        return loss(null, spec, outputActivationSpec);
    }

    /** The checks of {@link #loss(String, String)}, and the registry must make exactly {@code type}. */
    public ConformanceSuite loss(Class<? extends Loss> type, String spec, String outputActivationSpec) {
        Objects.requireNonNull(outputActivationSpec, "outputActivationSpec");
        Maker<Loss> maker = new Maker<>(registry, Loss.class, spec, type,
                "loss '" + spec + "' with output '" + outputActivationSpec + "'");
        return new ConformanceSuite(maker.label(), spec, new LossChecks(maker, outputActivationSpec).all());
    }
}
