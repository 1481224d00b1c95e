package dev.nnkit.gradcheck.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Optimizer;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Core's layer and optimizers through the layer and optimizer kits: dense, plain gradient descent,
 * gradient descent with momentum, Adam and RMSprop.
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

    @Test
    void coversEveryLayerAndOptimizerCoreShips() {
        assertEquals(Set.of("dense"), Set.copyOf(KitRegistry.get().names(Layer.class).stream()
                .filter(name -> !name.startsWith("kit_")).toList()));
        assertEquals(Set.of("sgd", "adam", "rmsprop"), Set.copyOf(KitRegistry.get().names(Optimizer.class).stream()
                .filter(name -> !name.startsWith("kit_")).toList()));
    }
}
