package dev.nnkit.gradcheck.kit;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Schedule;
import dev.nnkit.spi.StepContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * The plugins the kit builds its small networks from, written in the kit (so that checking a
 * layer or an optimizer needs nothing but the plugin under check): an identity activation, a
 * normal initializer, a dense layer, squared error, plain gradient descent, and two schedules (a
 * constant rate, and a rate halved every epoch), all named {@code conformance_*}; and the registry
 * that holds them together with the plugin under check, which it makes through the author's
 * registry.
 */
final class KitPlugins {

    /** The names of the kit's own plugins. */
    static final String IDENTITY = "conformance_identity";
    static final String NORMAL = "conformance_normal";
    static final String DENSE = "conformance_dense";
    static final String SQUARED_ERROR = "conformance_squared_error";
    static final String SGD = "conformance_sgd";
    /** {@code alpha = alpha0}. */
    static final String CONSTANT = "conformance_constant";
    /** {@code alpha = alpha0 / 2^(epoch - 1)}. */
    static final String HALVING = "conformance_halving";

    private KitPlugins() {
    }

    /**
     * A registry of the kit's plugins and of the plugin under check: {@code kind} plugins named like
     * {@code spec} are made by {@code source} from the same spec string (its argument keys, and
     * those of the instance's {@code toString()}, are passed through).
     */
    static <T> PluginRegistry registry(PluginRegistry source, Class<T> kind, String spec) {
        PluginSpec parsed = PluginSpec.parse(spec);
        Set<String> keys = new LinkedHashSet<>(parsed.arguments().keySet());
        try {
            keys.addAll(PluginSpec.parse(String.valueOf(source.create(kind, spec))).arguments().keySet());
        } catch (RuntimeException e) {
            // the checks that use the registry report the failure when they make the plugin
        }
        List<PluginProvider<?>> providers = new ArrayList<>();
        providers.add(provider(kind, parsed.name(), arguments -> {
            Map<String, String> values = new LinkedHashMap<>();
            for (String key : keys) {
                if (arguments.has(key)) {
                    values.put(key, arguments.getString(key, null));
                }
            }
            return source.create(kind, new PluginSpec(parsed.name(), values));
        }));
        providers.add(provider(Activation.class, IDENTITY, a -> new Identity()));
        providers.add(provider(Initializer.class, NORMAL, a -> new Normal()));
        providers.add(provider(Layer.class, DENSE, a -> new Dense(a.requireInt("units"))));
        providers.add(provider(Loss.class, SQUARED_ERROR, a -> new SquaredError()));
        providers.add(provider(Optimizer.class, SGD, a -> new GradientDescent(a.getDouble("learning_rate", 0.05))));
        providers.add(provider(Schedule.class, CONSTANT, a -> new KitSchedule(CONSTANT, 1.0)));
        providers.add(provider(Schedule.class, HALVING, a -> new KitSchedule(HALVING, 0.5)));
        return PluginRegistry.of(providers);
    }

    private static <T> PluginProvider<T> provider(Class<T> kind, String name, Function<Arguments, T> factory) {
        return new NamedProvider<>(kind, name) {
            @Override
            public T create(Arguments arguments) {
                return factory.apply(arguments);
            }
        };
    }

    /** {@code A = Z}. */
    static final class Identity implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            if (a != z) {
                System.arraycopy(z.data, 0, a.data, 0, z.getNumElements());
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            if (dZ != dA) {
                System.arraycopy(dA.data, 0, dZ.data, 0, dA.getNumElements());
            }
        }

