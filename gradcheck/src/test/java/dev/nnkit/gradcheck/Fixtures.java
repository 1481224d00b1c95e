package dev.nnkit.gradcheck;

import dev.nnkit.Dataset;
import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StandardFunction;
import dev.nnkit.spi.StepContext;
import dev.nnkit.spi.WeightPenalty;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Test plugins for the checker's tests: copies of shipped activations (gradcheck may not depend on
 * the plugin modules), planted bugs, an initializer and regularizers. They live in a private
 * registry ({@link #registry()}: core's own providers plus these), not in META-INF/services, so
 * they cannot collide with other test fixtures of this module. The sigmoid and softmax copies
 * declare their {@link StandardFunction}, so core's cross-entropy losses take their fused path with
 * them.
 */
final class Fixtures {

    private Fixtures() {
    }

    /** Core's providers (dense, losses, optimizers) found by ServiceLoader, plus the fixtures. */
    static PluginRegistry registry() {
        List<PluginProvider<?>> providers = new ArrayList<>();
        for (PluginProvider<?> p : ServiceLoader.load(PluginProvider.class)) {
            if (p.getClass().getName().startsWith("dev.nnkit.internal.")) {
                providers.add(p);
            }
        }
        providers.add(provider(Activation.class, "fixture_tanh", a -> new Tanh("fixture_tanh", false)));
        providers.add(provider(Activation.class, "fixture_tanh_bad", a -> new Tanh("fixture_tanh_bad", true)));
        providers.add(provider(Activation.class, "fixture_sigmoid", a -> new Sigmoid("fixture_sigmoid")));
        providers.add(provider(Activation.class, "sigmoid", a -> new Sigmoid("sigmoid")));
        providers.add(provider(Activation.class, "softmax", a -> new Softmax()));
        providers.add(provider(Activation.class, "fixture_relu", a -> new LeakyRelu("fixture_relu", 0.0)));
        providers.add(provider(Activation.class, "fixture_leaky_relu",
                a -> new LeakyRelu("fixture_leaky_relu", a.getDouble("alpha", 0.01))));
        providers.add(provider(Activation.class, "fixture_identity", a -> new Identity()));
        providers.add(provider(Initializer.class, "fixture_lecun", a -> new Lecun()));
        providers.add(provider(Regularizer.class, "fixture_l2", a -> new L2(a.getDouble("lambda", 0.1), true)));
        providers.add(provider(Regularizer.class, "fixture_l2_forgetful",
                a -> new L2(a.getDouble("lambda", 0.1), false)));
        providers.add(provider(Regularizer.class, "fixture_dropout", a -> new Dropout(a.getDouble("keep_prob", 0.5))));
        return PluginRegistry.of(providers);
    }

    private static <T> PluginProvider<T> provider(Class<T> kind, String name, Function<Arguments, T> factory) {
        return new PluginProvider<>() {
            @Override
            public Class<T> kind() {
                return kind;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public T create(Arguments arguments) {
                return factory.apply(arguments);
            }
        };
    }

    /**
     * Seeded data the given loss accepts: Gaussian X; one-hot Y for softmax cross-entropy,
     * alternating 0/1 for binary cross-entropy, uniform in (-0.9, 0.9) otherwise.
     */
    static Dataset data(int inputs, int outputs, String loss, int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(inputs, m);
        DMatrixRMaj y = new DMatrixRMaj(outputs, m);
        for (int k = 0; k < x.getNumElements(); k++) {
            x.data[k] = random.nextGaussian();
        }
        for (int j = 0; j < m; j++) {
            if (loss.equals("softmax_cross_entropy")) {
                y.set(random.nextInt(outputs), j, 1.0);
            } else if (loss.equals("binary_cross_entropy")) {
                for (int i = 0; i < outputs; i++) {
                    y.set(i, j, (i + j) % 2);
                }
            } else {
                for (int i = 0; i < outputs; i++) {
                    y.set(i, j, random.nextDouble(-0.9, 0.9));
                }
            }
        }
        return new Dataset(x, y);
    }

    /** A copy of the shipped tanh; {@code planted} makes the derivative {@code 1 - a} instead of {@code 1 - a^2}. */
    static final class Tanh implements Activation {
        private final String name;
        private final boolean planted;

        Tanh(String name, boolean planted) {
            this.name = name;
            this.planted = planted;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0, n = z.getNumElements(); k < n; k++) {
                a.data[k] = Math.tanh(z.data[k]);
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0, n = a.getNumElements(); k < n; k++) {
                double ak = a.data[k];
                dZ.data[k] = dA.data[k] * (planted ? 1.0 - ak : (1.0 - ak) * (1.0 + ak));
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A copy of the shipped sigmoid: {@code a = 1 / (1 + e^-z)}, {@code g' = a (1 - a)}. */
    static final class Sigmoid implements StandardActivation {
        private final String name;

        Sigmoid(String name) {
            this.name = name;
        }

        @Override
        public StandardFunction function() {
            return StandardFunction.LOGISTIC;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0, n = z.getNumElements(); k < n; k++) {
                double zk = z.data[k];
                a.data[k] = zk >= 0 ? 1.0 / (1.0 + Math.exp(-zk)) : Math.exp(zk) / (1.0 + Math.exp(zk));
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0, n = a.getNumElements(); k < n; k++) {
                double ak = a.data[k];
                dZ.data[k] = dA.data[k] * ak * (1.0 - ak);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A copy of the shipped softmax, column by column, with its Jacobian-vector product. */
    static final class Softmax implements StandardActivation {
        @Override
        public StandardFunction function() {
            return StandardFunction.SOFTMAX;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            int n = z.numRows;
            int m = z.numCols;
            for (int j = 0; j < m; j++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, z.data[i * m + j]);
                }
                double sum = 0.0;
                for (int i = 0; i < n; i++) {
                    double e = Math.exp(z.data[i * m + j] - max);
                    a.data[i * m + j] = e;
                    sum += e;
                }
                for (int i = 0; i < n; i++) {
                    a.data[i * m + j] /= sum;
                }
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            int n = a.numRows;
            int m = a.numCols;
            for (int j = 0; j < m; j++) {
                double dot = 0.0;
                for (int i = 0; i < n; i++) {
                    dot += a.data[i * m + j] * dA.data[i * m + j];
                }
                for (int i = 0; i < n; i++) {
                    dZ.data[i * m + j] = a.data[i * m + j] * (dA.data[i * m + j] - dot);
                }
            }
        }

        @Override
        public String toString() {
            return "softmax";
        }
    }

    /** A copy of the shipped (leaky) ReLU: {@code z} for {@code z > 0}, else {@code alpha z}; slope alpha at 0. */
    static final class LeakyRelu implements Activation {
        private final String name;
        private final double alpha;

        LeakyRelu(String name, double alpha) {
            this.name = name;
            this.alpha = alpha;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0, n = z.getNumElements(); k < n; k++) {
                double zk = z.data[k];
                a.data[k] = zk > 0.0 ? zk : alpha * zk;
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0, n = z.getNumElements(); k < n; k++) {
                dZ.data[k] = z.data[k] > 0.0 ? dA.data[k] : alpha * dA.data[k];
            }
        }

        @Override
        public String toString() {
            return alpha == 0.0 ? name : PluginSpec.of(name).with("alpha", alpha).toString();
        }
    }

    /** The identity {@code a = z}. */
    static final class Identity implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            System.arraycopy(z.data, 0, a.data, 0, z.getNumElements());
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            System.arraycopy(dA.data, 0, dZ.data, 0, dA.getNumElements());
        }

        @Override
        public String toString() {
            return "fixture_identity";
        }
    }

    /** LeCun normal: {@code N(0, 1 / fanIn)}. */
    static final class Lecun implements Initializer {
        @Override
        public void initialize(DMatrixRMaj w, RandomGenerator random) {
            double std = Math.sqrt(1.0 / w.numCols);
            for (int k = 0; k < w.getNumElements(); k++) {
                w.data[k] = std * random.nextGaussian();
            }
        }

        @Override
        public double variance(int fanIn, int fanOut) {
            return 1.0 / fanIn;
        }

        @Override
        public String toString() {
            return "fixture_lecun";
        }
    }

    /**
     * L2: penalty {@code (lambda / 2m) ||W||_F^2}, gradient {@code (lambda / m) W}; the forgetful
     * copy adds the penalty to the cost but forgets its gradient.
     */
    static final class L2 implements WeightPenalty {
        private final double lambda;
        private final boolean withGradient;

        L2(double lambda, boolean withGradient) {
            this.lambda = lambda;
            this.withGradient = withGradient;
        }

        @Override
        public double penalty(DMatrixRMaj w, int m) {
            double sum = 0.0;
            for (int k = 0; k < w.getNumElements(); k++) {
                sum += w.data[k] * w.data[k];
            }
            return lambda / (2.0 * m) * sum;
        }

        @Override
        public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
            if (withGradient) {
                for (int k = 0; k < w.getNumElements(); k++) {
                    dW.data[k] += lambda / m * w.data[k];
                }
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of(withGradient ? "fixture_l2" : "fixture_l2_forgetful").with("lambda", lambda).toString();
        }
    }

    /**
     * Inverted dropout: {@code out = A * D / keep_prob}, {@code dA = dA * D / keep_prob}, with the
     * mask drawn through the context and kept in its buffer 0; the identity outside TRAINING.
     */
    static final class Dropout implements ActivationTransform {
        private final double keepProb;

        Dropout(double keepProb) {
            this.keepProb = keepProb;
        }

        @Override
        public boolean isActive() {
            return keepProb < 1.0;
        }

        @Override
        public void forward(DMatrixRMaj a, DMatrixRMaj out, StepContext context) {
            if (!context.mode().isStochastic()) {
                if (out != a) {
                    out.setTo(a);
                }
                return;
            }
            DMatrixRMaj mask = context.buffer(0, a.numRows, a.numCols);
            context.drawMask(mask, keepProb);
            for (int k = 0; k < a.getNumElements(); k++) {
                out.data[k] = a.data[k] * mask.data[k] / keepProb;
            }
        }

        @Override
        public void backward(DMatrixRMaj dA, StepContext context) {
            if (!context.mode().isStochastic()) {
                return;
            }
            DMatrixRMaj mask = context.buffer(0, dA.numRows, dA.numCols);
            for (int k = 0; k < dA.getNumElements(); k++) {
                dA.data[k] = dA.data[k] * mask.data[k] / keepProb;
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of("fixture_dropout").with("keep_prob", keepProb).toString();
        }
    }
}
