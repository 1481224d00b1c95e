package dev.nnkit.gradcheck.kit;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.Schedule;
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
     *   <li><b>standard function</b> (only for a {@link dev.nnkit.spi.StandardActivation}): a
     *       declaration is a promise, so {@code forward} must equal the declared
     *       {@link dev.nnkit.spi.StandardFunction} ({@code 1 / (1 + e^-z)}, or softmax per column),
     *       computed independently by the kit, within {@code 1e-12 |f| + 2^-50}, at 88 points from
     *       {@code z = -700} to {@code 700}. A fused loss computes {@code dZ = A - Y} on this promise.</li>
     *   <li><b>float kernel</b> (only for a {@link dev.nnkit.spi.FloatActivation}): the float forward
     *       and backward agree with the double ones on the same float input within
     *       {@code (n + 4) u} relative ({@code u = 2^-24}, {@code n} the rows), on a seeded
     *       {@code (10, 64)} input at scales {@code 1e-3} to 90 and on the column-wise input. An
     *       activation without a float kernel is not asked for one: a float32 network widens its
     *       operands to the double kernel.</li>
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
     * The checks of a regularizer. Which ones run depends on the capabilities it implements
     * ({@link dev.nnkit.spi.WeightPenalty}, {@link dev.nnkit.spi.ActivationTransform}, or both):
     * <ul>
     *   <li>weight penalty: <b>penalty gradient</b> ({@code addPenaltyGradient} against central
     *       differences of {@code penalty(W, m)} on a {@code 4 x 5} W (one entry exactly 0) with
     *       {@code m = 1} and {@code 7}; the penalty is finite and {@code >= 0}, W is not modified)
     *       and <b>adds to dW</b> (the gradient is added to what {@code dW} holds).</li>
     *   <li><b>strength 0 is a no-op</b> (when {@code zeroStrengthSpec} is given): penalty 0 and dW
     *       unchanged; a transform is the identity in a {@code TRAINING} step, forward and backward,
     *       and {@code isActive()} is false.</li>
     *   <li>activation transform, with contexts from {@link dev.nnkit.Step}:
     *       <b>identity outside training</b> (in {@code CHECKING} and {@code INFERENCE} steps forward,
     *       forward in place and backward are the identity and draw nothing; with
     *       {@code isActive() == false}, also in {@code TRAINING}); <b>expectation in training</b>
     *       (the mean of 4000 {@code TRAINING} forward passes is within five standard errors of the
     *       input, entry by entry); <b>backward is the adjoint of forward</b> (backward of a step
     *       equals the derivative, by central differences, of the forward pass re-run with steps of
     *       the same seed, even with another step's forward pass in between: the mask lives in the
     *       step's buffers); <b>deterministic by seed</b> (steps of one seed give the same bits, on one
     *       instance twice and on two); <b>masks drawn through the context</b> (a transform that acts
     *       draws through {@code drawMask} or {@code random()}, different seeds give different
     *       outputs, a supplied mask reproduces the output, and the complementary mask changes it).</li>
     *   <li><b>float kernel</b> (a transform that also implements
     *       {@link dev.nnkit.spi.FloatActivationTransform}): on a float-representable {@code 16 x 16}
     *       input, with fresh {@code TRAINING} steps of the same seed (41 to 44) for the double and the
     *       float pass, the float pass draws the double pass's mask (through {@code drawMask} when the
     *       double pass does), drops the same entries, and agrees with the double pass within
     *       {@code 16 u |x|} ({@code u = 2^-24}) entry by entry, forward and backward; in
     *       {@code CHECKING} and {@code INFERENCE} it is the identity, forward (in place at inference)
     *       and backward.</li>
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
     *   <li><b>labels</b>: the kit uses the first kind of labels {@code checkLabels} accepts: soft
     *       labels {@code Y = g(Z*)}, 0/1 labels, or one-hot columns.</li>
     *   <li><b>gradient</b> (the general path): {@code gradient(A, Y, dA)} (into a NaN-filled
     *       {@code dA}) against {@code m} times central differences of {@code cost(A, Y)}, at
     *       {@code A = g(Z)} for a random {@code Z}.</li>
     *   <li>for a {@link dev.nnkit.spi.FusedLoss}, whatever the output activation: <b>fused cost</b>
     *       ({@code fusedCost(Z, Y)} equals {@code cost(f(Z), Y)}, with the declared function
     *       {@code f = fusedWith()} computed by the kit, within a relative {@code 1e-9}) and
     *       <b>fused gradient</b> ({@code fusedGradient} equals the general {@code dA} pushed through
     *       the Jacobian of {@code f}, computed by the kit).</li>
     *   <li><b>float paths</b> (only for a {@link dev.nnkit.spi.FloatLoss} or
     *       {@link dev.nnkit.spi.FloatFusedLoss}): on the same float input, the float cost agrees with
     *       the double one within {@code 1e-5} relative plus {@code 1e-7}, and each float gradient
     *       entry within {@code 8 u} relative ({@code u = 2^-24}), except probabilities within
     *       {@code 2^-24} of 0 or 1 (where float and double clamps differ).</li>
     *   <li><b>minimum at the target</b>, along the path the network takes with this output (fused
     *       when the activation declares the loss's function, else general): with soft labels the
     *       gradient vanishes at {@code Z*} and the cost rises around it; with 0/1 or one-hot labels
     *       the cost falls strictly as the logits move toward the target.</li>
     *   <li><b>saturated outputs</b>: along the same path, cost and gradient are finite for logits
     *       of {@code +-700}.</li>
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

    /** The input size and batch size {@link #layer(String)} checks a layer with. */
    public static final int DEFAULT_LAYER_INPUT_SIZE = 5;
    /** See {@link #DEFAULT_LAYER_INPUT_SIZE}. */
    public static final int DEFAULT_LAYER_BATCH_SIZE = 7;

    /**
     * The checks of {@link #layer(String, int, int)} with an input of
     * {@value #DEFAULT_LAYER_INPUT_SIZE} rows and batches of {@value #DEFAULT_LAYER_BATCH_SIZE}
     * examples.
     *
     * @param spec e.g. {@code dense(units=3)} or {@code batch_norm}
     */
    public ConformanceSuite layer(String spec) {
        return layer(null, spec, DEFAULT_LAYER_INPUT_SIZE, DEFAULT_LAYER_BATCH_SIZE);
    }

    /**
     * The checks of a layer, each on fresh instances connected to an input of {@code inputSize}
     * rows ({@code X} is {@code (inputSize, m)}, {@code Z} is {@code (outputSize(inputSize), m)}) and
     * initialized with the kit's normal initializer ({@code N(0, 1/fanIn)}) from a seeded generator.
     * Contexts come from {@link dev.nnkit.Step}. The gradient checks differentiate the scalar
     * {@code J = (1/m) sum(R * Z)} of a {@code CHECKING} forward pass, for a fixed random
     * {@code R}: its per-example gradient {@code m dJ/dZ} is {@code R}, so backward with
     * {@code dOutput = R} must give {@code dJ/dtheta} for each parameter and {@code m dJ/dX} as
     * dInput.
     * <ul>
     *   <li><b>output size and shapes</b>: {@code outputSize(inputSize) >= 1}, the same before and
     *       after {@code connect}; forward passes ({@code TRAINING}, {@code CHECKING},
     *       {@code INFERENCE}, and {@code INFERENCE} with {@code m = 1}) write every entry of a
     *       NaN-filled {@code (outputSize, m)} output without reshaping it; backward writes every
     *       entry of dInput and of each parameter gradient (overwriting, not adding); no input is
     *       modified.</li>
     *   <li><b>initialize deterministic by seed</b>: two instances initialized from generators of one
     *       seed hold the same parameter and state bits.</li>
     *   <li><b>parameter gradient</b>: every entry of every parameter's gradient against central
     *       differences of {@code J} (same tolerances as the other kits).</li>
     *   <li><b>input gradient</b>: every entry of dInput against {@code m} times central differences
     *       of {@code J}.</li>
     *   <li><b>first layer</b>: with {@code needsInputGradient() == false} and an empty dInput,
     *       backward leaves dInput alone and gives the same parameter gradients, bit for bit.</li>
     *   <li><b>inference deterministic</b> (after two training steps): two {@code INFERENCE} forward
     *       passes give the same bits and change no parameter or state; changing one example changes
     *       only its own output column.</li>
     *   <li><b>state only in training</b>: {@code CHECKING} forward and backward passes and
     *       {@code INFERENCE} passes change neither parameters nor state; {@code TRAINING} passes
     *       change no parameter.</li>
     *   <li><b>model file round trip</b>: a network of this layer and the kit's dense layer, trained
     *       two steps, saved with {@link dev.nnkit.io.ModelFile#save} and loaded: same parameters,
     *       same state arrays and same predictions, bit for bit.</li>
     *   <li><b>concurrent inference</b>: 4 threads predicting 25 times each with that network give
     *       the single-thread predictions, bit for bit.</li>
     *   <li><b>no allocation in steady state</b>: 200 {@code TRAINING} forward and backward passes
     *       with one reused step, after 5 warm-up passes, allocate at most 256 bytes on the thread
     *       (measured with {@code com.sun.management.ThreadMXBean}, net of the measurement itself;
     *       best of 3 rounds, because the JVM itself rarely allocates about 1 KB on a thread, e.g.
     *       when it deoptimizes compiled code): less than one 16-byte object per 12 passes, so a
     *       layer that allocates anything per pass fails every round.</li>
     * </ul>
     * A layer that implements {@link dev.nnkit.spi.FloatLayer} (a float kernel for float32
     * networks) also gets, with the kit playing the network's part (the double parameters rounded to
     * float and copied into the float ones):
     * <ul>
     *   <li><b>float parameters aligned</b>: {@code floatParameters()} lists the arrays of
     *       {@code parameters()} in the same order, with the same names, roles and shapes, and is the
     *       same list at every call.</li>
     *   <li><b>float kernel</b> (after two training steps, on a float-representable input): the float
     *       forward pass in {@code TRAINING} (steps of one seed), {@code CHECKING} and
     *       {@code INFERENCE}, and the float backward pass with {@code dOutput = R} in the first two,
     *       agree with the double passes within {@code 2^-14} (1024 float roundoffs) of the largest
     *       entry of each result: {@code Z}, dInput, every parameter gradient, and the state after the
     *       pass (state stays double; a float {@code TRAINING} pass updates it as a double one does).</li>
     *   <li><b>float passes read the float parameters</b>: with the double parameters set to NaN, the
     *       float passes give the same bits (the optimizer of a float32 network updates the float ones).</li>
     *   <li><b>no allocation in steady state (float)</b>: as above, with float passes.</li>
     * </ul>
     * The networks are built from a registry of the kit's own plugins ({@code conformance_dense},
     * {@code conformance_identity}, {@code conformance_normal}, {@code conformance_squared_error},
     * {@code conformance_sgd}) and the layer under check, made by this conformance's registry.
     *
     * @param spec      e.g. {@code dense(units=3)}
     * @param inputSize the number of rows of the layer's input, {@code >= 1}
     * @param batchSize the number of examples of the batches checked, {@code >= 2}
     */
    public ConformanceSuite layer(String spec, int inputSize, int batchSize) {
        return layer(null, spec, inputSize, batchSize);
    }

    /**
     * The checks of {@link #layer(String, int, int)}, and the registry must make exactly {@code type}.
     *
     * @param type the layer's class, or null not to check it
     * @throws IllegalArgumentException when {@code inputSize < 1} or {@code batchSize < 2}
     */
    public ConformanceSuite layer(Class<? extends Layer> type, String spec, int inputSize, int batchSize) {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize=" + inputSize + "; a layer's input has at least 1 row");
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batchSize=" + batchSize + "; the kit needs batches of at least 2 examples "
                    + "(batch statistics of one example are degenerate)");
        }
        Maker<Layer> maker = new Maker<>(registry, Layer.class, spec, type);
        return new ConformanceSuite(maker.label(), spec, new LayerChecks(maker, inputSize, batchSize).all());
    }

    /**
     * The checks of an optimizer, on the convex quadratic {@code J = 1/2 sum_i a_i (x_i - c_i)^2}
     * over a {@code 3 x 4} weight and a {@code 3 x 1} bias (curvatures {@code a_i} in
     * {@code [0.5, 2]}, random minimum {@code c}), whose gradient {@code a_i (x_i - c_i)} is written
     * into the {@link dev.nnkit.spi.Parameter}s before each update:
     * <ul>
     *   <li><b>descends on a convex quadratic</b>: the first update lowers {@code J}, and after 1000
     *       updates (each at {@code baseLearningRate()}) each array's part of {@code J} is at most
     *       half of what it was.</li>
     *   <li><b>follows the step's learning rate</b>: {@code baseLearningRate()} is finite and
     *       {@code > 0}; from the same start, one update at {@code alpha0 / 4} moves every entry a
     *       quarter as far as one at {@code alpha0} (relative {@code 1e-9}), and one at rate 0 moves
     *       nothing: the optimizer steps with the rate the trainer passes (the schedule's), not with
     *       its spec's {@code learning_rate}.</li>
     *   <li><b>state round trip</b>: 5 updates, {@code state()} handed to {@code restoreState} of a
     *       fresh instance, 5 more updates on each: both end bit-identical to an uninterrupted run of
     *       10, and the arrays {@code state()} returned are copies.</li>
     *   <li><b>state that does not fit is refused</b>: a state missing its last array, or with an
     *       array one entry short, is refused by {@code restoreState} or the first update.</li>
     *   <li><b>resume from a checkpoint</b>: a {@link dev.nnkit.training.Trainer} run of 4 epochs
     *       (mini-batches, shuffled, the rate halved every epoch by a schedule) against one saved
     *       after epoch 2 with its
     *       {@link dev.nnkit.training.TrainingState} to a {@link dev.nnkit.io.ModelFile}, loaded and
     *       {@linkplain dev.nnkit.training.Trainer#resume resumed}: same parameters, bit for bit.</li>
     * </ul>
     * Choose a learning rate at which the optimizer converges on curvatures up to 2 (e.g.
     * {@code sgd(learning_rate=0.1)}, {@code adam(learning_rate=0.01)}).
     *
     * @param spec e.g. {@code adam(learning_rate=0.01)}
     */
    public ConformanceSuite optimizer(String spec) {
        return optimizer(null, spec);
    }

    /** The checks of {@link #optimizer(String)}, and the registry must make exactly {@code type}. */
    public ConformanceSuite optimizer(Class<? extends Optimizer> type, String spec) {
        Maker<Optimizer> maker = new Maker<>(registry, Optimizer.class, spec, type);
        return new ConformanceSuite(maker.label(), spec, new OptimizerChecks(maker).all());
    }

    /**
     * The checks of a learning-rate schedule that starts at the base rate (every decay); see
     * {@link #schedule(Class, String, boolean)}.
     *
     * @param spec e.g. {@code exponential(rate=0.95)}
     */
    public ConformanceSuite schedule(String spec) {
        return schedule(null, spec, true);
    }

    /**
     * The checks of a learning-rate {@link Schedule}, evaluated at positions
     * {@code (step, epoch, stepsPerEpoch)} as the trainer makes them, for 1, 7 and 469 steps per
     * epoch:
     * <ul>
     *   <li><b>pure</b>: at 168 positions (the first 40 steps, epoch boundaries up to epoch
     *       1000, and far steps), evaluated in order, again in reverse order on the same instance,
     *       and shuffled on a fresh instance, twice in a row: the same bits every time. A schedule
     *       that keeps state (counts its calls) fails: a resumed run would follow another curve.</li>
     *   <li><b>finite and {@code >= 0}</b>: every step from 1 to 3000 and steps spread geometrically
     *       up to the last whose epoch fits an {@code int} ({@code 469 * (2^31 - 1)} steps), for base
     *       rates {@code 1e-4}, {@code 0.01} and {@code 1.2}.</li>
     *   <li><b>starts at the base rate</b>, when {@code startsAtBaseRate}: step 1 gives
     *       {@code alpha0} within a relative {@code 1e-12}, for base rates {@code 1e-4}, {@code 0.01},
     *       {@code 1.2} and 1, 7 or 469 steps per epoch (the notes count epochs from 0: the first
     *       epoch runs at {@code alpha0}).</li>
     *   <li><b>composes with warm-up</b>: {@code warmup(steps=10, then=<toString()>)} parses and
     *       round-trips, the registry's {@code warmup} (core's) makes it, and it gives
     *       {@code min(1, step / 10)} times the schedule's rate.</li>
     * </ul>
     *
     * @param type             the schedule's class, or null not to check it
     * @param spec             e.g. {@code warmup(steps=500, then=cosine(epochs=20))}
     * @param startsAtBaseRate whether the schedule promises {@code alpha0} at step 1 (false for a warm-up)
     */
    public ConformanceSuite schedule(Class<? extends Schedule> type, String spec, boolean startsAtBaseRate) {
        Maker<Schedule> maker = new Maker<>(registry, Schedule.class, spec, type);
        return new ConformanceSuite(maker.label(), spec, new ScheduleChecks(maker, startsAtBaseRate).all());
    }

    /**
     * The checks of a compute backend (its {@link dev.nnkit.spi.MatrixOps}), which must be usable
     * where the check runs (an unusable one fails with its reason); matrices are standard normal,
     * on shapes from (1, 1) x (1, 1) to the MLP's (128, 784) x (784, 64), an empty inner dimension
     * among them:
     * <ul>
     *   <li><b>double products</b>: {@code A B}, {@code A^T B} and {@code 0.3 A B^T} within
     *       {@code gamma_{K+1} |A| |B|} of the exact product entry by entry, where
     *       {@code gamma_n = n u / (1 - n u)}, {@code u = 2^-53} (Higham, <i>Accuracy and Stability
     *       of Numerical Algorithms</i>, §3.5: any order of summation, with or without FMA); the
     *       reference is a double-double sum.</li>
     *   <li><b>float products</b>: when the ops implement {@link dev.nnkit.spi.FloatMatrixOps}, the
     *       same on float operands with {@code u = 2^-24}; otherwise a pass that says float32
     *       networks widen to the double products (no second kernel is required).</li>
     *   <li><b>deterministic</b>: the same product four times gives the same bits, in double and,
     *       when offered, in float.</li>
     * </ul>
     *
     * @param spec e.g. {@code openblas(threads=1)}
     */
    public ConformanceSuite computeBackend(String spec) {
        return computeBackend(null, spec);
    }

    /** The checks of {@link #computeBackend(String)}, and the registry must make exactly {@code type}. */
    public ConformanceSuite computeBackend(Class<? extends ComputeBackend> type, String spec) {
        Maker<ComputeBackend> maker = new Maker<>(registry, ComputeBackend.class, spec, type);
        return new ConformanceSuite(maker.label(), spec, new ComputeBackendChecks(maker).all());
    }
}
