package dev.nnkit.gradcheck.kit;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.PluginException;
import java.util.Locale;
import java.util.Objects;

/**
 * Makes fresh instances of the plugin under check from the registry, turning a registry error into
 * a failed check.
 *
 * @param <T> the plugin interface
 */
final class Maker<T> {

    final PluginRegistry registry;
    final Class<T> kind;
    final String spec;
    /** The class the caller expects the registry to make, or null when not given. */
    final Class<? extends T> expected;
    private final String label;

    Maker(PluginRegistry registry, Class<T> kind, String spec, Class<? extends T> expected) {
        this(registry, kind, spec, expected, kindName(kind) + " '" + spec + "'");
    }

    Maker(PluginRegistry registry, Class<T> kind, String spec, Class<? extends T> expected, String label) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.kind = kind;
        this.spec = Objects.requireNonNull(spec, "spec");
        this.expected = expected;
        this.label = label;
    }

    /** {@code activation}, {@code initializer}, ... */
    String kindName() {
        return kindName(kind);
    }

    static String kindName(Class<?> kind) {
        return kind.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** How the plugin is named in results, e.g. {@code activation 'swish(beta=1)'}. */
    String label() {
        return label;
    }

    /** A fresh instance. */
    T make() {
        return make(spec);
    }

    /** A fresh instance of another spec of the same kind (e.g. the strength-0 variant). */
    T make(String otherSpec) {
        try {
            return registry.create(kind, otherSpec);
        } catch (PluginException e) {
            throw new CheckFailure("the registry cannot make " + kindName() + " '" + otherSpec + "': " + e.getMessage());
        }
    }

    /** A fresh instance, or null when the registry cannot make it. */
    T tryMake() {
        try {
            return registry.create(kind, spec);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
