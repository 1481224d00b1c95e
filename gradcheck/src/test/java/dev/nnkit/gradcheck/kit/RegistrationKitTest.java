package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** "Registered" catches a plugin whose provider is not registered, by name and by class. */
class RegistrationKitTest {

    private static final List<String> EVERY_ACTIVATION_CHECK = List.of("registered", "spec round-trip", "derivative",
            "examples independent", "extreme inputs", "shapes", "output buffers", "in place");

    @Test
    void aCorrectPluginWhoseProviderIsMissingFailsEveryCheckAndSaysWhy() {
        ConformanceReport report = KitRegistry.conformance().activation(KitActivations.UnregisteredArctan.class,
                "kit_unregistered").run();
        assertFailsOnly(report, EVERY_ACTIVATION_CHECK,
                "^activation 'kit_unregistered': registered: dev.nnkit.gradcheck.kit.KitActivations\\$UnregisteredArctan is "
                        + "not registered: the registry cannot make activation 'kit_unregistered': unknown activation "
                        + "'kit_unregistered'; known activation names: .*; register "
                        + "dev.nnkit.gradcheck.kit.KitActivations\\$UnregisteredArctan\\$Provider in "
                        + "META-INF/services/dev.nnkit.spi.PluginProvider \\(class path\\) and with 'provides "
                        + "dev.nnkit.spi.PluginProvider with ...' in module-info.java \\(module path\\)$");
        assertEquals("derivative: the registry cannot make activation 'kit_unregistered': unknown activation 'kit_unregistered'",
                report.result("derivative").detail().replaceAll(";.*", ""));
    }

    @Test
    void aNameThatTheRegistryMapsToAnotherClassIsCaught() {
        // The registry has a 'kit_arctan', but not this class: the author's own plugin was never registered, and
        // without the class the kit would silently check someone else's arc tangent.
        ConformanceReport report = KitRegistry.conformance().activation(KitActivations.UnregisteredArctan.class,
                "kit_arctan").run();
        assertFailsOnly(report, List.of("registered"),
                "^activation 'kit_arctan': registered: the registry maps the activation name 'kit_arctan' to "
                        + "dev.nnkit.gradcheck.kit.KitActivations\\$Arctan, not to "
                        + "dev.nnkit.gradcheck.kit.KitActivations\\$UnregisteredArctan; UnregisteredArctan's provider "
                        + "is not registered under 'kit_arctan'");
    }

    @Test
    void theRightClassPasses() {
        ConformanceReport report = KitRegistry.conformance().activation(KitActivations.Arctan.class, "kit_arctan").run();
        assertPasses(report);
        assertPassesWith(report, "registered",
                "^the registry makes 'kit_arctan' as dev.nnkit.gradcheck.kit.KitActivations\\$Arctan, the expected class$");
    }

    @Test
    void everyKindChecksItsClass() {
        assertFailsOnly(KitRegistry.conformance().initializer(KitInitializers.WrongVariance.class, "kit_triangular").run(),
                List.of("registered"), "maps the initializer name 'kit_triangular' to");
        assertFailsOnly(KitRegistry.conformance().regularizer(KitRegularizers.Overwriting.class, "kit_l1", null).run(),
                List.of("registered"), "maps the regularizer name 'kit_l1' to");
        assertFailsOnly(KitRegistry.conformance().loss(KitLosses.ShiftedSquares.class, "mean_squared_error", "kit_scaled_identity").run(),
                List.of("registered"), "maps the loss name 'mean_squared_error' to dev.nnkit.internal.MeanSquaredError");
        assertFailsOnly(KitRegistry.conformance().layer(KitLayers.Center.class, "dense(units=3)", 5, 7).run(),
                List.of("registered"), "maps the layer name 'dense' to dev.nnkit.internal.Dense, not to "
                        + "dev.nnkit.gradcheck.kit.KitLayers\\$Center");
        assertFailsOnly(KitRegistry.conformance().optimizer(KitOptimizers.Moments.class, "adam").run(),
                List.of("registered"), "maps the optimizer name 'adam' to dev.nnkit.internal.Adam");
        assertPasses(KitRegistry.conformance().optimizer(KitOptimizers.Moments.class, "kit_adam").run());
    }

    @Test
    void aToStringThatIsNotASpecStringIsCaught() {
        dev.nnkit.PluginRegistry registry = dev.nnkit.PluginRegistry.of(List.of(new FixtureProvider<>(
                dev.nnkit.spi.Activation.class, "kit_anonymous", a -> new KitActivations.Arctan() {
                    @Override
                    public String toString() {
                        return "Arctan@1234";
                    }
                })));
        assertFailsOnly(Conformance.of(registry).activation("kit_anonymous").run(), List.of("spec round-trip"),
                "spec round-trip: toString\\(\\) gives \"Arctan@1234\", which is not a spec string: cannot parse spec string "
                        + "\"Arctan@1234\": unexpected text after the spec at position 6");
    }
}
