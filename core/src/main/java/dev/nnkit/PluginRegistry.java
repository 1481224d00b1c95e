package dev.nnkit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import dev.nnkit.spi.ActivationTransform;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only map from plugin names to implementations: for each kind of plugin ({@link Activation},
 * {@link Initializer}, {@link Regularizer}, {@link Layer}, {@link Loss}, {@link Optimizer}) the
 * providers found with {@link ServiceLoader}, or given explicitly, by name.
 *
 * <p>Plugins are made from spec strings, {@code name} or {@code name(key=value, ...)}:
 * <pre>{@code
 * PluginRegistry registry = PluginRegistry.defaults();
 * Activation g = registry.create(Activation.class, "leaky_relu(alpha=0.2)");
 * }</pre>
 *
 * <p>The registry is strict and says why: an unknown name lists the known names of that kind and
 * suggests the closest; two providers of one kind claiming one name is an error naming both
 * classes; an unknown or ill-typed argument names the plugin, the argument and what it accepts; a
 * provider that fails to load is logged with its class name and recalled in later errors.
 * Instances are immutable and safe to share between threads.
 */
public final class PluginRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final List<Class<?>> KINDS = List.of(
            Activation.class, Initializer.class, Regularizer.class, Layer.class, Loss.class, Optimizer.class);

    private final Map<Class<?>, Map<String, PluginProvider<?>>> providers;
    private final List<String> loadFailures;

    private PluginRegistry(Collection<? extends PluginProvider<?>> found, List<String> loadFailures) {
        Map<Class<?>, Map<String, PluginProvider<?>>> byKind = new LinkedHashMap<>();
        for (Class<?> kind : KINDS) {
            byKind.put(kind, new TreeMap<>());
        }
        for (PluginProvider<?> provider : found) {
            String where = provider.getClass().getName();
            Class<?> kind = provider.kind();
            if (kind == null || !byKind.containsKey(kind)) {
                throw new PluginException("plugin provider " + where + " declares kind " + kind
                        + "; the kind must be one of " + kindNames());
            }
            String name = provider.name();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new PluginException("plugin provider " + where + " declares the name \"" + name
                        + "\"; a name must match [a-z][a-z0-9_]*, e.g. leaky_relu");
            }
            PluginProvider<?> previous = byKind.get(kind).putIfAbsent(name, provider);
            if (previous != null) {
                throw new PluginException("two providers claim the " + kindName(kind) + " name '" + name + "': "
                        + previous.getClass().getName() + " and " + where
                        + "; remove one of them from the class path or rename it");
            }
        }
        byKind.replaceAll((kind, map) -> Collections.unmodifiableMap(map));
        this.providers = Collections.unmodifiableMap(byKind);
        this.loadFailures = List.copyOf(loadFailures);
    }

    /**
     * The registry of every provider visible to the class loader that loaded nnkit, discovered once
     * on first use and shared afterwards.
     */
    public static PluginRegistry defaults() {
        return DefaultHolder.INSTANCE;
    }

    /** Discovers the providers visible to {@code classLoader} with {@link ServiceLoader}. */
    public static PluginRegistry load(ClassLoader classLoader) {
        return discover(ServiceLoader.load(PluginProvider.class, classLoader));
    }

    /**
     * A registry of exactly the given providers, without discovery: for hermetic tests and for
     * applications that assemble their plugins by hand.
     */
    public static PluginRegistry of(Collection<? extends PluginProvider<?>> providers) {
        return new PluginRegistry(List.copyOf(providers), List.of());
    }

    @SuppressWarnings("rawtypes")
    private static PluginRegistry discover(ServiceLoader<PluginProvider> loader) {
        List<PluginProvider<?>> found = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Iterator<PluginProvider> it = loader.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                PluginProvider<?> provider = it.next();
                found.add(provider);
                LOG.debug("found {} '{}' from {} ({})", kindName(provider.kind()), provider.name(),
                        provider.getClass().getName(), location(provider.getClass()));
            } catch (ServiceConfigurationError e) {
                String message = e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")");
                failures.add(message);
                LOG.warn("a plugin provider failed to load and is ignored: {}", message);
            }
        }
        return new PluginRegistry(found, failures);
    }

    private static String location(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        return source == null ? "unknown location" : String.valueOf(source.getLocation());
    }

    /**
     * Makes a plugin from a spec string.
     *
     * @param kind the plugin interface, e.g. {@code Activation.class}
     * @param spec e.g. {@code tanh} or {@code dropout(keep_prob=0.8)}
     * @return a new instance (plugins with per-layer state get a fresh one at every call)
     * @throws PluginException when the spec does not parse, the name is unknown or an argument is wrong
     */
    public <T> T create(Class<T> kind, String spec) {
        return create(kind, PluginSpec.parse(spec));
    }

    /** Makes a plugin from a parsed spec; see {@link #create(Class, String)}. */
    public <T> T create(Class<T> kind, PluginSpec spec) {
        Objects.requireNonNull(spec, "spec");
        PluginProvider<?> provider = providersOf(kind).get(spec.name());
        if (provider == null) {
            throw unknown(kind, spec.name());
        }
        Arguments arguments = new Arguments(spec.name(), spec.arguments());
        Object made;
        try {
            made = provider.create(arguments);
        } catch (PluginException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PluginException(kindName(kind) + " '" + spec + "' could not be created by "
                    + provider.getClass().getName() + ": " + e, e);
        }
        arguments.checkAllUsed();
        if (!kind.isInstance(made)) {
            throw new PluginException("plugin provider " + provider.getClass().getName() + " for " + kindName(kind)
                    + " '" + spec.name() + "' returned " + (made == null ? "null" : made.getClass().getName())
                    + "; it must return a " + kind.getName());
        }
        if (made instanceof Regularizer && !(made instanceof WeightPenalty) && !(made instanceof ActivationTransform)) {
            throw new PluginException("regularizer '" + spec.name() + "' (" + made.getClass().getName()
                    + ") implements neither " + WeightPenalty.class.getName() + " nor " + ActivationTransform.class.getName()
                    + "; a regularizer must penalize weights, transform activations, or both");
        }
        return kind.cast(made);
    }

    /** The names known for a kind of plugin, sorted. */
    public SortedSet<String> names(Class<?> kind) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(providersOf(kind).keySet()));
    }

    /** The providers that failed to load during discovery, each as a message naming its class. */
    public List<String> loadFailures() {
        return loadFailures;
    }

    private Map<String, PluginProvider<?>> providersOf(Class<?> kind) {
        Map<String, PluginProvider<?>> map = providers.get(kind);
        if (map == null) {
            throw new PluginException(kind + " is not a kind of plugin; the kinds are " + kindNames());
        }
        return map;
    }

    private PluginException unknown(Class<?> kind, String name) {
        SortedSet<String> known = names(kind);
        StringBuilder message = new StringBuilder("unknown ").append(kindName(kind)).append(" '").append(name).append("'");
        String closest = closest(name, known);
        if (closest != null) {
            message.append("; did you mean '").append(closest).append("'?");
        }
        message.append(known.isEmpty()
                ? "; no " + kindName(kind) + " plugins are on the class path (is the module that provides them a dependency?)"
                : "; known " + kindName(kind) + " names: " + String.join(", ", known));
        if (!loadFailures.isEmpty()) {
            message.append("; ").append(loadFailures.size()).append(" provider(s) failed to load: ")
                    .append(String.join("; ", loadFailures));
        }
        return new PluginException(message.toString());
    }

    /** The known name nearest in edit distance, if near enough to be a plausible typo. */
    static String closest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = editDistance(name, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int tolerance = Math.max(2, name.length() / 3);
        return bestDistance <= tolerance ? best : null;
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    static String kindName(Class<?> kind) {
        return kind == null ? "null" : kind.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static String kindNames() {
        List<String> names = new ArrayList<>();
        for (Class<?> kind : KINDS) {
            names.add(kind.getName());
        }
        return String.join(", ", names);
    }

    private static final class DefaultHolder {
        static final PluginRegistry INSTANCE = load(PluginRegistry.class.getClassLoader());
    }
}
