package dev.nnkit;

import dev.nnkit.spi.PluginException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.StepContext;
import dev.nnkit.spi.WeightPenalty;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

    @TempDir
    Path servicesRoot;

    @Test
    void findsCoreBuiltInsThroughTheSameServiceAsAnyPlugin() {
        PluginRegistry registry = PluginRegistry.defaults();
        assertEquals(List.of("dense"), List.copyOf(registry.names(Layer.class)));
        assertEquals(List.of("binary_cross_entropy", "mean_squared_error", "softmax_cross_entropy"),
                List.copyOf(registry.names(Loss.class)));
        assertEquals(List.of("adam", "rmsprop", "sgd"), List.copyOf(registry.names(Optimizer.class)));
    }

    @Test
    void findsAProviderDefinedInTestCodeWithNoChangeToCore() {
        Activation g = PluginRegistry.defaults().create(Activation.class, "test_scaled(factor=3)");
        assertInstanceOf(TestPlugins.Scaled.class, g);
        assertEquals(3.0, ((TestPlugins.Scaled) g).factor);
        assertEquals("test_scaled(factor=3.0)", g.toString());
    }

    /** A regularizer with no capability: it would silently do nothing. */
    static final class Inert implements Regularizer {
    }

    /** A regularizer with both capabilities (a penalty of 0 and an identity transform). */
    static final class Both implements WeightPenalty, ActivationTransform {
        @Override
        public double penalty(DMatrixRMaj w, int m) {
            return 0;
        }

        @Override
        public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
        }

        @Override
        public boolean isActive() {
            return false;
        }

        @Override
        public void forward(DMatrixRMaj a, DMatrixRMaj out, StepContext context) {
            out.setTo(a);
        }

        @Override
        public void backward(DMatrixRMaj dA, StepContext context) {
        }
    }

    private static PluginProvider<Regularizer> regularizer(String name, Supplier<Regularizer> made) {
        return new PluginProvider<>() {
            @Override
            public Class<Regularizer> kind() {
                return Regularizer.class;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public Regularizer create(Arguments arguments) {
                return made.get();
            }
        };
    }

    @Test
    void aRegularizerThatNeitherPenalizesNorTransformsIsRefusedNamingItsClass() {
        PluginRegistry registry = PluginRegistry.of(List.of(regularizer("test_inert", Inert::new),
                regularizer("test_both", Both::new), regularizer("test_l2", () -> new ModelFixtures.L2(0.1)),
                new TestPlugins.ScaledProvider(), new TestPlugins.GaussianProvider(), new dev.nnkit.internal.Dense.Provider(),
                new dev.nnkit.internal.MeanSquaredError.Provider()));
        PluginException e = assertThrows(PluginException.class, () -> registry.create(Regularizer.class, "test_inert"));
        assertEquals("regularizer 'test_inert' (dev.nnkit.PluginRegistryTest$Inert) implements neither "
                + "dev.nnkit.spi.WeightPenalty nor dev.nnkit.spi.ActivationTransform; a regularizer must penalize weights, "
                + "transform activations, or both", e.getMessage());
        assertInstanceOf(Both.class, registry.create(Regularizer.class, "test_both"));
        assertInstanceOf(WeightPenalty.class, registry.create(Regularizer.class, "test_l2"));
        // and a network naming it cannot be built
        PluginException inNetwork = assertThrows(PluginException.class, () -> Network.builder(2).registry(registry)
                .initializer("test_gaussian").activation("test_scaled").layer(LayerConfig.dense(2).withRegularizers("test_inert"))
                .dense(1).loss("mean_squared_error").build());
        assertTrue(inNetwork.getMessage().contains("dev.nnkit.PluginRegistryTest$Inert"), inNetwork.getMessage());
    }

    @Test
    void everyCreateMakesAFreshInstance() {
        PluginRegistry registry = PluginRegistry.defaults();
        assertNotSame(registry.create(Optimizer.class, "adam"), registry.create(Optimizer.class, "adam"));
    }

    @Test
    void unknownNameListsTheKnownOnesAndSuggestsTheClosest() {
        PluginException e = assertThrows(PluginException.class,
                () -> PluginRegistry.defaults().create(Optimizer.class, "adma(learning_rate=0.1)"));
        assertEquals("unknown optimizer 'adma'; did you mean 'adam'?; known optimizer names: adam, rmsprop, sgd",
                e.getMessage());
    }

    @Test
    void unknownNameFarFromAllGivesNoSuggestion() {
        PluginException e = assertThrows(PluginException.class,
                () -> PluginRegistry.defaults().create(Loss.class, "hinge"));
        assertEquals("unknown loss 'hinge'; known loss names: binary_cross_entropy, mean_squared_error, "
                + "softmax_cross_entropy", e.getMessage());
    }

    @Test
    void unknownArgumentNamesThePluginAndWhatItAccepts() {
        PluginException e = assertThrows(PluginException.class,
                () -> PluginRegistry.defaults().create(Optimizer.class, "sgd(learning_rate=0.1, momentun=0.9)"));
        assertEquals("sgd: unknown argument 'momentun'; it accepts learning_rate, momentum", e.getMessage());
    }

    @Test
    void illTypedArgumentNamesThePluginArgumentAndValue() {
        PluginException e = assertThrows(PluginException.class,
                () -> PluginRegistry.defaults().create(Layer.class, "dense(units=four)"));
        assertEquals("dense: units=four is invalid; units must be a whole number, e.g. units=4", e.getMessage());
    }

    @Test
    void outOfRangeArgumentNamesTheRule() {
        PluginException e = assertThrows(PluginException.class,
                () -> PluginRegistry.defaults().create(Optimizer.class, "sgd(learning_rate=0)"));
        assertEquals("sgd: learning_rate=0.0 is invalid; learning_rate must be > 0, e.g. learning_rate=0.01",
                e.getMessage());
    }

    @Test
    void missingRequiredArgumentIsNamed() {
        PluginException e = assertThrows(PluginException.class,
                () -> PluginRegistry.defaults().create(Layer.class, "dense"));
        assertEquals("dense: argument 'units' is required, e.g. dense(units=...)", e.getMessage());
    }

    @Test
    void pluginWithoutArgumentsRefusesAny() {
        PluginException e = assertThrows(PluginException.class,
                () -> PluginRegistry.defaults().create(Loss.class, "mean_squared_error(reduction=sum)"));
        assertEquals("mean_squared_error: unknown argument 'reduction'; it takes no arguments", e.getMessage());
    }

    @Test
    void duplicateNamesAreAnErrorNamingBothClasses() throws IOException {
        PluginRegistry registry = PluginRegistry.load(withServices(TestPlugins.DuplicateDense.class.getName()));
        PluginException e = assertThrows(PluginException.class, () -> registry.create(Layer.class, "dense(units=1)"));
        assertEquals("two providers claim the layer name 'dense': dev.nnkit.internal.Dense$Provider and "
                + "dev.nnkit.TestPlugins$DuplicateDense; remove one of them from the class path or rename it",
                e.getMessage());
    }

    @Test
    void aProviderThatFailsToLoadIsReportedByClassNameAndTheRestStillWork() throws IOException {
        ClassLoader loader = withServices(TestPlugins.Broken.class.getName());
        PluginRegistry registry = PluginRegistry.load(loader);
        assertEquals(1, registry.loadFailures().size());
        assertTrue(registry.loadFailures().get(0).contains("dev.nnkit.TestPlugins$Broken"), registry.loadFailures().toString());
        assertTrue(registry.loadFailures().get(0).contains("broken on purpose"), registry.loadFailures().toString());
        assertInstanceOf(Layer.class, registry.create(Layer.class, "dense(units=2)"));
        PluginException e = assertThrows(PluginException.class, () -> registry.create(Activation.class, "broken"));
        assertTrue(e.getMessage().contains("1 provider(s) failed to load: ") && e.getMessage().contains("TestPlugins$Broken"),
                e.getMessage());
    }

    @Test
    void aMissingProviderClassIsReportedByName() throws IOException {
        PluginRegistry registry = PluginRegistry.load(withServices("com.example.DoesNotExist"));
        assertEquals(1, registry.loadFailures().size());
        assertTrue(registry.loadFailures().get(0).contains("com.example.DoesNotExist"), registry.loadFailures().toString());
    }

    @Test
    void anExplicitListIsHermetic() {
        PluginRegistry registry = PluginRegistry.of(List.of(new TestPlugins.ScaledProvider()));
        assertEquals(List.of("test_scaled"), List.copyOf(registry.names(Activation.class)));
        assertTrue(registry.names(Layer.class).isEmpty());
        PluginException e = assertThrows(PluginException.class, () -> registry.create(Layer.class, "dense(units=1)"));
        assertTrue(e.getMessage().contains("no layer plugins are on the class path"), e.getMessage());
    }

    @Test
    void editDistanceIsLevenshtein() {
        assertEquals(0, PluginRegistry.editDistance("relu", "relu"));
        assertEquals(1, PluginRegistry.editDistance("relu", "rel"));
        assertEquals(2, PluginRegistry.editDistance("adma", "adam"));
        assertEquals(3, PluginRegistry.editDistance("kitten", "sitting"));
        assertEquals("leaky_relu", PluginRegistry.closest("leaky_rlu", List.of("relu", "leaky_relu", "tanh")));
    }

    /** A class loader that sees the test class path plus a private services file listing {@code classes}. */
    private ClassLoader withServices(String... classes) throws IOException {
        Path file = servicesRoot.resolve("META-INF/services/dev.nnkit.spi.PluginProvider");
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(classes));
        return new URLClassLoader(new URL[] {servicesRoot.toUri().toURL()}, getClass().getClassLoader());
    }
}
