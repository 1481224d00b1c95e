package dev.nnkit.initializers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.PluginProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Discovery through the registry, canonical spec strings, and the rejection of bad arguments. */
class InitializerRegistryTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.defaults();

    private static final Set<String> NAMES = Set.of("zeros", "constant", "small_random", "normal", "uniform",
            "xavier_normal", "xavier_uniform", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform");

    @Test
    void allElevenAreDiscovered() {
        assertEquals(new TreeSet<>(NAMES), REGISTRY.names(Initializer.class));
        assertEquals(0, REGISTRY.loadFailures().size(), String.valueOf(REGISTRY.loadFailures()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "zeros                     | zeros                        | Zeros",
        "constant(value=0.3)       | constant(value=0.3)          | Constant",
        "small_random              | small_random(scale=0.01)     | SmallRandom",
        "normal                    | normal(std=0.05)             | Normal",
        "uniform                   | uniform(limit=0.05)          | Uniform",
        "xavier_normal             | xavier_normal(scale=1.0)     | XavierNormal",
        "xavier_uniform            | xavier_uniform(scale=1.0)    | XavierUniform",
        "he_normal                 | he_normal(scale=1.0)         | HeNormal",
        "he_uniform                | he_uniform(scale=1.0)        | HeUniform",
        "lecun_normal              | lecun_normal(scale=1.0)      | LecunNormal",
        "lecun_uniform             | lecun_uniform(scale=1.0)     | LecunUniform",
        "XAVIER_UNIFORM( scale = 0.5 ) | xavier_uniform(scale=0.5) | XavierUniform",
        "constant(value=-1.5)      | constant(value=-1.5)         | Constant",
        "normal(std=0.2)           | normal(std=0.2)              | Normal",
        "uniform(limit=2)          | uniform(limit=2.0)           | Uniform",
        "small_random(scale=1e-3)  | small_random(scale=0.001)    | SmallRandom",
        "he_normal(scale=2)        | he_normal(scale=2.0)         | HeNormal",
    })
    void canonicalSpecRoundTrips(String spec, String canonical, String simpleClassName) {
        Initializer init = REGISTRY.create(Initializer.class, spec);
        assertEquals(simpleClassName, init.getClass().getSimpleName());
        assertEquals(canonical, init.toString());
        Initializer again = REGISTRY.create(Initializer.class, init.toString());
        assertEquals(init.toString(), again.toString());
        assertEquals(init.variance(37, 11), again.variance(37, 11), 0.0);
        assertEquals(init.mean(), again.mean(), 0.0);
    }

    static Stream<Arguments> invalidArguments() {
        Stream<Arguments> scaled = Stream.of("small_random", "xavier_normal", "xavier_uniform", "he_normal",
                "he_uniform", "lecun_normal", "lecun_uniform")
                .flatMap(name -> Stream.of(
                        Arguments.of(name + "(scale=0)", name, "scale=0.0"),
                        Arguments.of(name + "(scale=-1)", name, "scale=-1.0")));
        return Stream.concat(scaled, Stream.of(
                Arguments.of("normal(std=0)", "normal", "std=0.0"),
                Arguments.of("normal(std=-0.5)", "normal", "std=-0.5"),
                Arguments.of("uniform(limit=-2)", "uniform", "limit=-2.0"),
                Arguments.of("uniform(limit=0)", "uniform", "limit=0.0"),
                Arguments.of("he_normal(scale=big)", "he_normal", "scale=big")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidArguments")
    void invalidArgumentsNameThePluginTheArgumentAndTheValue(String spec, String plugin, String keyAndValue) {
        PluginException e = assertThrows(PluginException.class, () -> REGISTRY.create(Initializer.class, spec));
        String message = e.getMessage();
        assertTrue(message.startsWith(plugin + ": "), message);
        assertTrue(message.contains(keyAndValue + " is invalid"), message);
    }

    @Test
    void constantRequiresItsValue() {
        PluginException e = assertThrows(PluginException.class, () -> REGISTRY.create(Initializer.class, "constant"));
        assertTrue(e.getMessage().startsWith("constant: argument 'value' is required"), e.getMessage());
    }

    @Test
    void unknownArgumentNamesTheAcceptedOne() {
        PluginException e = assertThrows(PluginException.class,
                () -> REGISTRY.create(Initializer.class, "xavier_normal(gain=0.5)"));
        assertTrue(e.getMessage().contains("xavier_normal") && e.getMessage().contains("'gain'")
                && e.getMessage().contains("it accepts scale"), e.getMessage());
    }

    @Test
    void moduleInfoAndServicesFileRegisterTheSameProviders() throws IOException, URISyntaxException {
        Set<String> services;
        try (InputStream in = Zeros.class.getResourceAsStream("/META-INF/services/" + PluginProvider.class.getName());
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            services = reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Path classes = Path.of(Zeros.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertEquals("dev.nnkit.initializers", descriptor.name());
        assertTrue(descriptor.exports().isEmpty(), "the package is not exported: " + descriptor.exports());
        Set<String> provided = descriptor.provides().stream()
                .filter(p -> p.service().equals(PluginProvider.class.getName()))
                .flatMap(p -> p.providers().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(services, provided);
        assertEquals(NAMES.size(), services.size());
    }
}
