package dev.nnkit;

import dev.nnkit.internal.Access;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only map from plugin names to implementations: for each kind of plugin the providers found
 * with {@link ServiceLoader}, or given explicitly, by name.
 *
 * <p>A kind is the interface its plugins implement, as a provider declares it in
 * {@link PluginProvider#kind()}: core's {@link Activation}, {@link Initializer}, {@link Regularizer},
 * {@link Layer}, {@link Loss} and {@link Optimizer}, or any other interface (a new kind needs no
 * change here). Plugins are made from spec strings, {@code name} or {@code name(key=value, ...)}:
 * <pre>{@code
 * PluginRegistry registry = PluginRegistry.defaults();
 * Activation g = registry.create(Activation.class, "leaky_relu(alpha=0.2)");
 * }</pre>
 *
 * <p>The registry is strict and says why, always with a {@link PluginException}:
 * <ul>
 *   <li>an unknown name lists the known names of that kind and suggests the closest;</li>
 *   <li>an unknown or ill-typed argument names the plugin, the argument and what it accepts;</li>
 *   <li>two providers of one kind claiming one name make that name unusable, and only that name:
 *       {@link #create} of it throws an error naming both classes ("two providers claim the
 *       activation name 'tanh': A and B; remove one of them from the class path or rename it") at
 *       every call, while every other plugin, of that kind and of the others, works. {@link #names}
 *       still lists the name (it is taken);</li>
 *   <li>a provider found by discovery that fails to load, or declares no kind, a kind that is not
 *       an interface, or a malformed name, is logged with its class name, left out, listed by
 *       {@link #loadFailures()} and recalled in later unknown-name errors; the others work. Given
 *       to {@link #of}, such a provider is refused at once.</li>
 * </ul>
 *
 * <p>{@link #defaults()} is discovered on first use, in a method rather than a static
 * initializer, and then shared. Nothing above makes that discovery fail; should it fail anyway,
 * the call throws a {@link PluginException} saying why, nothing is kept, and the next call tries
 * again: the registry never turns into an {@code ExceptionInInitializerError} or a
 * {@code NoClassDefFoundError}. Instances are immutable and safe to share between threads.
 */
public final class PluginRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Object DEFAULTS_LOCK = new Object();
    private static volatile PluginRegistry defaults;

    /** Per kind, per name, every provider claiming that name, in the order found (two or more: a conflict). */
    private final Map<Class<?>, Map<String, List<PluginProvider<?>>>> claims;
    private final List<String> loadFailures;

    private PluginRegistry(List<PluginProvider<?>> valid, List<String> loadFailures) {
        Map<Class<?>, Map<String, List<PluginProvider<?>>>> byKind = new LinkedHashMap<>();
        for (PluginProvider<?> provider : valid) {
            byKind.computeIfAbsent(provider.kind(), k -> new TreeMap<>())
                    .computeIfAbsent(provider.name(), n -> new ArrayList<>(1)).add(provider);
        }
        byKind.forEach((kind, names) -> names.replaceAll((name, claimants) -> {
            if (claimants.size() > 1) {
                // not a warning: a run that never uses the name is not affected, and one that does
                // gets this message as its error
                LOG.debug("{}", conflict(kind, name, claimants).getMessage());
            }
            return List.copyOf(claimants);
        }));
        byKind.replaceAll((kind, names) -> Collections.unmodifiableMap(names));
        this.claims = Collections.unmodifiableMap(byKind);
        this.loadFailures = List.copyOf(loadFailures);
    }

    /**
     * The registry of every provider visible to the class loader that loaded nnkit, discovered on
     * the first call and shared afterwards.
     *
     * @throws PluginException if discovery itself failed (not for a duplicate name or a provider
     *         that fails to load, see the class description); nothing is kept, the next call tries again
     */
    public static PluginRegistry defaults() {
        PluginRegistry registry = defaults;
        if (registry == null) {
            synchronized (DEFAULTS_LOCK) {
                registry = defaults;
                if (registry == null) {
                    registry = load(PluginRegistry.class.getClassLoader());
                    defaults = registry;
                }
            }
        }
        return registry;
    }

    /**
     * Discovers the providers visible to {@code classLoader} with {@link ServiceLoader}: for
     * applications that load plugins through a class loader of their own.
     *
     * @throws PluginException if discovery itself failed
     */
    public static PluginRegistry load(ClassLoader classLoader) {
        try {
            return discover(ServiceLoader.load(PluginProvider.class, classLoader));
        } catch (PluginException e) {
            throw e;
        } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
            throw new PluginException("the plugin providers could not be discovered: " + e
                    + "; check the META-INF/services/" + PluginProvider.class.getName() + " files on the class path", e);
        }
    }

    /**
     * A registry of exactly the given providers, without discovery: for hermetic tests and for
     * applications that assemble their plugins by hand.
     *
     * @throws PluginException if a provider declares no kind, a kind that is not an interface, or a
     *         malformed name (a name claimed twice only makes that name fail, as in discovery)
     */
    public static PluginRegistry of(Collection<? extends PluginProvider<?>> providers) {
        List<PluginProvider<?>> valid = new ArrayList<>();
        for (PluginProvider<?> provider : List.copyOf(providers)) {
            String problem = problem(provider);
            if (problem != null) {
                throw new PluginException(problem);
            }
            valid.add(provider);
        }
        return new PluginRegistry(valid, List.of());
    }

    @SuppressWarnings("rawtypes")
    private static PluginRegistry discover(ServiceLoader<PluginProvider> loader) {
        List<PluginProvider<?>> valid = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Iterator<PluginProvider> it = loader.iterator();
        String previousFailure = null;
        while (true) {
            PluginProvider<?> provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                String message = e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")");
                if (message.equals(previousFailure)) {
                    // the iterator cannot get past this failure (e.g. the class loader cannot list its
                    // services files): stop with what was found rather than loop forever
                    LOG.warn("plugin discovery stops: the same failure again: {}", message);
                    break;
                }
                previousFailure = message;
                failures.add(message);
                LOG.warn("a plugin provider failed to load and is ignored: {}", message);
                continue;
            }
            previousFailure = null;
            String problem = problem(provider);
            if (problem != null) {
                failures.add(problem);
                LOG.warn("a plugin provider is ignored: {}", problem);
                continue;
            }
            valid.add(provider);
            LOG.debug("found {} '{}' from {} ({})", kindName(provider.kind()), provider.name(),
                    provider.getClass().getName(), location(provider.getClass()));
        }
        return new PluginRegistry(valid, failures);
    }

    /** What is wrong with a provider's declarations, or null when it may be registered. */
    private static String problem(PluginProvider<?> provider) {
        if (provider == null) {
            return "a plugin provider is null";
        }
        String where = provider.getClass().getName();
        Class<?> kind;
        String name;
        try {
            kind = provider.kind();
            name = provider.name();
        } catch (RuntimeException | LinkageError e) {
            return "plugin provider " + where + " failed to declare its kind and name: " + e;
        }
        if (kind == null || !kind.isInterface() || kind.isAnnotation()) {
            return "plugin provider " + where + " declares kind " + (kind == null ? "null" : kind.getName())
                    + "; the kind must be the interface its plugins implement, e.g. " + Activation.class.getName();
        }
        if (name == null || !NAME.matcher(name).matches()) {
            return "plugin provider " + where + " declares the name \"" + name
                    + "\"; a name must match [a-z][a-z0-9_]*, e.g. leaky_relu";
        }
        return null;
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
     * @throws PluginException when the spec does not parse, the kind is not an interface, the name is
     *         unknown or claimed by two providers, an argument is wrong, or the provider fails
     */
    public <T> T create(Class<T> kind, String spec) {
        return create(kind, PluginSpec.parse(spec));
    }

    /** Makes a plugin from a parsed spec; see {@link #create(Class, String)}. */
    public <T> T create(Class<T> kind, PluginSpec spec) {
        Objects.requireNonNull(spec, "spec");
        List<PluginProvider<?>> claimants = claimsOf(kind).get(spec.name());
        if (claimants == null) {
            throw unknown(kind, spec.name());
        }
        if (claimants.size() > 1) {
            throw conflict(kind, spec.name(), claimants);
        }
        PluginProvider<?> provider = claimants.get(0);
        Arguments arguments = Access.spi().arguments(spec.name(), spec.arguments(), this);
        Object made;
        try {
            made = provider.create(arguments);
        } catch (PluginException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException(kindName(kind) + " '" + spec + "' could not be created by "
                    + provider.getClass().getName() + ": " + e, e);
        }
        Access.spi().checkAllUsed(arguments);
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

    /**
     * The names known for a kind of plugin, sorted; empty for an interface no provider declares. A
     * name claimed by two providers is listed, though {@link #create} refuses it.
     *
     * @throws PluginException when {@code kind} is null or not an interface
     */
    public SortedSet<String> names(Class<?> kind) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(claimsOf(kind).keySet()));
    }

    /** The kinds that have at least one provider, ordered by their names (e.g. "activation"). */
    public Set<Class<?>> kinds() {
        List<Class<?>> kinds = new ArrayList<>(claims.keySet());
        kinds.sort(Comparator.comparing((Class<?> k) -> kindName(k)).thenComparing(Class::getName));
        return Collections.unmodifiableSet(new LinkedHashSet<>(kinds));
    }

    /** The providers that failed to load or were ignored during discovery, each as a message naming its class. */
    public List<String> loadFailures() {
        return loadFailures;
    }

    private Map<String, List<PluginProvider<?>>> claimsOf(Class<?> kind) {
        if (kind == null) {
            throw new PluginException("the kind of plugin is null; give the interface its plugins implement, e.g. "
                    + Activation.class.getName());
        }
        if (!kind.isInterface() || kind.isAnnotation()) {
            throw new PluginException(kind.getName() + " is not a kind of plugin; a kind is the interface its plugins"
                    + " implement, e.g. " + Activation.class.getName());
        }
        return claims.getOrDefault(kind, Map.of());
    }

    private static PluginException conflict(Class<?> kind, String name, List<PluginProvider<?>> claimants) {
        List<String> classes = new ArrayList<>();
        for (PluginProvider<?> provider : claimants) {
            classes.add(provider.getClass().getName());
        }
        String last = classes.remove(classes.size() - 1);
        String listed = String.join(", ", classes) + " and " + last;
        return new PluginException(claimants.size() == 2
                ? "two providers claim the " + kindName(kind) + " name '" + name + "': " + listed
                        + "; remove one of them from the class path or rename it"
                : claimants.size() + " providers claim the " + kindName(kind) + " name '" + name + "': " + listed
                        + "; remove all but one of them from the class path or rename them");
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

    /**
     * The kind's name in messages: its simple name in words, lower case except acronyms, e.g.
     * {@code Activation} "activation", {@code WeightPenalty} "weight penalty", {@code LRSchedule}
     * "LR schedule".
     */
    static String kindName(Class<?> kind) {
        if (kind == null) {
            return "null";
        }
        String simple = kind.getSimpleName();
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < simple.length(); i++) {
            char before = simple.charAt(i - 1);
            char c = simple.charAt(i);
            boolean nextLower = i + 1 < simple.length() && Character.isLowerCase(simple.charAt(i + 1));
            if (Character.isUpperCase(c)
                    && (Character.isLowerCase(before) || Character.isDigit(before) || (Character.isUpperCase(before) && nextLower))) {
                words.add(simple.substring(start, i));
                start = i;
            }
        }
        words.add(simple.substring(start));
        StringBuilder name = new StringBuilder();
        for (String word : words) {
            boolean acronym = word.length() > 1 && word.chars().noneMatch(Character::isLowerCase);
            if (name.length() > 0) {
                name.append(' ');
            }
            name.append(acronym ? word : word.toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
