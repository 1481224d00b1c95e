package dev.nnkit.regularizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.Regularizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.defaults();

    @Test
    void bothPluginsAreDiscovered() {
        assertTrue(REGISTRY.names(Regularizer.class).containsAll(java.util.Set.of("l2", "dropout")),
                REGISTRY.names(Regularizer.class).toString());
        assertInstanceOf(L2.class, REGISTRY.create(Regularizer.class, "l2"));
        assertInstanceOf(Dropout.class, REGISTRY.create(Regularizer.class, "dropout"));
        assertTrue(REGISTRY.loadFailures().isEmpty(), REGISTRY.loadFailures().toString());
    }

    @Test
    void defaultsAreDocumentedValues() {
        assertEquals("l2(lambda=0.01)", REGISTRY.create(Regularizer.class, "l2").toString());
        assertEquals("dropout(keep_prob=0.8)", REGISTRY.create(Regularizer.class, "dropout").toString());
        assertEquals(0.01, ((L2) REGISTRY.create(Regularizer.class, "l2")).lambda());
        assertEquals(0.8, ((Dropout) REGISTRY.create(Regularizer.class, "dropout")).keepProb());
    }

    @ParameterizedTest
    @ValueSource(strings = {"l2", "l2(lambda=0.7)", "l2(lambda=0)", "L2( lambda = 1e-3 )",
            "dropout", "dropout(keep_prob=0.5)", "dropout(keep_prob=1)", "dropout(keep_prob=0.05)"})
    void specRoundTrips(String spec) {
        Regularizer first = REGISTRY.create(Regularizer.class, spec);
        Regularizer again = REGISTRY.create(Regularizer.class, first.toString());
        assertEquals(first.toString(), again.toString());
        assertEquals(first.getClass(), again.getClass());
    }

    @ParameterizedTest
    @ValueSource(strings = {"l2", "dropout(keep_prob=0.5)"})
    void everyCreationIsAFreshInstance(String spec) {
        assertNotSame(REGISTRY.create(Regularizer.class, spec), REGISTRY.create(Regularizer.class, spec));
    }

    @ParameterizedTest
    @CsvSource({
        "'dropout(keep_prob=0)',    dropout, keep_prob=0",
        "'dropout(keep_prob=1.5)',  dropout, keep_prob=1.5",
        "'dropout(keep_prob=-0.2)', dropout, keep_prob=-0.2",
        "'dropout(keep_prob=abc)',  dropout, keep_prob=abc",
        "'dropout(keep_prob=NaN)',  dropout, keep_prob=NaN",
        "'l2(lambda=-0.1)',         l2,      lambda=-0.1",
        "'l2(lambda=abc)',          l2,      lambda=abc",
        "'l2(lambda=Infinity)',     l2,      lambda=Infinity",
    })
    void invalidArgumentsNameThePluginTheArgumentAndTheValue(String spec, String plugin, String keyAndValue) {
        PluginException e = assertThrows(PluginException.class, () -> REGISTRY.create(Regularizer.class, spec));
        assertTrue(e.getMessage().startsWith(plugin + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(keyAndValue), e.getMessage());
        assertTrue(e.getMessage().contains("invalid"), e.getMessage());
    }

    @Test
    void unknownArgumentIsRejected() {
        PluginException e = assertThrows(PluginException.class,
                () -> REGISTRY.create(Regularizer.class, "dropout(keep=0.5)"));
        assertTrue(e.getMessage().contains("keep") && e.getMessage().contains("keep_prob"), e.getMessage());
    }
}
