package dev.nnkit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StandardFunction;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Plugins defined in test code and registered through src/test/resources/META-INF/services, as a
 * third party would: core's tests use them without any change to core.
 */
public final class TestPlugins {

    private TestPlugins() {
    }

    /** {@code test_scaled(factor=1)}: g(z) = factor * z. */
    public static final class Scaled implements Activation {
        final double factor;

        Scaled(double factor) {
            this.factor = factor;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = factor * z.data[k];
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < z.getNumElements(); k++) {
                dZ.data[k] = factor * dA.data[k];
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of("test_scaled").with("factor", factor).toString();
        }
    }

    /** Registers {@code test_scaled}. */
    public static final class ScaledProvider extends NamedProvider<Activation> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public ScaledProvider() {
            super(Activation.class, "test_scaled");
        }

        @Override
        public Activation create(Arguments arguments) {
            return new Scaled(arguments.getDouble("factor", 1.0));
        }
    }

    /**
     * {@code sigmoid}: the logistic function, declared as {@link StandardFunction#LOGISTIC} as core's
     * {@code sigmoid} (module nnkit-activations) declares it, so binary cross-entropy takes its fused path.
     */
    public static final class Sigmoid extends PlainSigmoid implements StandardActivation {
        @Override
        public StandardFunction function() {
            return StandardFunction.LOGISTIC;
        }

        @Override
        public String toString() {
            return "sigmoid";
        }
    }

    /** Registers {@link Sigmoid} under the name the binary cross-entropy loss pairs with. */
    public static final class SigmoidProvider extends NamedProvider<Activation> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public SigmoidProvider() {
            super(Activation.class, "sigmoid");
        }

        @Override
        public Activation create(Arguments arguments) {
            return new Sigmoid();
        }
    }

    /**
     * {@code test_plain_sigmoid}: the same logistic function without the {@link StandardActivation}
     * declaration, so every loss uses its general path with it.
     */
    public static class PlainSigmoid implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = 1.0 / (1.0 + Math.exp(-z.data[k]));
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < z.getNumElements(); k++) {
                dZ.data[k] = dA.data[k] * a.data[k] * (1.0 - a.data[k]);
            }
        }

        @Override
        public String toString() {
            return "test_plain_sigmoid";
        }
    }

    /** Registers {@code test_plain_sigmoid}. */
    public static final class PlainSigmoidProvider extends NamedProvider<Activation> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public PlainSigmoidProvider() {
            super(Activation.class, "test_plain_sigmoid");
        }

        @Override
        public Activation create(Arguments arguments) {
            return new PlainSigmoid();
        }
    }

    /** {@code test_softmax}: softmax per column, declared as {@link StandardFunction#SOFTMAX} as core's {@code softmax}. */
    public static final class Softmax extends PlainSoftmax implements StandardActivation {
        @Override
        public StandardFunction function() {
            return StandardFunction.SOFTMAX;
        }

        @Override
        public String toString() {
            return "test_softmax";
        }
    }

    /** Registers {@code test_softmax}. */
    public static final class SoftmaxProvider extends NamedProvider<Activation> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public SoftmaxProvider() {
            super(Activation.class, "test_softmax");
        }

        @Override
        public Activation create(Arguments arguments) {
            return new Softmax();
        }
    }

    /**
     * {@code test_plain_softmax}: softmax per column with its Jacobian-vector product
     * {@code dZ_i = a_i (dA_i - sum_k a_k dA_k)}, without the {@link StandardActivation} declaration.
     */
    public static class PlainSoftmax implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            int n = z.numRows;
            int m = z.numCols;
            for (int j = 0; j < m; j++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, z.get(i, j));
                }
                double sum = 0.0;
                for (int i = 0; i < n; i++) {
                    sum += Math.exp(z.get(i, j) - max);
                }
                for (int i = 0; i < n; i++) {
                    a.set(i, j, Math.exp(z.get(i, j) - max) / sum);
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
                    dot += a.get(i, j) * dA.get(i, j);
                }
                for (int i = 0; i < n; i++) {
                    dZ.set(i, j, a.get(i, j) * (dA.get(i, j) - dot));
                }
            }
        }

        @Override
        public String toString() {
            return "test_plain_softmax";
        }
    }

    /** Registers {@code test_plain_softmax}. */
    public static final class PlainSoftmaxProvider extends NamedProvider<Activation> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public PlainSoftmaxProvider() {
            super(Activation.class, "test_plain_softmax");
        }

        @Override
        public Activation create(Arguments arguments) {
            return new PlainSoftmax();
        }
    }

    /** {@code test_gaussian(std=1)}: N(0, std^2) entries. */
    public static final class GaussianProvider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public GaussianProvider() {
            super(Initializer.class, "test_gaussian");
        }

        @Override
        public Initializer create(Arguments arguments) {
            double std = arguments.getDouble("std", 1.0);
            return new Initializer() {
                @Override
                public void initialize(DMatrixRMaj w, RandomGenerator random) {
                    for (int k = 0; k < w.getNumElements(); k++) {
                        w.data[k] = std * random.nextGaussian();
                    }
                }

                @Override
                public double variance(int fanIn, int fanOut) {
                    return std * std;
                }

                @Override
                public String toString() {
                    return PluginSpec.of("test_gaussian").with("std", std).toString();
                }
            };
        }
    }

    /** A second provider claiming the layer name {@code dense}: only listed in private service folders. */
    public static final class DuplicateDense extends NamedProvider<Layer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public DuplicateDense() {
            super(Layer.class, "dense");
        }

        @Override
        public Layer create(Arguments arguments) {
            throw new UnsupportedOperationException("never created");
        }
    }

    /** A provider whose constructor fails: only listed in private service folders. */
    public static final class Broken implements PluginProvider<Activation> {
        public Broken() {
            throw new IllegalStateException("broken on purpose");
        }

        @Override
        public Class<Activation> kind() {
            return Activation.class;
        }

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public Activation create(Arguments arguments) {
            return null;
        }
    }
}
