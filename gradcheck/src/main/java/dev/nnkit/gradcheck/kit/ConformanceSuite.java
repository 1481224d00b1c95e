package dev.nnkit.gradcheck.kit;

import java.util.List;
import java.util.Objects;

/**
 * The checks of one plugin, made by {@link Conformance}. Run them one by one ({@link #checks()}),
 * all at once ({@link #run()}), or hand the suite to {@link PluginKit#tests(ConformanceSuite)} for
 * JUnit.
 */
public final class ConformanceSuite {

    private final String plugin;
    private final String spec;
    private final List<Check> checks;

    ConformanceSuite(String plugin, String spec, List<Check> checks) {
        this.plugin = Objects.requireNonNull(plugin, "plugin");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.checks = List.copyOf(checks);
    }

    /** The plugin under check, e.g. {@code activation 'swish'}. */
    public String plugin() {
        return plugin;
    }

    /** The spec string the plugin is made from, e.g. {@code swish(beta=1)}. */
    public String spec() {
        return spec;
    }

    /** The checks, in the order they are best read. */
    public List<Check> checks() {
        return checks;
    }

    /** Runs every check. */
    public ConformanceReport run() {
        return new ConformanceReport(plugin, checks.stream().map(Check::run).toList());
    }

    @Override
    public String toString() {
        return plugin + ": " + checks.stream().map(Check::name).toList();
    }
}
