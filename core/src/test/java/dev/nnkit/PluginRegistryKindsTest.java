package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Regularizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PluginRegistry#kinds()}: the kinds with providers, open to interfaces core does not know. */
class PluginRegistryKindsTest {

    @Test
    void kindsAreTheInterfacesWithProvidersOrderedByName() {
        PluginRegistry defaults = PluginRegistry.defaults();
        List<Class<?>> kinds = List.copyOf(defaults.kinds());
        // core's and the test class path's kinds (no regularizer is on core's test class path); core
        // may bring more kinds, each with names, in the order of their names
        assertTrue(kinds.containsAll(List.of(Activation.class, Initializer.class, Layer.class, Loss.class, Optimizer.class)),
                kinds.toString());
        assertFalse(kinds.contains(Regularizer.class), kinds.toString());
        for (Class<?> kind : kinds) {
            assertFalse(defaults.names(kind).isEmpty(), kind.getName());
        }
        List<String> names = kinds.stream().map(PluginRegistry::kindName).toList();
        assertEquals(names.stream().sorted().toList(), names);
        PluginRegistry registry = PluginRegistry.of(List.of(new RegistryFixtures.LinearWarmupProvider(),
                new TestPlugins.ScaledProvider()));
        assertEquals(List.of(Activation.class, RegistryFixtures.Warmup.class), List.copyOf(registry.kinds()));
    }

    @Test
    void defaultsIsDiscoveredOnceAndShared() {
        assertSame(PluginRegistry.defaults(), PluginRegistry.defaults());
    }
}
