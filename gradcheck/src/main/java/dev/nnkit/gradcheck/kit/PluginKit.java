package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.Schedule;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;

/**
 * The conformance kit as JUnit 5 dynamic tests: one line per plugin in a {@code @TestFactory}.
 *
 * <pre>{@code
 * class ConformanceTest {
 *     @TestFactory Stream<DynamicTest> swish() {
 *         return PluginKit.activation(Swish.class, "swish(beta=1)");
 *     }
 *     @TestFactory Stream<DynamicTest> orthogonal() {
 *         return PluginKit.initializer("orthogonal(gain=1)");
 *     }
 *     @TestFactory Stream<DynamicTest> l1() {
 *         return PluginKit.regularizer("l1(lambda=0.3)", "l1(lambda=0)");
 *     }
 *     @TestFactory Stream<DynamicTest> mse() {
 *         return PluginKit.loss("mean_squared_error", "identity");
 *     }
 *     @TestFactory Stream<DynamicTest> batchNorm() {
 *         return PluginKit.layer(BatchNorm.class, "batch_norm", 5, 7);
 *     }
 *     @TestFactory Stream<DynamicTest> lion() {
 *         return PluginKit.optimizer("lion(learning_rate=0.01)");
 *     }
 *     @TestFactory Stream<DynamicTest> polynomial() {
 *         return PluginKit.schedule("polynomial(epochs=30, power=2)");
 *     }
 * }
 * }</pre>
 *
 * Each {@link Check} becomes one test named {@code "<spec>: <check>"}, e.g.
 * {@code "swish(beta=1): derivative"}; a failing one fails with the check's message, which says
 * what failed and by how much. The shortcuts use {@link Conformance#defaults()}, the registry of the
 * test's class path; for another registry, {@code tests(Conformance.of(registry).activation(...))}.
 * What each check does is documented on {@link Conformance}.
 */
public final class PluginKit {

    private PluginKit() {
    }

    /** One dynamic test per check of the suite. */
    public static Stream<DynamicTest> tests(ConformanceSuite suite) {
        return suite.checks().stream().map(check -> DynamicTest.dynamicTest(suite.spec() + ": " + check.name(), () -> {
            CheckResult result = check.run();
            if (!result.passed()) {
                Assertions.fail(result.message());
            }
        }));
    }

    /** {@link Conformance#activation(String)} on the default registry. */
    public static Stream<DynamicTest> activation(String spec) {
        return tests(Conformance.defaults().activation(spec));
    }

    /** {@link Conformance#activation(Class, String)} on the default registry. */
    public static Stream<DynamicTest> activation(Class<? extends Activation> type, String spec) {
        return tests(Conformance.defaults().activation(type, spec));
    }

    /** {@link Conformance#initializer(String)} on the default registry. */
    public static Stream<DynamicTest> initializer(String spec) {
        return tests(Conformance.defaults().initializer(spec));
    }

    /** {@link Conformance#initializer(Class, String)} on the default registry. */
    public static Stream<DynamicTest> initializer(Class<? extends Initializer> type, String spec) {
        return tests(Conformance.defaults().initializer(type, spec));
    }

    /** {@link Conformance#regularizer(String)} on the default registry. */
    public static Stream<DynamicTest> regularizer(String spec) {
        return tests(Conformance.defaults().regularizer(spec));
    }

    /** {@link Conformance#regularizer(String, String)} on the default registry. */
    public static Stream<DynamicTest> regularizer(String spec, String zeroStrengthSpec) {
        return tests(Conformance.defaults().regularizer(spec, zeroStrengthSpec));
    }

    /** {@link Conformance#regularizer(Class, String, String)} on the default registry. */
    public static Stream<DynamicTest> regularizer(Class<? extends Regularizer> type, String spec, String zeroStrengthSpec) {
        return tests(Conformance.defaults().regularizer(type, spec, zeroStrengthSpec));
    }

    /** {@link Conformance#loss(String, String)} on the default registry. */
    public static Stream<DynamicTest> loss(String spec, String outputActivationSpec) {
        return tests(Conformance.defaults().loss(spec, outputActivationSpec));
    }

    /** {@link Conformance#loss(Class, String, String)} on the default registry. */
    public static Stream<DynamicTest> loss(Class<? extends Loss> type, String spec, String outputActivationSpec) {
        return tests(Conformance.defaults().loss(type, spec, outputActivationSpec));
    }

    /** {@link Conformance#layer(String)} on the default registry. */
    public static Stream<DynamicTest> layer(String spec) {
        return tests(Conformance.defaults().layer(spec));
    }

    /** {@link Conformance#layer(String, int, int)} on the default registry. */
    public static Stream<DynamicTest> layer(String spec, int inputSize, int batchSize) {
        return tests(Conformance.defaults().layer(spec, inputSize, batchSize));
    }

    /** {@link Conformance#layer(Class, String, int, int)} on the default registry. */
    public static Stream<DynamicTest> layer(Class<? extends Layer> type, String spec, int inputSize, int batchSize) {
        return tests(Conformance.defaults().layer(type, spec, inputSize, batchSize));
    }

    /** {@link Conformance#optimizer(String)} on the default registry. */
    public static Stream<DynamicTest> optimizer(String spec) {
        return tests(Conformance.defaults().optimizer(spec));
    }

    /** {@link Conformance#optimizer(Class, String)} on the default registry. */
    public static Stream<DynamicTest> optimizer(Class<? extends Optimizer> type, String spec) {
        return tests(Conformance.defaults().optimizer(type, spec));
    }

    /** {@link Conformance#schedule(String)} on the default registry: a schedule that starts at the base rate. */
    public static Stream<DynamicTest> schedule(String spec) {
        return tests(Conformance.defaults().schedule(spec));
    }

    /** {@link Conformance#schedule(Class, String, boolean)} on the default registry. */
    public static Stream<DynamicTest> schedule(Class<? extends Schedule> type, String spec, boolean startsAtBaseRate) {
        return tests(Conformance.defaults().schedule(type, spec, startsAtBaseRate));
    }

    /** {@link Conformance#computeBackend(String)} on the default registry. */
    public static Stream<DynamicTest> computeBackend(String spec) {
        return tests(Conformance.defaults().computeBackend(spec));
    }

    /** {@link Conformance#computeBackend(Class, String)} on the default registry. */
    public static Stream<DynamicTest> computeBackend(Class<? extends ComputeBackend> type, String spec) {
        return tests(Conformance.defaults().computeBackend(type, spec));
    }
}
