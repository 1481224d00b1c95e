package dev.nnkit.layers;

import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.StateArray;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** Layers, matrices, data and networks shared by the tests. */
final class Support {

    private Support() {
    }

    /** Every provider on the test class path: core, this module, activations, initializers, regularizers. */
    static PluginRegistry registry() {
        return PluginRegistry.defaults();
    }

    /** A batch_norm layer made from {@code spec} through the registry, connected to {@code n} units and initialized. */
    static Layer batchNorm(String spec, int n) {
        Layer layer = registry().create(Layer.class, spec);
        layer.connect(n);
        layer.initialize(registry().create(Initializer.class, "he_normal"), new SplittableRandom(0));
        return layer;
    }

    /** A matrix of {@code rows} rows holding {@code values} in row-major order. */
    static DMatrixRMaj matrix(int rows, double... values) {
        if (values.length % rows != 0) {
            throw new IllegalArgumentException(values.length + " values do not fill " + rows + " rows");
        }
        return new DMatrixRMaj(rows, values.length / rows, true, values);
    }

    /** Entries uniform in {@code [lo, hi)} from a generator seeded with {@code seed}. */
    static DMatrixRMaj uniform(int rows, int cols, double lo, double hi, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < out.getNumElements(); k++) {
            out.data[k] = random.nextDouble(lo, hi);
        }
        return out;
    }

    /** The parameter {@code name} of a layer, live. */
    static Parameter parameter(Layer layer, String name) {
        return layer.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** The state array {@code name} of a layer, live. */
    static DMatrixRMaj state(Layer layer, String name) {
        return layer.state().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().value();
    }

    /** The raw bits of the entries, for bit-for-bit comparison (0.0 differs from -0.0, NaN payloads count). */
    static long[] bits(DMatrixRMaj m) {
        long[] out = new long[m.getNumElements()];
        for (int k = 0; k < out.length; k++) {
            out[k] = Double.doubleToRawLongBits(m.data[k]);
        }
        return out;
    }

    /** The raw bits of every parameter value then every state array of a network, layer by layer. */
    static long[] modelBits(Network network) {
        List<Long> all = new ArrayList<>();
        for (int l = 1; l <= network.depth(); l++) {
            for (Parameter p : network.parameters(l)) {
                for (long b : bits(p.value())) {
                    all.add(b);
                }
            }
            for (StateArray s : network.state(l)) {
                for (long b : bits(s.value())) {
                    all.add(b);
                }
            }
        }
        return all.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * A separable problem: {@code m} points of two features on different scales and not centred
     * ({@code x1} in {@code [2, 8)}, {@code x2} in {@code [-1, 1)}), label 1 when
     * {@code (x1 - 5) / 3 + x2 > 0}.
     */
    static Dataset separable(int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int j = 0; j < m; j++) {
            double u = random.nextDouble(-1, 1);
            double v = random.nextDouble(-1, 1);
            x.set(0, j, 5 + 3 * u);
            x.set(1, j, v);
            y.set(0, j, u + v > 0 ? 1 : 0);
        }
        return new Dataset(x, y);
    }

    /** {@code 2 -> dense(8, identity) -> batch_norm (relu) -> dense(1, sigmoid)}, binary cross-entropy. */
    static Network network(long seed, List<String> batchNormRegularizers) {
        return Network.builder(2)
                .layer(LayerConfig.dense(8).withActivation("identity"))
                .layer(new LayerConfig("batch_norm", "relu", null, batchNormRegularizers))
                .dense(1, "sigmoid")
                .loss("binary_cross_entropy")
                .seed(seed)
                .build();
    }
}
