package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The initializer checks accept correct initializers and catch each planted bug, saying by how much.
 * The correct initializers here are ones nnkit does not ship; the checks' details on the shipped
 * he_normal and constant are in the integration-tests module.
 */
class InitializerKitTest {

    private static ConformanceReport check(String spec) {
        return KitRegistry.conformance().initializer(spec).run();
    }

    @Test
    void acceptsCorrectInitializersOfSeveralDistributions() {
        // A triangular distribution has a fourth moment of 2.4 sigma^4, not the normal's 3 sigma^4: the tolerance is
        // estimated from the sample, so it holds for both.
        assertPasses(check("kit_triangular(width=0.3)"));
        ConformanceReport fanIn = check("kit_fan_in_triangular");
        assertPasses(fanIn);
        assertPassesWith(fanIn, "mean and variance on 300 x 700", "variance\\(700, 300\\) = 0.001429");
    }

    @Test
    void reportsAWrongDeclaredVarianceWithTheNumberOfStandardErrors() {
        // Declares 2/fanIn, draws 1/fanIn: on 300 x 700 the sample variance is about 1/700 = 0.001429 against the
        // declared 2/700 = 0.002857, with a standard error of about 0.001429 * sqrt(2/210000) = 4.4e-6: ~320 of them.
        CheckResult result = assertFailsOnly(check("kit_wrong_variance"),
                List.of("mean and variance on 300 x 700", "mean and variance on 700 x 300"),
                "^initializer 'kit_wrong_variance': mean and variance on 300 x 700: variance of a 300 x 700 W \\(fanOut 300, fanIn 700\\): sample 0.001[34][0-9]*, "
                        + "declared variance\\(700, 300\\) = 0.002857; they differ by 3[0-9][0-9](\\.[0-9]+)? standard errors "
                        + "\\(standard error 4.[0-9]+e-6\\), more than 5$");
        assertPassesWith(check("kit_wrong_variance"), "deterministic by seed", "same seed");
        assertTrue(result.detail().startsWith("mean and variance on 300 x 700: variance of a 300 x 700 W"), result.detail());
    }

    @Test
    void catchesSwappedFansOnTheNonSquareShapes() {
        // 2/numRows instead of 2/numCols: right on neither orientation, and the kit names the likely cause.
        assertFailsOnly(check("kit_swapped_fans"),
                List.of("mean and variance on 300 x 700", "mean and variance on 700 x 300"),
                "sample 0.006[67][0-9]*, declared variance\\(700, 300\\) = 0.002857; .* standard errors .*; the sample matches "
                        + "variance\\(300, 700\\) = 0.006667: are fanIn and fanOut swapped\\?");
    }

    @Test
    void catchesAnInitializerThatIgnoresTheGeneratorPassedIn() {
        assertFailsOnly(check("kit_global_random"), List.of("spec round-trip", "deterministic by seed"),
                "two plugins made from the same spec 'kit_global_random' behave differently on the same input");
        assertFailsOnly(check("kit_global_random"), List.of("deterministic by seed", "spec round-trip"),
                "^initializer 'kit_global_random': deterministic by seed: two 30 x 20 matrices from generators with seed 42 "
                        + "differ at W\\[0, 0\\] .*; draw only from the RandomGenerator passed in$");
    }

    @Test
    void catchesAToStringThatLosesDigits() {
        assertFailsOnly(check("kit_lossy"), List.of("spec round-trip"),
                "spec round-trip: the plugin made from \"kit_lossy\\(std=0.12\\)\" behaves differently from the original: "
                        + "variance\\(20, 30\\) is 0.0152.* and 0.0144.*; toString\\(\\) must give every argument exactly");
    }
}
