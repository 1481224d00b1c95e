package dev.nnkit.spi;

/**
 * The service that makes one plugin, found with {@link java.util.ServiceLoader}.
 *
 * <p>A module declares its providers in both places, so that it works on the module path and on
 * the class path:
 * <pre>{@code
 * // module-info.java
 * provides dev.nnkit.spi.PluginProvider with com.example.Swish.Provider;
 * // META-INF/services/dev.nnkit.spi.PluginProvider
 * com.example.Swish$Provider
 * }</pre>
 *
 * <p>Extend {@link NamedProvider}, which fixes {@link #kind()} and {@link #name()} in its
 * constructor, unless the provider computes them.
 *
 * <p>Contract: a public class with a public no-argument constructor; cheap to construct (no work
 * at class-load time); {@link #name()} is unique within its {@link #kind()} across the class path
 * and matches {@code [a-z][a-z0-9_]*}; {@link #create} reads its arguments only through the given
 * {@link Arguments}, so that unknown and ill-typed arguments are reported by the registry.
 * Core's own dense layer, losses, optimizers and learning-rate schedules are registered this way too.
 * A provider whose plugin is built on other plugins (e.g. {@code warmup(then=...)} on another
 * schedule) makes them with {@link Arguments#getPlugin}, from the registry that makes it.
 *
 * @param <T> the plugin interface: {@link Activation}, {@link Initializer}, {@link Regularizer},
 *            {@link Layer}, {@link Loss}, {@link Optimizer}, {@link Schedule}, or any other
 *            interface, which thereby becomes a kind of plugin
 */
public interface PluginProvider<T> {

    /** The plugin interface this provider makes instances of, e.g. {@code Activation.class}. */
    Class<T> kind();

    /** The name used in spec strings, e.g. {@code leaky_relu}. */
    String name();

    /**
     * Makes a new instance from the arguments of a spec string.
     *
     * @param arguments the {@code key=value} pairs of the spec; never null, possibly empty
     * @throws dev.nnkit.spi.PluginException when an argument is missing, ill-typed or out of range
     *         (use {@link Arguments#invalid})
     */
    T create(Arguments arguments);
}
