package dev.nnkit.initializers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.PluginRegistry;
import dev.nnkit.gradcheck.kit.PluginKit;
import dev.nnkit.spi.Initializer;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every initializer of this module through the plugin conformance kit: registered under its name as
 * its own class, spec round-trip, empirical mean and variance on 300 x 700 and 700 x 300 matrices
 * against the declared mean() and variance(fanIn, fanOut) within five standard errors,
 * deterministic by seed, different seeds differ, every entry written.
 */
class ConformanceTest {

    private static final Set<String> CHECKED = Set.of("zeros", "constant", "small_random", "normal", "uniform",
            "xavier_normal", "xavier_uniform", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform");

    @TestFactory
    Stream<DynamicTest> constants() {
        return Stream.of(
                PluginKit.initializer(Zeros.class, "zeros"),
                PluginKit.initializer(Constant.class, "constant(value=0.5)"),
                PluginKit.initializer(Constant.class, "constant(value=-3)")).flatMap(s -> s);
    }

    @TestFactory
    Stream<DynamicTest> fixedScale() {
        return Stream.of(
                PluginKit.initializer(SmallRandom.class, "small_random"),
                PluginKit.initializer(Normal.class, "normal"),
                PluginKit.initializer(Uniform.class, "uniform(limit=0.3)")).flatMap(s -> s);
    }

    @TestFactory
    Stream<DynamicTest> xavier() {
        return Stream.of(
                PluginKit.initializer(XavierNormal.class, "xavier_normal"),
                PluginKit.initializer(XavierUniform.class, "xavier_uniform"),
                PluginKit.initializer(XavierNormal.class, "xavier_normal(scale=0.5)")).flatMap(s -> s);
    }

    @TestFactory
    Stream<DynamicTest> he() {
        return Stream.concat(PluginKit.initializer(HeNormal.class, "he_normal"),
                PluginKit.initializer(HeUniform.class, "he_uniform"));
    }

    @TestFactory
    Stream<DynamicTest> lecun() {
        return Stream.concat(PluginKit.initializer(LecunNormal.class, "lecun_normal"),
                PluginKit.initializer(LecunUniform.class, "lecun_uniform"));
    }

    @Test
    void everyInitializerOfTheModuleIsChecked() {
        assertEquals(CHECKED, Set.copyOf(PluginRegistry.defaults().names(Initializer.class)));
    }
}
