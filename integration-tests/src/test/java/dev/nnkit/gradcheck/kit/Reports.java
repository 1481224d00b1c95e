package dev.nnkit.gradcheck.kit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

/** Conformance runs on the default registry (every plugin on the class path) and assertions on their reports. */
final class Reports {

    private Reports() {
    }

    static ConformanceReport activation(String spec) {
        return Conformance.defaults().activation(spec).run();
    }

    static ConformanceReport initializer(String spec) {
        return Conformance.defaults().initializer(spec).run();
    }

    static ConformanceReport regularizer(String spec, String zeroStrengthSpec) {
        return Conformance.defaults().regularizer(spec, zeroStrengthSpec).run();
    }

    static ConformanceReport loss(String spec, String output) {
        return Conformance.defaults().loss(spec, output).run();
    }

    static void assertPasses(ConformanceReport report) {
        assertTrue(report.passed(), report::toString);
    }

    /** The named check passed, with a detail in which {@code pattern} (a regular expression) is found. */
    static void assertPassesWith(ConformanceReport report, String check, String pattern) {
        CheckResult result = report.result(check);
        assertTrue(result.passed() && Pattern.compile(pattern).matcher(result.detail()).find(),
                () -> "'" + check + "' should pass with a detail matching /" + pattern + "/:\n" + report);
    }
}
