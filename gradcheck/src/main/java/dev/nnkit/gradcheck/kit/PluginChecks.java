package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.PluginSpec;

/** The checks every plugin gets: found under its name, and its spec string round-trips. */
final class PluginChecks {

    /**
     * Compares two fresh instances of a plugin on a sample input; each instance is compared once.
     *
     * @param <T> the plugin interface
     */
    interface Behaviour<T> {
        /** What is compared, e.g. "forward and backward on a 3 x 5 sample". */
        String sample();

        /** Null when {@code a} and {@code b} behave alike on the sample, else what differs. */
        String difference(T a, T b);
    }

    private PluginChecks() {
    }

    /**
     * The registry makes the plugin from its spec string (so its provider was found with
     * {@code ServiceLoader} under that name) and, when a class was given, makes an instance of
     * exactly that class.
     */
    static <T> Check registered(Maker<T> maker) {
        return new Check(maker.label(), "registered", () -> {
            T made;
            try {
                made = maker.registry.create(maker.kind, maker.spec);
            } catch (PluginException e) {
                String who = maker.expected == null ? "" : maker.expected.getName() + " is not registered: ";
                throw new CheckFailure("registered: " + who + "the registry cannot make " + maker.kindName() + " '"
                        + maker.spec + "': " + e.getMessage() + hint(maker, e));
            }
            if (maker.expected != null && made.getClass() != maker.expected) {
                String name = PluginSpec.parse(maker.spec).name();
                throw new CheckFailure("registered: the registry maps the " + maker.kindName() + " name '" + name + "' to "
                        + made.getClass().getName() + ", not to " + maker.expected.getName() + "; "
                        + maker.expected.getSimpleName() + "'s provider is not registered under '" + name
                        + "' (list it in META-INF/services/dev.nnkit.spi.PluginProvider and in module-info.java), "
                        + "or another plugin claims the name");
            }
            return "the registry makes '" + maker.spec + "' as " + made.getClass().getName()
                    + (maker.expected == null ? "" : ", the expected class");
        });
    }

    private static String hint(Maker<?> maker, PluginException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("unknown ")) {
            return "";
        }
        String provider = maker.expected == null ? "its provider" : maker.expected.getName() + "$Provider";
        return "; register " + provider + " in META-INF/services/dev.nnkit.spi.PluginProvider (class path) and with "
                + "'provides dev.nnkit.spi.PluginProvider with ...' in module-info.java (module path)";
    }

    /**
     * {@code toString()} is a spec string naming the same plugin, the registry recreates from it an
     * instance of the same class with the same {@code toString()}, and both behave the same on a
     * sample.
     */
    static <T> Check roundTrip(Maker<T> maker, Behaviour<T> behaviour) {
        return new Check(maker.label(), "spec round-trip", () -> {
            T original = maker.make();
            String text = String.valueOf(original);
            PluginSpec parsed;
            try {
                parsed = PluginSpec.parse(text);
            } catch (PluginException e) {
                throw new CheckFailure("spec round-trip: toString() gives \"" + text + "\", which is not a spec string: "
                        + e.getMessage());
            }
            String name = PluginSpec.parse(maker.spec).name();
            if (!parsed.name().equals(name)) {
                throw new CheckFailure("spec round-trip: made from '" + maker.spec + "', toString() gives \"" + text
                        + "\", which names another plugin; toString() must start with '" + name + "'");
            }
            T copy;
            try {
                copy = maker.registry.create(maker.kind, text);
            } catch (PluginException e) {
                throw new CheckFailure("spec round-trip: toString() gives \"" + text
                        + "\", from which the registry cannot make the plugin: " + e.getMessage());
            }
            if (copy.getClass() != original.getClass()) {
                throw new CheckFailure("spec round-trip: \"" + text + "\" makes a " + copy.getClass().getName()
                        + ", but the original is a " + original.getClass().getName());
            }
            if (!text.equals(String.valueOf(copy))) {
                throw new CheckFailure("spec round-trip: toString() gives \"" + text + "\", and the plugin made from it gives \""
                        + copy + "\"; toString() must give the same canonical spec");
            }
            // Fresh instances for every comparison: a behaviour may connect a layer or move an
            // optimizer's moments, so an instance is compared once.
            String unstable = behaviour.difference(maker.make(), maker.make());
            if (unstable != null) {
                throw new CheckFailure("spec round-trip: two plugins made from the same spec '" + maker.spec
                        + "' behave differently on the same input (" + unstable + "), so the round-trip cannot be judged; "
                        + "the plugin must be deterministic given its spec and the random generator passed in");
            }
            String difference = behaviour.difference(maker.make(), copy);
            if (difference != null) {
                throw new CheckFailure("spec round-trip: the plugin made from \"" + text + "\" behaves differently from "
                        + "the original: " + difference + "; toString() must give every argument exactly");
            }
            return "'" + maker.spec + "' -> \"" + text + "\" -> same class, same toString(), same " + behaviour.sample();
        });
    }
}
