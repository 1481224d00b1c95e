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
    Stream<DynamicTest> kitAbs() {
        return PluginKit.activation(KitActivations.Abs.class, "kit_abs");
    }

    @TestFactory
    Stream<DynamicTest> kitTriangular() {
        return PluginKit.initializer("kit_triangular(width=0.5)");
    }

    @TestFactory
    Stream<DynamicTest> kitL1() {
        return PluginKit.regularizer(KitRegularizers.AbsoluteNorm.class, "kit_l1(lambda=0.3)", "kit_l1(lambda=0)");
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

    /** A schedule, one line, on the default registry: core's own, found like any plugin on the class path. */
    @TestFactory
    Stream<DynamicTest> coreCosine() {
        return PluginKit.schedule("cosine(epochs=10)");
    }

    @TestFactory
    Stream<DynamicTest> coreWarmup() {
        return PluginKit.schedule(null, "warmup(steps=100, then=exponential(rate=0.9))", false);
    }

    @Test
    void namesEachDynamicTestBySpecAndCheck() {
        List<String> names = PluginKit.activation("kit_abs").map(DynamicTest::getDisplayName).toList();
        assertEquals(List.of("kit_abs: registered", "kit_abs: spec round-trip", "kit_abs: derivative",
                "kit_abs: examples independent", "kit_abs: extreme inputs", "kit_abs: shapes", "kit_abs: output buffers",
                "kit_abs: in place"), names);
        assertEquals(List.of("dense(units=2): registered", "dense(units=2): spec round-trip"),
                PluginKit.layer("dense(units=2)", 3, 4).limit(2).map(DynamicTest::getDisplayName).toList());
        assertEquals("sgd: resume from a checkpoint", PluginKit.optimizer("sgd").map(DynamicTest::getDisplayName)
                .reduce((a, b) -> b).orElseThrow());
        assertEquals(List.of("constant: registered", "constant: spec round-trip", "constant: pure", "constant: finite and >= 0",
                "constant: starts at the base rate", "constant: composes with warm-up"),
                PluginKit.schedule("constant").map(DynamicTest::getDisplayName).toList());
        assertEquals("mean_squared_error: gradient", PluginKit.tests(KitRegistry.conformance().loss("mean_squared_error",
                "kit_scaled_identity")).map(DynamicTest::getDisplayName).filter(n -> n.endsWith("gradient")).findFirst().orElseThrow());
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
        ConformanceReport report = Conformance.defaults().activation("kit_abs").run();
        String text = report.toString();
        assertTrue(text.startsWith("activation 'kit_abs': 8 of 8 checks passed"), text);
        assertTrue(text.contains(System.lineSeparator() + "  PASS derivative: backward matches central differences from z=-700 to 700 at 28 of 29"),
                text);
        ConformanceReport failing = KitRegistry.conformance().activation("kit_wrong_sigmoid").run();
        assertTrue(failing.toString().contains("  FAIL derivative: derivative at z=-700: backward 1"), failing.toString());
        assertEquals(List.of("derivative"), failing.failures().stream().map(CheckResult::check).toList());
        assertThrows(IllegalArgumentException.class, () -> failing.result("no such check"));
    }
}
