package dev.nnkit.gradcheck.kit;

import java.util.Objects;

/**
 * The outcome of one {@link Check} on one plugin.
 *
 * @param plugin  the plugin as the check named it, e.g. {@code activation swish(beta=1)}
 * @param check   the check's name, e.g. {@code derivative}
 * @param passed  whether the plugin passed
 * @param detail  what was found: for a failure, which check failed at which input and by how much
 *                ("derivative at z=0.5: backward 0.25, central difference 0.235, relative error
 *                0.031 &gt; 1e-6"); for a pass, what was covered
 */
public record CheckResult(String plugin, String check, boolean passed, String detail) {

    /** Refuses a missing plugin name, check name or detail. */
    public CheckResult {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(detail, "detail");
    }

    /** The plugin and the detail in one line, as a failed test reports it. */
    public String message() {
        return plugin + ": " + detail;
    }

    @Override
    public String toString() {
        return (passed ? "PASS " : "FAIL ") + check + " — " + message();
    }
}
