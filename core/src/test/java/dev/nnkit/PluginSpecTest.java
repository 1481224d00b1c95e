package dev.nnkit;

import dev.nnkit.spi.PluginException;
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
    void aValueMayBeANestedSpecThatRoundTripsInCanonicalForm() {
        PluginSpec spec = PluginSpec.parse("Warmup( steps = 500, then = Cosine( epochs=20 , min_factor = 0 ), x=1 )");
        assertEquals("warmup", spec.name());
        assertEquals(Map.of("steps", "500", "then", "cosine(epochs=20, min_factor=0)", "x", "1"), spec.arguments());
        assertEquals("warmup(steps=500, then=cosine(epochs=20, min_factor=0), x=1)", spec.toString());
        assertEquals(spec, PluginSpec.parse(spec.toString()));
        PluginSpec deep = PluginSpec.parse("a(x=b(y=c(z=d())))");
        assertEquals("a(x=b(y=c(z=d)))", deep.toString());
        assertEquals("b(y=c(z=d))", deep.arguments().get("x"));
        assertEquals(PluginSpec.parse("b(y=c(z=d))"), PluginSpec.parse(deep.arguments().get("x")));
        // built with with(): a PluginSpec value is written nested
        PluginSpec built = PluginSpec.of("warmup").with("steps", 5).with("then", PluginSpec.of("exponential").with("rate", 0.5));
        assertEquals("warmup(steps=5, then=exponential(rate=0.5))", built.toString());
        assertEquals(built, PluginSpec.parse(built.toString()));
    }

    @Test
    void unbalancedParenthesesAreReportedFirstWithThePosition() {
        assertEquals("cannot parse spec string \"warmup(steps=5, then=cosine(epochs=3)\": unbalanced parentheses: the '(' is "
                + "never closed (1 more '(' than ')') at position 6; expected name or name(key=value, ...), e.g. "
                + "leaky_relu(alpha=0.2)", assertThrows(PluginException.class,
                        () -> PluginSpec.parse("warmup(steps=5, then=cosine(epochs=3)")).getMessage());
        assertTrue(assertThrows(PluginException.class, () -> PluginSpec.parse("warmup(steps=5, then=cosine(epochs=3)))"))
                .getMessage().contains("unbalanced parentheses: the ')' has no matching '(' at position 38"));
        assertTrue(assertThrows(PluginException.class, () -> PluginSpec.parse("a(x=b(y=1)"))
                .getMessage().contains("the '(' is never closed (1 more '(' than ')') at position 1"));
        assertTrue(assertThrows(PluginException.class, () -> PluginSpec.parse("a)("))
                .getMessage().contains("the ')' has no matching '(' at position 1"));
    }

    @Test
    void onlyAPluginNameMayOpenANestedSpecAndNestingIsBounded() {
        assertTrue(assertThrows(PluginException.class, () -> PluginSpec.parse("a(x=0.5(y=1))")).getMessage()
                .contains("a value followed by '(' must be a plugin name, as in then=cosine(epochs=10); '0.5' is not at position 4"));
        String eightDeep = "a(x=".repeat(9) + "b" + ")".repeat(9);
        assertEquals(eightDeep, PluginSpec.parse(eightDeep).toString());
        String nineDeep = "a(x=".repeat(10) + "b" + ")".repeat(10);
        assertTrue(assertThrows(PluginException.class, () -> PluginSpec.parse(nineDeep)).getMessage()
                .contains("specs are nested more than 8 deep at position 36"));
        assertTrue(assertThrows(PluginException.class, () -> PluginSpec.parse("a(x=b(y=))")).getMessage()
                .contains("expected a value at position 8"));
    }

    @Test
    void rejectsNull() {
        assertThrows(PluginException.class, () -> PluginSpec.parse(null));
    }
}
