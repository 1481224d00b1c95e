package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.PluginSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PluginSpecTest {

    @Test
    void parsesABareName() {
        PluginSpec spec = PluginSpec.parse("  tanh ");
        assertEquals("tanh", spec.name());
        assertTrue(spec.arguments().isEmpty());
        assertEquals("tanh", spec.toString());
    }

    @Test
    void parsesArgumentsInOrderAndLowersNames() {
        PluginSpec spec = PluginSpec.parse("Adam( learning_rate = 1.0E-3 ,beta1=0.9, amsgrad=false)");
        assertEquals("adam", spec.name());
        assertEquals(Map.of("learning_rate", "1.0E-3", "beta1", "0.9", "amsgrad", "false"), spec.arguments());
        assertEquals("[learning_rate, beta1, amsgrad]", spec.arguments().keySet().toString());
        assertEquals("adam(learning_rate=1.0E-3, beta1=0.9, amsgrad=false)", spec.toString());
    }

    @Test
    void emptyParenthesesMeanNoArguments() {
        assertEquals("relu", PluginSpec.parse("relu()").toString());
    }

    @Test
    void canonicalFormRoundTrips() {
        PluginSpec spec = PluginSpec.of("leaky_relu").with("alpha", 0.2);
        assertEquals("leaky_relu(alpha=0.2)", spec.toString());
        assertEquals(spec, PluginSpec.parse(spec.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "(alpha=1)", "tanh(", "tanh(alpha)", "tanh(alpha=)", "tanh(alpha=1,)",
            "tanh(alpha=1) x", "tanh(alpha=1 beta=2)", "tanh(a=1, a=2)", "1tanh", "ta nh", "tanh(alpha=(1))", "é"})
    void rejectsMalformedSpecsWithThePosition(String text) {
        PluginException e = assertThrows(PluginException.class, () -> PluginSpec.parse(text));
        assertTrue(e.getMessage().contains("cannot parse spec string \"" + text + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("at position"), e.getMessage());
    }

    @Test
    void rejectsNull() {
        assertThrows(PluginException.class, () -> PluginSpec.parse(null));
    }
}
