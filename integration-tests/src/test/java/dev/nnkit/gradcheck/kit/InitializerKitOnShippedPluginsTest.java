package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Reports.assertPasses;
import static dev.nnkit.gradcheck.kit.Reports.assertPassesWith;
import static dev.nnkit.gradcheck.kit.Reports.initializer;

import org.junit.jupiter.api.Test;

/**
 * What the initializer checks say about the shipped he_normal and constant. (The initializers module
 * runs every check on every initializer; gradcheck's own tests show each check catching a broken one.)
 */
class InitializerKitOnShippedPluginsTest {

    @Test
    void comparesTheSampleWithTheDeclaredVarianceOfTheShape() {
        // He: 2 / fanIn, and a 300 x 700 W has fanIn 700.
        assertPassesWith(initializer("he_normal"), "mean and variance on 300 x 700", "variance\\(700, 300\\) = 0.002857");
    }

    @Test
    void acceptsAConstantInitializerWhoseVarianceIsZero() {
        ConformanceReport report = initializer("constant(value=0.5)");
        assertPasses(report);
        assertPassesWith(report, "different seeds", "^not applicable: variance\\(20, 30\\) is 0");
        assertPassesWith(report, "mean and variance on 300 x 700", "^sample mean 0.5 vs declared 0.5 \\(0 standard errors\\)");
    }
}
