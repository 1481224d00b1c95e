package dev.nnkit.gradcheck.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.spi.Loss;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Core's three losses through the kit, each with the output activation it is meant for (fixture
 * copies of sigmoid, softmax and identity: gradcheck's test class path has no activations module),
 * and mean squared error also through the sigmoid and softmax outputs, where it is not fused.
 */
class CoreLossConformanceTest {

    private static Stream<DynamicTest> loss(String spec, String output) {
        return PluginKit.tests(KitRegistry.conformance().loss(spec, output));
    }

    @TestFactory
    Stream<DynamicTest> binaryCrossEntropy() {
        return loss("binary_cross_entropy", "sigmoid");
    }

    @TestFactory
    Stream<DynamicTest> softmaxCrossEntropy() {
        return loss("softmax_cross_entropy", "softmax");
    }

    @TestFactory
    Stream<DynamicTest> meanSquaredError() {
        return Stream.of("identity", "sigmoid", "softmax").flatMap(output -> loss("mean_squared_error", output));
    }

    @Test
    void coversEveryLossCoreShips() {
        Set<String> core = Set.of("binary_cross_entropy", "softmax_cross_entropy", "mean_squared_error");
        Set<String> registered = Set.copyOf(KitRegistry.get().names(Loss.class).stream()
                .filter(name -> !name.startsWith("kit_")).toList());
        assertEquals(core, registered);
    }
}
