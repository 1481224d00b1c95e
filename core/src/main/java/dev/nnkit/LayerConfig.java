package dev.nnkit;

import java.util.List;

/**
 * The configuration of one layer as spec strings: the layer itself (e.g. {@code dense(units=4)}),
 * its activation, the initializer of its weights and its regularizers. A {@code null} activation,
 * initializer or regularizer list means "the network-wide default" and is resolved when the
 * network is built; the {@link Network#config() config of a built network} has none left.
 *
 * @param layer        the layer spec, e.g. {@code dense(units=4)}
 * @param activation   the activation spec, e.g. {@code tanh}, or null for the network default
 * @param initializer  the weight initializer spec, e.g. {@code he_normal}, or null for the default
 * @param regularizers the regularizer specs, e.g. {@code [l2(lambda=0.7)]}, or null for the
 *                     default; an empty list means none even when the network has defaults
 */
public record LayerConfig(String layer, String activation, String initializer, List<String> regularizers) {

    /** Refuses a missing or blank layer spec and keeps an unmodifiable copy of the regularizers (null: the network's). */
    public LayerConfig {
        if (layer == null || layer.isBlank()) {
            throw new IllegalArgumentException("layer spec is " + (layer == null ? "null" : "blank")
                    + "; expected e.g. dense(units=4)");
        }
        regularizers = regularizers == null ? null : List.copyOf(regularizers);
    }

    /**
     * A layer from its spec, e.g. {@code LayerConfig.of("batch_norm")}, with every other setting
     * left to the network defaults.
     */
    public static LayerConfig of(String layer) {
        return new LayerConfig(layer, null, null, null);
    }

    /** A dense layer of {@code units} units with every other setting left to the network defaults. */
    public static LayerConfig dense(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("dense layer: units=" + units + "; units must be > 0");
        }
        return new LayerConfig("dense(units=" + units + ")", null, null, null);
    }

    /** This layer with the given activation spec. */
    public LayerConfig withActivation(String spec) {
        return new LayerConfig(layer, spec, initializer, regularizers);
    }

    /** This layer with the given weight initializer spec. */
    public LayerConfig withInitializer(String spec) {
        return new LayerConfig(layer, activation, spec, regularizers);
    }

    /** This layer with exactly these regularizers (none when empty), overriding network defaults. */
    public LayerConfig withRegularizers(String... specs) {
        return new LayerConfig(layer, activation, initializer, List.of(specs));
    }
}
