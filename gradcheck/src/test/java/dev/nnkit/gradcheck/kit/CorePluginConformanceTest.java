package dev.nnkit.gradcheck.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Schedule;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Core's layer, optimizers and schedules through their kits: dense, plain gradient descent,
 * gradient descent with momentum, Adam and RMSprop, and every built-in learning-rate schedule.
 */
class CorePluginConformanceTest {

    @TestFactory
    Stream<DynamicTest> dense() {
        return PluginKit.tests(KitRegistry.conformance().layer("dense(units=3)"));
    }

    @TestFactory
    Stream<DynamicTest> denseWiderThanItsInput() {
        return PluginKit.tests(KitRegistry.conformance().layer("dense(units=8)", 3, 4));
    }

    @TestFactory
    Stream<DynamicTest> sgd() {
        return PluginKit.tests(KitRegistry.conformance().optimizer("sgd(learning_rate=0.1)"));
    }

    @TestFactory
    Stream<DynamicTest> sgdWithMomentum() {
        return PluginKit.tests(KitRegistry.conformance().optimizer("sgd(learning_rate=0.1, momentum=0.9)"));
    }

    @TestFactory
    Stream<DynamicTest> adam() {
        return PluginKit.tests(KitRegistry.conformance().optimizer("adam(learning_rate=0.01)"));
    }

    @TestFactory
    Stream<DynamicTest> adamWithItsDefaults() {
        return PluginKit.tests(KitRegistry.conformance().optimizer("adam"));
    }

    @TestFactory
    Stream<DynamicTest> rmsprop() {
        return PluginKit.tests(KitRegistry.conformance().optimizer("rmsprop(learning_rate=0.01)"));
    }

    @TestFactory
    Stream<DynamicTest> constant() {
        return PluginKit.tests(KitRegistry.conformance().schedule("constant"));
    }

    @TestFactory
    Stream<DynamicTest> stepDecay() {
        return PluginKit.tests(KitRegistry.conformance().schedule("step_decay(every=6, factor=0.1)"));
    }

    @TestFactory
    Stream<DynamicTest> exponential() {
        return PluginKit.tests(KitRegistry.conformance().schedule("exponential(rate=0.95)"));
    }

    @TestFactory
    Stream<DynamicTest> inverseTime() {
        return PluginKit.tests(KitRegistry.conformance().schedule("inverse_time(decay_rate=1, interval=3)"));
    }

    @TestFactory
    Stream<DynamicTest> cosine() {
        return PluginKit.tests(KitRegistry.conformance().schedule("cosine(epochs=20, min_factor=0.01)"));
    }

    @TestFactory
    Stream<DynamicTest> warmupThenCosine() {
        return PluginKit.tests(KitRegistry.conformance().schedule(null, "warmup(steps=500, then=cosine(epochs=20))", false));
    }

    @Test
    void coversEveryLayerAndOptimizerCoreShips() {
        assertEquals(Set.of("dense"), Set.copyOf(KitRegistry.get().names(Layer.class).stream()
                .filter(name -> !name.startsWith("kit_")).toList()));
        assertEquals(Set.of("sgd", "adam", "rmsprop"), Set.copyOf(KitRegistry.get().names(Optimizer.class).stream()
                .filter(name -> !name.startsWith("kit_")).toList()));
        assertEquals(Set.of("constant", "step_decay", "exponential", "inverse_time", "cosine", "warmup"),
                Set.copyOf(KitRegistry.get().names(Schedule.class).stream().filter(name -> !name.startsWith("kit_")).toList()));
    }
}
