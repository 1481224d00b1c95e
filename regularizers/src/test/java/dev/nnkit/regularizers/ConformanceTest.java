package dev.nnkit.regularizers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.PluginRegistry;
import dev.nnkit.gradcheck.kit.PluginKit;
import dev.nnkit.spi.Regularizer;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every regularizer of this module through the plugin conformance kit: registered under its name as
 * its own class, spec round-trip, penalty gradient against central differences, strength 0 a no-op,
 * and for dropout: identity at inference, expectation preserved in training, the forward mask reused
 * in backward.
 */
class ConformanceTest {

    private static final Set<String> CHECKED = Set.of("l2", "dropout");

    @TestFactory
    Stream<DynamicTest> l2() {
        return Stream.concat(PluginKit.regularizer(L2.class, "l2(lambda=0.7)", "l2(lambda=0)"),
                PluginKit.regularizer(L2.class, "l2", "l2(lambda=0)"));
    }

    @TestFactory
    Stream<DynamicTest> dropout() {
        return Stream.concat(PluginKit.regularizer(Dropout.class, "dropout(keep_prob=0.8)", "dropout(keep_prob=1)"),
                PluginKit.regularizer(Dropout.class, "dropout(keep_prob=0.3)", "dropout(keep_prob=1)"));
    }

    @Test
    void everyRegularizerOfTheModuleIsChecked() {
        assertEquals(CHECKED, Set.copyOf(PluginRegistry.defaults().names(Regularizer.class)));
    }
}
