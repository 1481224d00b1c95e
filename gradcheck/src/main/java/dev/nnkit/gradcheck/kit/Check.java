package dev.nnkit.gradcheck.kit;

import java.util.Objects;

/**
 * One named conformance check of one plugin. Creating a check does no work; {@link #run()} does it
 * and never throws for a misbehaving plugin: a failed expectation or an exception thrown by the
 * plugin becomes a failed {@link CheckResult}, whose detail starts with the check's name. A check may be run any number of times; each run
 * makes fresh plugin instances from the registry and uses fixed seeds, so it gives the same result.
 */
public final class Check {

    /** The work of a check: returns what a pass covered, or throws {@link CheckFailure}. */
    @FunctionalInterface
    interface Body {
        String run();
    }

    private final String plugin;
    private final String name;
    private final Body body;

    Check(String plugin, String name, Body body) {
        this.plugin = Objects.requireNonNull(plugin, "plugin");
        this.name = Objects.requireNonNull(name, "name");
        this.body = Objects.requireNonNull(body, "body");
    }

    /** The plugin under check, e.g. {@code activation 'swish(beta=1)'}. */
    public String plugin() {
        return plugin;
    }

    /** The check's name, e.g. {@code derivative} or {@code variance on 300 x 700}. */
    public String name() {
        return name;
    }

    /** Runs the check. */
    public CheckResult run() {
        try {
            return new CheckResult(plugin, name, true, body.run());
        } catch (CheckFailure failure) {
            String message = failure.getMessage();
            return new CheckResult(plugin, name, false, message.startsWith(name) ? message : name + ": " + message);
        } catch (RuntimeException | AssertionError | StackOverflowError e) {
            return new CheckResult(plugin, name, false, name + ": the plugin threw " + e);
        }
    }

    @Override
    public String toString() {
        return name + " of " + plugin;
    }
}
