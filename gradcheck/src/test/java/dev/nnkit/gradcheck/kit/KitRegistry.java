package dev.nnkit.gradcheck.kit;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.PluginProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The hermetic registry of the kit's tests: core's own providers (dense, the losses, the
 * optimizers, the schedules) and the kit's fixtures, whatever else the test class path registers.
 */
final class KitRegistry {

    private static final PluginRegistry REGISTRY = build();

    private KitRegistry() {
    }

    static PluginRegistry get() {
        return REGISTRY;
    }

    /** The registry's conformance checks. */
    static Conformance conformance() {
        return Conformance.of(REGISTRY);
    }

    @SuppressWarnings("rawtypes")
    private static PluginRegistry build() {
        List<PluginProvider<?>> providers = new ArrayList<>();
        for (PluginProvider provider : ServiceLoader.load(PluginProvider.class)) {
            String name = provider.getClass().getName();
            if (name.startsWith("dev.nnkit.internal.") || name.startsWith("dev.nnkit.schedules.")) {
                providers.add(provider);
            }
        }
        providers.addAll(KitActivations.providers());
        providers.addAll(KitInitializers.providers());
        providers.addAll(KitRegularizers.providers());
        providers.addAll(KitLosses.providers());
        providers.addAll(KitLayers.providers());
        providers.addAll(KitOptimizers.providers());
        providers.addAll(KitSchedules.providers());
        return PluginRegistry.of(providers);
    }
}
