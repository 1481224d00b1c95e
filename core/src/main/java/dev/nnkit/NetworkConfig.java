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
 */
public record NetworkConfig(int inputSize, List<LayerConfig> layers, String loss, long seed) {

    /** Keeps an unmodifiable copy of the layers. */
    public NetworkConfig {
        layers = List.copyOf(layers);
    }
}