        @Override
        public String toString() {
            return IDENTITY;
        }
    }

    /** Entries {@code N(0, 1 / fanIn)}. */
    static final class Normal implements Initializer {
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
            return NORMAL;
        }
    }

    /** {@code Z = W X + b}, with {@code dW = (1/m) dZ X^T}, {@code db = (1/m) sum dZ}, {@code dX = W^T dZ}. */
    static final class Dense implements Layer {
        private final int units;
        private DMatrixRMaj w;
        private DMatrixRMaj b;
        private DMatrixRMaj dW;
        private DMatrixRMaj db;
        private List<Parameter> parameters = List.of();

        Dense(int units) {
            this.units = units;
        }

        @Override
        public int outputSize(int inputSize) {
            return units;
        }

        @Override
        public void connect(int inputSize) {
            w = new DMatrixRMaj(units, inputSize);
            b = new DMatrixRMaj(units, 1);
            dW = new DMatrixRMaj(units, inputSize);
            db = new DMatrixRMaj(units, 1);
            parameters = List.of(new Parameter("W", Parameter.Role.WEIGHT, w, dW), new Parameter("b", Parameter.Role.BIAS, b, db));
        }

        @Override
        public void initialize(Initializer initializer, RandomGenerator random) {
            initializer.initialize(w, random);
            b.zero();
        }

        @Override
        public List<Parameter> parameters() {
            return parameters;
        }

        @Override
        public void forward(DMatrixRMaj input, DMatrixRMaj output, StepContext context) {
            int n = w.numCols;
            int m = input.numCols;
            for (int i = 0; i < units; i++) {
                for (int j = 0; j < m; j++) {
                    double sum = b.data[i];
                    for (int k = 0; k < n; k++) {
                        sum += w.data[i * n + k] * input.data[k * m + j];
                    }
                    output.data[i * m + j] = sum;
                }
            }
        }

        @Override
        public void backward(DMatrixRMaj input, DMatrixRMaj output, DMatrixRMaj dOutput, DMatrixRMaj dInput,
                             StepContext context) {
            int n = w.numCols;
            int m = input.numCols;
            for (int i = 0; i < units; i++) {
                double sum = 0;
                for (int j = 0; j < m; j++) {
                    sum += dOutput.data[i * m + j];
                }
                db.data[i] = sum / m;
                for (int k = 0; k < n; k++) {
                    double s = 0;
                    for (int j = 0; j < m; j++) {
                        s += dOutput.data[i * m + j] * input.data[k * m + j];
                    }
                    dW.data[i * n + k] = s / m;
                }
            }
            if (context.needsInputGradient()) {
                for (int k = 0; k < n; k++) {
                    for (int j = 0; j < m; j++) {
                        double s = 0;
                        for (int i = 0; i < units; i++) {
                            s += w.data[i * n + k] * dOutput.data[i * m + j];
                        }
                        dInput.data[k * m + j] = s;
                    }
                }
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of(DENSE).with("units", units).toString();
        }
    }

    /** {@code J = (1/2m) sum (a - y)^2}, {@code dA = A - Y}. */
    static final class SquaredError implements Loss {
        @Override
        public double cost(DMatrixRMaj a, DMatrixRMaj y) {
            double sum = 0;
            for (int k = 0; k < a.getNumElements(); k++) {
                double d = a.data[k] - y.data[k];
                sum += d * d;
            }
            return 0.5 * sum / a.numCols;
        }

        @Override
        public void gradient(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dA) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dA.data[k] = a.data[k] - y.data[k];
            }
        }

        @Override
        public String toString() {
            return SQUARED_ERROR;
        }
    }

    /** {@code W := W - alpha dW}. */
    static final class GradientDescent implements Optimizer {
        private final double baseRate;

        GradientDescent(double baseRate) {
            this.baseRate = baseRate;
        }

        @Override
        public double baseLearningRate() {
            return baseRate;
        }

        @Override
        public void update(List<Parameter> parameters, long step, double learningRate) {
            for (int p = 0; p < parameters.size(); p++) {
                double[] w = parameters.get(p).value().data;
                double[] g = parameters.get(p).gradient().data;
                for (int k = 0, n = parameters.get(p).value().getNumElements(); k < n; k++) {
                    w[k] -= learningRate * g[k];
                }
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of(SGD).with("learning_rate", baseRate).toString();
        }
    }

    /** {@code alpha = alpha0 * factor^(epoch - 1)}: constant for factor 1. */
    static final class KitSchedule implements Schedule {
        private final String name;
        private final double factor;

        KitSchedule(String name, double factor) {
            this.name = name;
            this.factor = factor;
        }

        @Override
        public double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch) {
            return factor == 1.0 ? baseRate : baseRate * Math.pow(factor, epoch - 1);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
