package dev.nnkit.gradcheck.kit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

/** Assertions on conformance reports shared by the kit's tests. */
final class KitAssertions {

    private KitAssertions() {
    }

    /** Every check passed. */
    static void assertPasses(ConformanceReport report) {
        assertTrue(report.passed(), () -> "expected every check to pass:\n" + report);
    }

    /**
     * Exactly the named checks failed (in any order), and the first named one's message matches {@code pattern} (a
     * regular expression searched in the message).
     */
    static CheckResult assertFailsOnly(ConformanceReport report, List<String> failing, String pattern) {
        List<String> failed = report.failures().stream().map(CheckResult::check).toList();
        assertTrue(new java.util.HashSet<>(failed).equals(new java.util.HashSet<>(failing)), () -> "expected exactly " + failing + " to fail, but " + failed + " failed:\n" + report);
        CheckResult result = report.result(failing.get(0));
        assertFalse(result.passed());
        assertTrue(Pattern.compile(pattern).matcher(result.message()).find(),
                () -> "message of '" + result.check() + "' does not match /" + pattern + "/:\n" + result.message());
        return result;
    }

    /** The named check passed and its detail matches {@code pattern}. */
    static void assertPassesWith(ConformanceReport report, String check, String pattern) {
        CheckResult result = report.result(check);
        assertTrue(result.passed(), () -> "expected '" + check + "' to pass:\n" + report);
        assertTrue(Pattern.compile(pattern).matcher(result.detail()).find(),
                () -> "detail of '" + check + "' does not match /" + pattern + "/:\n" + result.detail());
    }
}
