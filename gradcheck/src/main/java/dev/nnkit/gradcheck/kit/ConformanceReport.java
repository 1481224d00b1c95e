package dev.nnkit.gradcheck.kit;

import java.util.List;
import java.util.Objects;

/**
 * The results of every check of one {@link ConformanceSuite}, in order.
 *
 * @param plugin  the plugin under check, e.g. {@code activation 'swish'}
 * @param results one result per check
 */
public record ConformanceReport(String plugin, List<CheckResult> results) {

    /** Refuses a missing plugin name and keeps an unmodifiable copy of the results. */
    public ConformanceReport {
        Objects.requireNonNull(plugin, "plugin");
        results = List.copyOf(results);
    }

    /** Whether every check passed. */
    public boolean passed() {
        return results.stream().allMatch(CheckResult::passed);
    }

    /** The failed checks, in order. */
    public List<CheckResult> failures() {
        return results.stream().filter(r -> !r.passed()).toList();
    }

    /** The result of the check with this name. */
    public CheckResult result(String check) {
        return results.stream().filter(r -> r.check().equals(check)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check named '" + check + "' in the report of " + plugin
                        + "; the checks are " + results.stream().map(CheckResult::check).toList()));
    }

    /** One line per check, failures first marked {@code FAIL}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(plugin).append(": ")
                .append(results.size() - failures().size()).append(" of ").append(results.size()).append(" checks passed");
        for (CheckResult r : results) {
            out.append(System.lineSeparator()).append(r.passed() ? "  PASS " : "  FAIL ").append(r.check()).append(": ")
                    .append(r.detail());
        }
        return out.toString();
    }
}
