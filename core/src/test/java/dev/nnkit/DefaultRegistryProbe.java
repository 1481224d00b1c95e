package dev.nnkit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Optimizer;
import java.util.function.Supplier;

/**
 * Run in a child JVM by {@link PluginRegistryDiscoveryTest}: calls {@link PluginRegistry#defaults()}
 * as an application would and prints one line per call, {@code <what>: ok <class>} or
 * {@code <what>: <throwable class>: <message>}.
 */
public final class DefaultRegistryProbe {

    private DefaultRegistryProbe() {
    }

    public static void main(String[] args) {
        report("dense, first call", () -> PluginRegistry.defaults().create(Layer.class, "dense(units=2)"));
        report("dense, second call", () -> PluginRegistry.defaults().create(Layer.class, "dense(units=2)"));
        report("adam", () -> PluginRegistry.defaults().create(Optimizer.class, "adam"));
        report("test_scaled", () -> PluginRegistry.defaults().create(Activation.class, "test_scaled(factor=2)"));
        report("layer names", () -> PluginRegistry.defaults().names(Layer.class));
    }

    private static void report(String what, Supplier<?> call) {
        try {
            Object result = call.get();
            System.out.println(what + ": ok " + (result instanceof Iterable ? result : result.getClass().getName()));
        } catch (Throwable t) {
            System.out.println(what + ": " + t.getClass().getName() + ": " + t.getMessage());
        }
    }
}
