package dev.nnkit.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.PluginProvider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Discovery through the registry, spec round trips, argument validation and the registrations. */
class RegistryTest {

    private final PluginRegistry registry = PluginRegistry.defaults();

    @Test
    void everyActivationIsDiscoveredAsItsOwnClass() {
        Map<String, Class<?>> expected = Map.of(
                "sigmoid", Sigmoid.class, "tanh", Tanh.class, "relu", Relu.class,
                "leaky_relu", LeakyRelu.class, "identity", Identity.class, "softmax", Softmax.class);
        assertTrue(registry.names(Activation.class).containsAll(expected.keySet()), registry.names(Activation.class)::toString);
        assertTrue(registry.loadFailures().isEmpty(), registry.loadFailures()::toString);
        expected.forEach((name, type) -> assertInstanceOf(type, registry.create(Activation.class, name), name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sigmoid", "tanh", "relu", "leaky_relu", "leaky_relu(alpha=0.2)", "leaky_relu(alpha=1e-5)",
            "leaky_relu(alpha=0.999)", "identity", "softmax", " Softmax ( ) "})
    void toStringIsACanonicalSpecThatRoundTrips(String spec) {
        Activation first = registry.create(Activation.class, spec);
        Activation second = registry.create(Activation.class, first.toString());
        assertEquals(first.toString(), second.toString());
        assertEquals(first.getClass(), second.getClass());
    }

    @Test
    void leakyReluAlwaysShowsAlpha() {
        assertEquals("leaky_relu(alpha=0.01)", registry.create(Activation.class, "leaky_relu").toString());
        LeakyRelu custom = (LeakyRelu) registry.create(Activation.class, "leaky_relu(alpha=0.2)");
        assertEquals("leaky_relu(alpha=0.2)", custom.toString());
        assertEquals(0.2, custom.alpha(), 0.0);
        LeakyRelu tiny = (LeakyRelu) registry.create(Activation.class, "leaky_relu(alpha=1e-5)");
        assertEquals(1e-5, ((LeakyRelu) registry.create(Activation.class, tiny.toString())).alpha(), 0.0);
        assertEquals("sigmoid", registry.create(Activation.class, "sigmoid").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "0", "1", "-0.1", "abc", "NaN", "Infinity"})
    void leakyReluRefusesAlphaOutsideTheOpenUnitInterval(String value) {
        PluginException e = assertThrows(PluginException.class,
                () -> registry.create(Activation.class, "leaky_relu(alpha=" + value + ")"));
        String message = e.getMessage();
        assertTrue(message.contains("leaky_relu") && message.contains("alpha=" + value), message);
    }

    @Test
    void unknownArgumentsAreRefusedByTheRegistry() {
        PluginException e = assertThrows(PluginException.class, () -> registry.create(Activation.class, "tanh(beta=1)"));
        assertTrue(e.getMessage().contains("tanh") && e.getMessage().contains("beta"), e.getMessage());
        e = assertThrows(PluginException.class, () -> registry.create(Activation.class, "leaky_relu(slope=0.1)"));
        assertTrue(e.getMessage().contains("slope") && e.getMessage().contains("alpha"), e.getMessage());
    }

    @Test
    void moduleDescriptorAndServicesFileRegisterTheSameProviders() throws IOException, URISyntaxException {
        Path classes = Path.of(Sigmoid.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor = ModuleFinder.of(classes).find("dev.nnkit.activations").orElseThrow().descriptor();
        Set<String> fromModule = descriptor.provides().stream()
                .filter(p -> p.service().equals(PluginProvider.class.getName()))
                .flatMap(p -> p.providers().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> fromServices;
        try (InputStream in = Sigmoid.class.getResourceAsStream("/META-INF/services/" + PluginProvider.class.getName())) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            fromServices = Arrays.stream(text.split("\n")).map(String::strip).filter(line -> !line.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(6, fromModule.size(), fromModule::toString);
        assertEquals(fromModule, fromServices);
        assertTrue(descriptor.exports().isEmpty(), "the implementation package must not be exported");
        assertEquals(List.of("dev.nnkit.core"), descriptor.requires().stream().map(ModuleDescriptor.Requires::name)
                .filter(name -> !name.equals("java.base")).collect(Collectors.toList()));
        assertFalse(fromModule.contains("dev.nnkit.activations.Shapes"));
    }
}
