package dev.nnkit.spi;

import dev.nnkit.PluginRegistry;
import dev.nnkit.internal.Access;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code key=value} arguments of one spec string, handed to {@link PluginProvider#create}.
 *
 * <p>Values are read with typed getters that give a default when the key is absent and fail with
 * a {@link PluginException} naming the plugin, the key and the value when it does not parse. The
 * registry rejects, after {@code create} returns, any key the provider never asked for, listing
 * the keys it did ask for.
 *
 * <p><b>Nested plugins.</b> A value may be a spec string of its own, e.g. the {@code then} of
 * {@code warmup(steps=500, then=cosine(epochs=20))}. {@link #getSpec} reads it as a
 * {@link PluginSpec}; {@link #getPlugin} makes the plugin it names through the registry these
 * arguments carry, so that a provider builds on other plugins without knowing where they come
 * from, and an unknown nested name gets the registry's usual error, prefixed with the outer plugin
 * and the key. Only a registry makes arguments, and it passes itself, so that nested plugins come
 * from the same registry as the outer one. To test a provider, give it to
 * {@link PluginRegistry#of} and call {@link PluginRegistry#create(Class, String)}: that is the path
 * users take, argument checks included.
 */
public final class Arguments {

    private final String plugin;
    private final Map<String, String> values;
    private final Set<String> asked = new LinkedHashSet<>();
    /** Makes nested plugins; null means {@link PluginRegistry#defaults()}, looked up when first needed. */
    private final PluginRegistry registry;

    static {
        Access.setSpi(new Access.Spi() {
            @Override
            public Arguments arguments(String plugin, Map<String, String> values, PluginRegistry registry) {
                return new Arguments(plugin, values, registry);
            }

            @Override
            public void checkAllUsed(Arguments arguments) {
                arguments.checkAllUsed();
            }
        });
    }

    /**
     * Arguments whose nested plugins ({@link #getPlugin}) come from {@code registry}; only a
     * registry makes them, so that every key is checked after the provider ran.
     *
     * @param plugin   the plugin name, used in error messages
     * @param values   the raw values by key, in spec order
     * @param registry the registry making the outer plugin; null for {@link PluginRegistry#defaults()}
     */
    private Arguments(String plugin, Map<String, String> values, PluginRegistry registry) {
        this.plugin = plugin;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.registry = registry;
    }

    /** The plugin name these arguments are for. */
    public String plugin() {
        return plugin;
    }

    /** Whether the spec gave {@code key}. */
    public boolean has(String key) {
        asked.add(key);
        return values.containsKey(key);
    }

    /** A real-valued argument, or {@code defaultValue} when absent. Must be finite. */
    public double getDouble(String key, double defaultValue) {
        asked.add(key);
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        double value;
        try {
            value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw invalid(key, raw, "a number, e.g. " + key + "=0.5");
        }
        if (!Double.isFinite(value)) {
            throw invalid(key, raw, "a finite number");
        }
        return value;
    }

    /** A real-valued argument that must be given. */
    public double requireDouble(String key) {
        require(key);
        return getDouble(key, Double.NaN);
    }

    /** An integer argument, or {@code defaultValue} when absent. */
    public int getInt(String key, int defaultValue) {
        asked.add(key);
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw invalid(key, raw, "a whole number, e.g. " + key + "=4");
        }
    }

    /** An integer argument that must be given. */
    public int requireInt(String key) {
        require(key);
        return getInt(key, 0);
    }

    /** A boolean argument ({@code true} or {@code false}), or {@code defaultValue} when absent. */
    public boolean getBoolean(String key, boolean defaultValue) {
        asked.add(key);
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        if (raw.equals("true") || raw.equals("false")) {
            return Boolean.parseBoolean(raw);
        }
        throw invalid(key, raw, "true or false");
    }

    /** A text argument, or {@code defaultValue} when absent. */
    public String getString(String key, String defaultValue) {
        asked.add(key);
        return values.getOrDefault(key, defaultValue);
    }

    /**
     * A nested spec argument, e.g. {@code then} of {@code warmup(steps=500, then=cosine(epochs=20))},
     * or {@code defaultSpec} when absent. A bare word ({@code then=constant}) is a spec without
     * arguments.
     *
     * @throws PluginException naming this plugin and the key when the value (or the default) does not parse
     */
    public PluginSpec getSpec(String key, String defaultSpec) {
        asked.add(key);
        String raw = values.getOrDefault(key, defaultSpec);
        if (raw == null) {
            throw new PluginException(plugin + ": argument '" + key + "' is required, e.g. " + plugin + "(" + key
                    + "=constant)");
        }
        try {
            return PluginSpec.parse(raw);
        } catch (PluginException e) {
            throw new PluginException(plugin + ": " + key + "=" + raw + " is invalid; " + key + " must be a spec string: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The plugin a nested spec argument names, made by the registry these arguments carry, or the
     * one {@code defaultSpec} names when the key is absent, e.g.
     * {@code Schedule inner = arguments.getPlugin(Schedule.class, "then", "constant")}.
     *
     * @param kind        the plugin interface of the nested plugin
     * @param defaultSpec the spec to use when the key is absent; null makes the key required
     * @throws PluginException when the value does not parse or the registry cannot make the plugin
     *                         (its message prefixed with this plugin and the key)
     */
    public <T> T getPlugin(Class<T> kind, String key, String defaultSpec) {
        PluginSpec spec = getSpec(key, defaultSpec);
        PluginRegistry plugins = registry == null ? PluginRegistry.defaults() : registry;
        try {
            return plugins.create(kind, spec);
        } catch (PluginException e) {
            throw new PluginException(plugin + ": " + key + "=" + spec + ": " + e.getMessage(), e);
        }
    }

    /**
     * The error to throw for an argument whose value breaks a rule, e.g.
     * {@code throw args.invalid("keep_prob", keepProb, "in (0, 1]")} gives
     * "dropout: keep_prob=1.5 is invalid; keep_prob must be in (0, 1]".
     */
    public PluginException invalid(String key, Object value, String rule) {
        return new PluginException(plugin + ": " + key + "=" + value + " is invalid; " + key + " must be " + rule);
    }

    /** Throws when a key was given that the provider never read. */
    private void checkAllUsed() {
        for (String key : values.keySet()) {
            if (!asked.contains(key)) {
                String accepted = asked.isEmpty() ? "it takes no arguments" : "it accepts " + String.join(", ", asked);
                throw new PluginException(plugin + ": unknown argument '" + key + "'; " + accepted);
            }
        }
    }

    private void require(String key) {
        if (!values.containsKey(key)) {
            asked.add(key);
            throw new PluginException(plugin + ": argument '" + key + "' is required, e.g. " + plugin + "(" + key + "=...)");
        }
    }
}
