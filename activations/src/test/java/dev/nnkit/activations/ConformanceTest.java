package dev.nnkit.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.PluginRegistry;
import dev.nnkit.gradcheck.kit.PluginKit;
import dev.nnkit.spi.Activation;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every activation of this module through the plugin conformance kit: registered under its name as
 * its own class, spec round-trip, derivative against central differences from z = -700 to 700
 * (softmax through its Jacobian-vector product), extreme inputs, shapes, output buffers, in place.
 */
class ConformanceTest {

    private static final Set<String> CHECKED = Set.of("sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax");

    @TestFactory
    Stream<DynamicTest> sigmoid() {
        return PluginKit.activation(Sigmoid.class, "sigmoid");
    }

    @TestFactory
    Stream<DynamicTest> tanh() {
        return PluginKit.activation(Tanh.class, "tanh");
    }

    @TestFactory
    Stream<DynamicTest> relu() {
        return PluginKit.activation(Relu.class, "relu");
    }

    @TestFactory
    Stream<DynamicTest> leakyRelu() {
        return Stream.concat(PluginKit.activation(LeakyRelu.class, "leaky_relu"),
                PluginKit.activation(LeakyRelu.class, "leaky_relu(alpha=0.2)"));
    }

    @TestFactory
    Stream<DynamicTest> identity() {
        return PluginKit.activation(Identity.class, "identity");
    }

    @TestFactory
    Stream<DynamicTest> softmax() {
        return PluginKit.activation(Softmax.class, "softmax");
    }

    @Test
    void everyActivationOfTheModuleIsChecked() {
        assertEquals(CHECKED, Set.copyOf(PluginRegistry.defaults().names(Activation.class)));
    }
}
