package dev.nnkit.examples;

import dev.nnkit.Network;
import picocli.CommandLine.Option;

/**
 * {@code --activation} and {@code --init}: the activation and the weight initializer of the hidden
 * layers, each a plugin spec string. Each command gives its own defaults, which the help shows.
 */
final class HiddenLayerOptions {

    @Option(names = "--activation", description = "Activation of the hidden layers, a spec string (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--init", description = "Weight initializer, a spec string (default: ${DEFAULT-VALUE}).")
    String initializer;

    /**
     * @param activation  the default {@code --activation}, e.g. {@code relu}
     * @param initializer the default {@code --init}, e.g. {@code he_normal}
     */
    HiddenLayerOptions(String activation, String initializer) {
        this.activation = activation;
        this.initializer = initializer;
    }

    /**
     * Refuses an unknown or malformed {@code --activation} or {@code --init} before any work, with
     * the registry's message (an unknown name and the nearest known one).
     *
     * @throws dev.nnkit.spi.PluginException for a spec the plugins cannot make
     */
    void check() {
        dev.nnkit.PluginRegistry registry = dev.nnkit.PluginRegistry.defaults();
        registry.create(dev.nnkit.spi.Activation.class, activation);
        registry.create(dev.nnkit.spi.Initializer.class, initializer);
    }

    /** A network builder for {@code inputs} features with these hidden-layer defaults. */
    Network.Builder builder(int inputs) {
        return Network.builder(inputs).activation(activation).initializer(initializer);
    }
}
