package dev.nnkit.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.PluginProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Discovery, spec strings and argument validation of {@code batch_norm}. */
class RegistryTest {

    private static final PluginRegistry REGISTRY = Support.registry();

    @Test
    void batchNormIsDiscoveredAsALayerOnTheClassPath() {
        assertTrue(REGISTRY.names(Layer.class).contains("batch_norm"), REGISTRY.names(Layer.class).toString());
        assertInstanceOf(BatchNorm.class, REGISTRY.create(Layer.class, "batch_norm"));
        assertTrue(REGISTRY.loadFailures().isEmpty(), REGISTRY.loadFailures().toString());
    }

    @Test
    void theServicesFileNamesTheProvider() throws IOException, ReflectiveOperationException {
        try (InputStream in = BatchNorm.class.getResourceAsStream("/META-INF/services/dev.nnkit.spi.PluginProvider")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(line -> !line.isEmpty()).toList();
            assertEquals(List.of("dev.nnkit.layers.BatchNorm$Provider"), lines);
            PluginProvider<?> provider = (PluginProvider<?>) Class.forName(lines.get(0)).getConstructor().newInstance();
            assertEquals(Layer.class, provider.kind());
            assertEquals("batch_norm", provider.name());
        }
    }

    @Test
    void defaultsAreTheDocumentedValues() {
        BatchNorm layer = (BatchNorm) REGISTRY.create(Layer.class, "batch_norm");
        assertEquals(0.9, layer.momentum());
        assertEquals(1e-5, layer.epsilon());
        assertEquals("batch_norm(momentum=0.9, epsilon=1.0E-5)", layer.toString());
        assertEquals("batch_norm(momentum=0.5, epsilon=0.001)",
                REGISTRY.create(Layer.class, "batch_norm(epsilon=1e-3, momentum=0.5)").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"batch_norm", "batch_norm(momentum=0)", "batch_norm(momentum=0.99, epsilon=1e-8)",
            "BATCH_NORM( epsilon = 0.5 )"})
    void specRoundTrips(String spec) {
        BatchNorm first = (BatchNorm) REGISTRY.create(Layer.class, spec);
        BatchNorm again = (BatchNorm) REGISTRY.create(Layer.class, first.toString());
        assertEquals(first.toString(), again.toString());
        assertEquals(first.momentum(), again.momentum());
        assertEquals(first.epsilon(), again.epsilon());
    }

    @Test
    void everyCreationIsAFreshInstance() {
        assertNotSame(REGISTRY.create(Layer.class, "batch_norm"), REGISTRY.create(Layer.class, "batch_norm"));
    }

    @ParameterizedTest
    @CsvSource({
        "'batch_norm(momentum=1)',        momentum=1.0,       '[0, 1)'",
        "'batch_norm(momentum=1.5)',      momentum=1.5,       '[0, 1)'",
        "'batch_norm(momentum=-0.1)',     momentum=-0.1,      '[0, 1)'",
        "'batch_norm(momentum=NaN)',      momentum=NaN,       'finite'",
        "'batch_norm(momentum=abc)',      momentum=abc,       'a number'",
        "'batch_norm(epsilon=0)',         epsilon=0.0,        '> 0'",
        "'batch_norm(epsilon=-1e-5)',     epsilon=-1.0E-5,    '> 0'",
        "'batch_norm(epsilon=Infinity)',  epsilon=Infinity,   'finite'",
    })
    void invalidArgumentsNameThePluginTheArgumentTheValueAndTheRule(String spec, String keyAndValue, String rule) {
        PluginException e = assertThrows(PluginException.class, () -> REGISTRY.create(Layer.class, spec));
        assertTrue(e.getMessage().startsWith("batch_norm: "), e.getMessage());
        assertTrue(e.getMessage().contains(keyAndValue + " is invalid"), e.getMessage());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
    }

    @Test
    void anUnknownArgumentIsRejectedWithTheAcceptedOnes() {
        PluginException e = assertThrows(PluginException.class, () -> REGISTRY.create(Layer.class, "batch_norm(units=4)"));
        assertTrue(e.getMessage().contains("'units'") && e.getMessage().contains("momentum, epsilon"), e.getMessage());
    }
}
