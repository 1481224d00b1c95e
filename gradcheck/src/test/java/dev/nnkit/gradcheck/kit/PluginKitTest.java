package dev.nnkit.gradcheck.kit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/** The JUnit adapter: one dynamic test per check, failing with the check's message. */
class PluginKitTest {

    /** The one-line use a plugin author writes, on the default registry (the test services file). */
    @TestFactory
    Stream<DynamicTest> kitRelu() {
        return PluginKit.activation(KitActivations.Ramp.class, "kit_relu");
    }

    @TestFactory
    Stream<DynamicTest> kitNormal() {
        return PluginKit.initializer("kit_normal(std=0.5)");
    }

    @TestFactory
    Stream<DynamicTest> kitDropout() {
        return PluginKit.regularizer(KitRegularizers.InvertedDropout.class, "kit_dropout(keep_prob=0.5)", "kit_dropout(keep_prob=1)");
    }

    /** Core's dense layer and Adam, found on the default registry like any plugin on the class path. */
    @TestFactory
    Stream<DynamicTest> coreDense() {
        return PluginKit.layer("dense(units=4)");
    }

    @TestFactory
    Stream<DynamicTest> coreAdam() {
        return PluginKit.optimizer("adam(learning_rate=0.02)");
    }

    @Test
    void namesEachDynamicTestBySpecAndCheck() {
        List<String> names = PluginKit.activation("kit_relu").map(DynamicTest::getDisplayName).toList();
        assertEquals(List.of("kit_relu: registered", "kit_relu: spec round-trip", "kit_relu: derivative",
                "kit_relu: examples independent", "kit_relu: extreme inputs", "kit_relu: shapes", "kit_relu: output buffers",
                "kit_relu: in place"), names);
        assertEquals(List.of("dense(units=2): registered", "dense(units=2): spec round-trip"),
                PluginKit.layer("dense(units=2)", 3, 4).limit(2).map(DynamicTest::getDisplayName).toList());
        assertEquals("sgd: resume from a checkpoint", PluginKit.optimizer("sgd").map(DynamicTest::getDisplayName)
                .reduce((a, b) -> b).orElseThrow());
        assertEquals("mean_squared_error: gradient", PluginKit.tests(KitRegistry.conformance().loss("mean_squared_error",
                "identity")).map(DynamicTest::getDisplayName).filter(n -> n.endsWith("gradient")).findFirst().orElseThrow());
    }

    @Test
    void aFailingCheckFailsItsDynamicTestWithTheCheckMessage() throws Throwable {
        List<DynamicTest> tests = PluginKit.tests(KitRegistry.conformance().activation("kit_wrong_sigmoid")).toList();
        DynamicTest derivative = tests.stream().filter(t -> t.getDisplayName().equals("kit_wrong_sigmoid: derivative"))
                .findFirst().orElseThrow();
        AssertionFailedError error = assertThrows(AssertionFailedError.class, () -> derivative.getExecutable().execute());
        assertTrue(error.getMessage().startsWith("activation 'kit_wrong_sigmoid': derivative at z=-700: backward 1, "
                + "central difference 9.86e-305, relative error 1 > 1e-6"), error.getMessage());
        DynamicTest shapes = tests.stream().filter(t -> t.getDisplayName().endsWith(": shapes")).findFirst().orElseThrow();
        assertDoesNotThrow(() -> shapes.getExecutable().execute());
    }

    @Test
    void aSpecTheRegistryCannotMakeStillGivesTestsThatFail() {
        List<DynamicTest> tests = PluginKit.activation("no_such_activation").toList();
        assertEquals(8, tests.size());
        for (DynamicTest test : tests) {
            AssertionFailedError error = assertThrows(AssertionFailedError.class, () -> test.getExecutable().execute());
            assertTrue(error.getMessage().contains("unknown activation 'no_such_activation'"), error.getMessage());
        }
    }

    @Test
    void theReportListsEveryCheck() {
        ConformanceReport report = Conformance.defaults().activation("kit_relu").run();
        String text = report.toString();
        assertTrue(text.startsWith("activation 'kit_relu': 8 of 8 checks passed"), text);
        assertTrue(text.contains(System.lineSeparator() + "  PASS derivative: backward matches central differences from z=-700 to 700 at 28 of 29"),
                text);
        ConformanceReport failing = KitRegistry.conformance().activation("kit_wrong_sigmoid").run();
        assertTrue(failing.toString().contains("  FAIL derivative: derivative at z=-700: backward 1"), failing.toString());
        assertEquals(List.of("derivative"), failing.failures().stream().map(CheckResult::check).toList());
        assertThrows(IllegalArgumentException.class, () -> failing.result("no such check"));
    }
}
