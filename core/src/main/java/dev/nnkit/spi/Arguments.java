package dev.nnkit.spi;

import dev.nnkit.PluginException;
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
 */
public final class Arguments {

    private final String plugin;
    private final Map<String, String> values;
    private final Set<String> asked = new LinkedHashSet<>();

    /**
     * @param plugin the plugin name, used in error messages
     * @param values the raw values by key, in spec order
     */
    public Arguments(String plugin, Map<String, String> values) {
        this.plugin = plugin;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
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
     * The error to throw for an argument whose value breaks a rule, e.g.
     * {@code throw args.invalid("keep_prob", keepProb, "in (0, 1]")} gives
     * "dropout: keep_prob=1.5 is invalid; keep_prob must be in (0, 1]".
     */
    public PluginException invalid(String key, Object value, String rule) {
        return new PluginException(plugin + ": " + key + "=" + value + " is invalid; " + key + " must be " + rule);
    }

    /** Throws when a key was given that the provider never read. Called by the registry. */
    public void checkAllUsed() {
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
