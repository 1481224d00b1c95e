package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Reports.assertPasses;
import static dev.nnkit.gradcheck.kit.Reports.assertPassesWith;
import static dev.nnkit.gradcheck.kit.Reports.regularizer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which checks the regularizer kit runs on the shipped l2 (a weight penalty) and dropout (a training
 * transform), and what they say. (The regularizers module runs every check on both; gradcheck's own
 * tests show each check catching a broken regularizer.)
 */
class RegularizerKitOnShippedPluginsTest {

    private static List<String> checkNames(ConformanceReport report) {
        return report.results().stream().map(CheckResult::check).toList();
    }

    @Test
    void acceptsL2WithItsStrengthZero() {
        ConformanceReport report = regularizer("l2(lambda=0.7)", "l2(lambda=0)");
        assertPasses(report);
        assertEquals(List.of("registered", "spec round-trip", "penalty gradient", "adds to dW", "strength 0 is a no-op"),
                checkNames(report));
        assertPassesWith(report, "penalty gradient", "on a 4 x 5 W with m = 1 and 7, at 40 of 40 entries");
    }

    @Test
    void acceptsInvertedDropoutAndChecksItsTrainingTransform() {
        ConformanceReport report = regularizer("dropout(keep_prob=0.8)", "dropout(keep_prob=1)");
        assertPasses(report);
        assertEquals(List.of("registered", "spec round-trip", "strength 0 is a no-op", "identity outside training",
                "expectation in training", "backward is the adjoint of forward", "deterministic by seed",
                "masks drawn through the context", "float kernel"), checkNames(report));
        assertPassesWith(report, "strength 0 is a no-op", "the TRAINING forward and backward passes are the identity and "
                + "isActive\\(\\) is false$");
        assertPassesWith(report, "masks drawn through the context", "^draws its mask with context.drawMask \\(1 call per pass\\); "
                + "a step of another seed supplying the same mask reproduces the output bit for bit; the complementary mask "
                + "changes it; different seeds give different outputs$");
        assertPassesWith(report, "float kernel", "^float passes of TRAINING steps of seeds 41 to 44 draw the double passes' "
                + "masks, drop the same \\d+ of 1024 entries");
        assertPasses(regularizer("dropout(keep_prob=0.3)", null));
    }
}
