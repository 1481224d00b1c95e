package com.example.nnkit;

import dev.nnkit.gradcheck.kit.PluginKit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The nnkit plugin conformance kit over this module's plugins: one line per plugin. Each check
 * becomes a test, e.g. "swish(beta=1): derivative"; a failure says which check and by how much.
 */
class ConformanceTest {

    @TestFactory
    Stream<DynamicTest> swish() {
        return Stream.concat(PluginKit.activation(Swish.class, "swish"), PluginKit.activation(Swish.class, "swish(beta=2.5)"));
    }

    @TestFactory
    Stream<DynamicTest> orthogonal() {
        return Stream.concat(PluginKit.initializer(Orthogonal.class, "orthogonal"),
                PluginKit.initializer(Orthogonal.class, "orthogonal(gain=1.5)"));
    }

    @TestFactory
    Stream<DynamicTest> l1() {
        return PluginKit.regularizer(L1.class, "l1(lambda=0.3)", "l1(lambda=0)");
    }

    @TestFactory
    Stream<DynamicTest> centeredDense() {
        return Stream.concat(PluginKit.layer(CenteredDense.class, "centered_dense(units=4)", 3, 6),
                PluginKit.layer(CenteredDense.class, "centered_dense(units=1, momentum=0)", 5, 2));
    }

    @TestFactory
    Stream<DynamicTest> oneCycle() {
        return Stream.concat(PluginKit.schedule(OneCycle.class, "one_cycle(epochs=10)", false),
                PluginKit.schedule(OneCycle.class, "one_cycle(epochs=3, peak_at=0.5, div=10, final_div=100)", false));
    }
}
