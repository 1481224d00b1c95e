package dev.nnkit;

import java.util.List;

/**
 * The architecture of a network as data: everything needed to rebuild it, as spec strings, with
 * the network-wide defaults already resolved into every layer. Learned parameters are not part
 * of it.
 *
 * @param inputSize the number of input features {@code n[0]}
 * @param layers    the layers {@code 1..L}, output layer last
 * @param loss      the loss spec, e.g. {@code binary_cross_entropy}
 * @param seed      the seed of the weight initialization
 * @param random    the {@linkplain dev.nnkit.spi.RandomSource random source} spec the initial
 *                  weights are drawn from, e.g. {@code numpy_legacy}; {@value #DEFAULT_RANDOM}
 *                  (the default, also when null is given) is {@link java.util.SplittableRandom}
 * @param dtype     the number type the network computes in; {@link Dtype#FLOAT64} (the default,
 *                  also when null is given) or {@link Dtype#FLOAT32}
 */
public record NetworkConfig(int inputSize, List<LayerConfig> layers, String loss, long seed, String random, Dtype dtype) {

    /** The spec of the default random source. */
    public static final String DEFAULT_RANDOM = "splittable";

    /** Keeps an unmodifiable copy of the layers; a null random source or dtype means the default. */
    public NetworkConfig {
        layers = List.copyOf(layers);
        random = random == null ? DEFAULT_RANDOM : random;
        dtype = dtype == null ? Dtype.FLOAT64 : dtype;
    }

    /** A float64 config whose weights are drawn from the random source {@code random}. */
    public NetworkConfig(int inputSize, List<LayerConfig> layers, String loss, long seed, String random) {
        this(inputSize, layers, loss, seed, random, Dtype.FLOAT64);
    }

    /** A config whose weights are drawn from the default random source, {@value #DEFAULT_RANDOM}. */
    public NetworkConfig(int inputSize, List<LayerConfig> layers, String loss, long seed) {
        this(inputSize, layers, loss, seed, DEFAULT_RANDOM, Dtype.FLOAT64);
    }

    /** This config computing in {@code dtype}. */
    public NetworkConfig withDtype(Dtype dtype) {
        return new NetworkConfig(inputSize, layers, loss, seed, random, dtype);
    }
}
