package dev.nnkit.gradcheck.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Loss;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Core's three losses through the kit, each with the shipped output activation it is meant for
 * (sigmoid, softmax and identity, found on the class path), and mean squared error also through
 * the sigmoid and softmax outputs, where it is not fused.
 */
class CoreLossConformanceTest {

    private static Stream<DynamicTest> loss(String spec, String output) {
        return PluginKit.tests(Conformance.defaults().loss(spec, output));
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
        assertEquals(Set.of("binary_cross_entropy", "softmax_cross_entropy", "mean_squared_error"),
                Set.copyOf(PluginRegistry.defaults().names(Loss.class)));
    }
}
