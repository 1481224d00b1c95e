package dev.nnkit;

import dev.nnkit.spi.PluginException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery that goes wrong (a duplicate name, a provider of a kind that is not an interface, a
 * class loader that cannot list its services files) and kinds of plugin core does not know.
 */
class PluginRegistryDiscoveryTest {

    private static final String DUPLICATE_DENSE = "two providers claim the layer name 'dense': "
            + "dev.nnkit.internal.Dense$Provider and dev.nnkit.TestPlugins$DuplicateDense; "
            + "remove one of them from the class path or rename it";

    @TempDir
    Path servicesRoot;

    /** A folder holding only a services file that lists {@code classes}. */
    private Path services(String... classes) throws IOException {
        Path file = servicesRoot.resolve("META-INF/services/dev.nnkit.spi.PluginProvider");
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(classes));
        return servicesRoot;
    }

    /** A class loader that sees the test class path plus the private services of {@code classes}. */
    private ClassLoader withServices(String... classes) throws IOException {
        return new URLClassLoader(new URL[] {services(classes).toUri().toURL()}, getClass().getClassLoader());
    }

    /**
     * The case: a second provider of a name on the class path of a fresh JVM. Every call of
     * {@code defaults()} that makes the name throws the same readable error (not
     * ExceptionInInitializerError once and NoClassDefFoundError after), and the other plugins work.
     */
    @Test
    void aDuplicateOnTheClassPathOfAChildJvmFailsOnlyItsNameAtEveryCallOfDefaults() throws Exception {
        String classPath = System.getProperty("java.class.path");
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            classPath = classPath + File.pathSeparator + modulePath;
        }
        classPath = classPath + File.pathSeparator + services(TestPlugins.DuplicateDense.class.getName());
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classPath, DefaultRegistryProbe.class.getName());
        Process child = new ProcessBuilder(command).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, child.exitValue(), err);
        assertEquals(List.of(
                "dense, first call: dev.nnkit.spi.PluginException: " + DUPLICATE_DENSE,
                "dense, second call: dev.nnkit.spi.PluginException: " + DUPLICATE_DENSE,
                "adam: ok dev.nnkit.internal.Adam",
                "test_scaled: ok dev.nnkit.TestPlugins$Scaled",
                "layer names: ok [dense]"), out.lines().toList(), err);
    }

    @Test
    void aDuplicateFoundThroughAClassLoaderFailsOnlyItsNameAtEveryCall() throws IOException {
        PluginRegistry registry = PluginRegistry.load(withServices(TestPlugins.DuplicateDense.class.getName()));
        for (int call = 1; call <= 2; call++) {
            PluginException e = assertThrows(PluginException.class, () -> registry.create(Layer.class, "dense(units=2)"));
            assertEquals(DUPLICATE_DENSE, e.getMessage(), "call " + call);
        }
        assertEquals(List.of("dense"), List.copyOf(registry.names(Layer.class)));
        assertTrue(registry.loadFailures().isEmpty(), registry.loadFailures().toString());
        assertInstanceOf(Optimizer.class, registry.create(Optimizer.class, "adam"));
        assertInstanceOf(TestPlugins.Scaled.class, registry.create(Activation.class, "test_scaled"));
    }

    @Test
    void threeProvidersOfOneNameAreAllNamed() {
        PluginRegistry registry = PluginRegistry.of(List.of(new TestPlugins.ScaledProvider(), new TestPlugins.SigmoidProvider(),
                new RegistryFixtures.ThirdScaled(), new TestPlugins.ScaledProvider()));
        PluginException e = assertThrows(PluginException.class, () -> registry.create(Activation.class, "test_scaled"));
        assertEquals("3 providers claim the activation name 'test_scaled': dev.nnkit.TestPlugins$ScaledProvider, "
                + "dev.nnkit.RegistryFixtures$ThirdScaled and dev.nnkit.TestPlugins$ScaledProvider; remove all but one of them "
                + "from the class path or rename them", e.getMessage());
        assertInstanceOf(TestPlugins.Sigmoid.class, registry.create(Activation.class, "sigmoid"));
    }

    /** The open kinds: an interface core has never heard of is a kind as soon as a provider declares it. */
    @Test
    void aProviderOfAKindCoreDoesNotKnowIsFoundAndCreatedByName() throws IOException {
        PluginRegistry registry = PluginRegistry.load(withServices(RegistryFixtures.LinearWarmupProvider.class.getName()));
        assertTrue(registry.loadFailures().isEmpty(), registry.loadFailures().toString());
        RegistryFixtures.Warmup warmup = registry.create(RegistryFixtures.Warmup.class, "linear_warmup(steps=4)");
        assertEquals(0.5, warmup.factor(2));
        assertEquals(List.of("linear_warmup"), List.copyOf(registry.names(RegistryFixtures.Warmup.class)));
        // the registry's messages name the new kind like the others
        PluginException e = assertThrows(PluginException.class,
                () -> registry.create(RegistryFixtures.Warmup.class, "linear_warmpu(steps=4)"));
        assertEquals("unknown warmup 'linear_warmpu'; did you mean 'linear_warmup'?; known warmup names: linear_warmup",
                e.getMessage());
        e = assertThrows(PluginException.class, () -> registry.create(RegistryFixtures.Warmup.class, "linear_warmup(steps=0)"));
        assertEquals("linear_warmup: steps=0 is invalid; steps must be >= 1", e.getMessage());
        // and the built-ins are still there
        assertInstanceOf(Optimizer.class, registry.create(Optimizer.class, "sgd"));
    }

    @Test
    void anInterfaceNoProviderDeclaresIsAKindWithoutPlugins() {
        PluginRegistry registry = PluginRegistry.of(List.of(new TestPlugins.ScaledProvider()));
        assertTrue(registry.names(RegistryFixtures.Warmup.class).isEmpty());
        PluginException e = assertThrows(PluginException.class, () -> registry.create(RegistryFixtures.Warmup.class, "cosine"));
        assertEquals("unknown warmup 'cosine'; no warmup plugins are on the class path (is the module that provides them "
                + "a dependency?)", e.getMessage());
    }

    @Test
    void aKindMustBeAnInterface() throws IOException {
        PluginRegistry registry = PluginRegistry.defaults();
        PluginException e = assertThrows(PluginException.class, () -> registry.create(String.class, "x"));
        assertEquals("java.lang.String is not a kind of plugin; a kind is the interface its plugins implement, "
                + "e.g. dev.nnkit.spi.Activation", e.getMessage());
        e = assertThrows(PluginException.class, () -> registry.names(null));
        assertEquals("the kind of plugin is null; give the interface its plugins implement, e.g. dev.nnkit.spi.Activation",
                e.getMessage());
        // given explicitly, a provider of such a kind is refused at once ...
        String declared = "plugin provider dev.nnkit.RegistryFixtures$NotAKindProvider declares kind java.lang.String; "
                + "the kind must be the interface its plugins implement, e.g. dev.nnkit.spi.Activation";
        e = assertThrows(PluginException.class, () -> PluginRegistry.of(List.of(new RegistryFixtures.NotAKindProvider())));
        assertEquals(declared, e.getMessage());
        // ... found by discovery, it is left out and reported like a provider that fails to load
        PluginRegistry discovered = PluginRegistry.load(withServices(RegistryFixtures.NotAKindProvider.class.getName()));
        assertEquals(List.of(declared), discovered.loadFailures());
        assertInstanceOf(Layer.class, discovered.create(Layer.class, "dense(units=1)"));
    }

    @Test
    void aProviderWithoutAKindIsRefused() {
        PluginProvider<Activation> noKind = new PluginProvider<>() {
            @Override
            public Class<Activation> kind() {
                return null;
            }

            @Override
            public String name() {
                return "no_kind";
            }

            @Override
            public Activation create(Arguments arguments) {
                return null;
            }
        };
        PluginException e = assertThrows(PluginException.class, () -> PluginRegistry.of(List.of(noKind)));
        assertTrue(e.getMessage().startsWith("plugin provider " + noKind.getClass().getName() + " declares kind null; "
                + "the kind must be the interface its plugins implement"), e.getMessage());
    }

    /** An interface named with an acronym, for the kind's name in messages. */
    interface LRSchedule {
    }

    @Test
    void aKindIsNamedByItsInterfaceInWords() {
        assertEquals(List.of("activation", "initializer", "regularizer", "layer", "loss", "optimizer"),
                List.of(Activation.class, Initializer.class, Regularizer.class, Layer.class, Loss.class, Optimizer.class)
                        .stream().map(PluginRegistry::kindName).toList());
        assertEquals("warmup", PluginRegistry.kindName(RegistryFixtures.Warmup.class));
        assertEquals("weight penalty", PluginRegistry.kindName(WeightPenalty.class));
        assertEquals("LR schedule", PluginRegistry.kindName(LRSchedule.class));
    }

    @Test
    void aProviderThatCannotLinkWhenCreatingIsAPluginException() {
        PluginProvider<Activation> unlinked = new PluginProvider<>() {
            @Override
            public Class<Activation> kind() {
                return Activation.class;
            }

            @Override
            public String name() {
                return "unlinked";
            }

            @Override
            public Activation create(Arguments arguments) {
                throw new NoClassDefFoundError("com/example/Missing");
            }
        };
        PluginRegistry registry = PluginRegistry.of(List.of(unlinked));
        PluginException e = assertThrows(PluginException.class, () -> registry.create(Activation.class, "unlinked"));
        assertEquals("activation 'unlinked' could not be created by " + unlinked.getClass().getName()
                + ": java.lang.NoClassDefFoundError: com/example/Missing", e.getMessage());
    }

    /**
     * A class loader that cannot list its services files makes the service iterator fail at every
     * step: discovery stops, reports the failure, and does not loop forever.
     */
    @Test
    void aClassLoaderThatCannotListItsServicesFilesEndsDiscovery() {
        ClassLoader unreadable = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                throw new IOException("disk on fire");
            }
        };
        PluginRegistry registry = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> PluginRegistry.load(unreadable));
        List<String> failures = new ArrayList<>(registry.loadFailures());
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).contains("Error locating configuration files") && failures.get(0).contains("disk on fire"),
                failures.toString());
        PluginException e = assertThrows(PluginException.class, () -> registry.create(Layer.class, "dense(units=1)"));
        assertTrue(e.getMessage().contains("1 provider(s) failed to load: ") && e.getMessage().contains("disk on fire"),
                e.getMessage());
    }
}
