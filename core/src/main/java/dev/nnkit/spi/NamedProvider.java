package dev.nnkit.spi;

import java.util.Objects;

/**
 * A {@link PluginProvider} whose kind and name are fixed when it is constructed, so that a provider
 * states only what is particular to it: its name and how it reads its arguments.
 * <pre>{@code
 * public static final class Provider extends NamedProvider<Activation> {
 *     public Provider() {
 *         super(Activation.class, "swish");
 *     }
 *
 *     @Override
 *     public Activation create(Arguments arguments) {
 *         return new Swish(arguments.getDouble("beta", 1.0));
 *     }
 * }
 * }</pre>
 * The contract is {@link PluginProvider}'s: a public class with a public no-argument constructor,
 * registered in {@code module-info.java} and {@code META-INF/services}. The registry checks the
 * name ({@code [a-z][a-z0-9_]*}, unique within its kind) when it loads the provider, not here, so
 * that a bad name is reported with the other problems of the class path.
 *
 * @param <T> the plugin interface, e.g. {@link Activation}
 */
public abstract class NamedProvider<T> implements PluginProvider<T> {

    private final Class<T> kind;
    private final String name;

    /**
     * @param kind the plugin interface this provider makes instances of, e.g. {@code Activation.class}
     * @param name the name used in spec strings, e.g. {@code leaky_relu}
     */
    protected NamedProvider(Class<T> kind, String name) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public final Class<T> kind() {
        return kind;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public String toString() {
        return kind.getSimpleName() + " provider '" + name + "' (" + getClass().getName() + ")";
    }
}
