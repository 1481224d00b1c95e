package dev.nnkit.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.PluginRegistry;
import dev.nnkit.gradcheck.kit.PluginKit;
import dev.nnkit.spi.Layer;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every layer of this module through the plugin conformance kit: gradients against central
 * differences, state only in training, model files, concurrent inference, no allocation, and the
 * float kernel against the double one (float parameters aligned, every mode, no allocation).
 */
class ConformanceTest {

    @TestFactory
    Stream<DynamicTest> batchNorm() {
        return Stream.concat(PluginKit.layer(BatchNorm.class, "batch_norm", 5, 7),
                PluginKit.layer(BatchNorm.class, "batch_norm(momentum=0.5, epsilon=0.001)", 3, 16));
    }

    @Test
    void everyLayerOfTheModuleIsChecked() {
        assertEquals(Set.of("batch_norm", "dense"), Set.copyOf(PluginRegistry.defaults().names(Layer.class)));
    }
}
