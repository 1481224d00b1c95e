package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.Parameter;
import java.io.File;
import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party layer {@code centered_dense} (module {@code com.example.nnkit}, a runtime
 * dependency only) used by name from the {@code train} command in fresh JVMs: the network comes
 * from a JSON config that names the layer, is trained, and saved to a model file with the layer's
 * running means. The runs differ only in where the plugin's jar is: absent (the command refuses the
 * name), on the class path, or on the module path with the application on the class path.
 */
class ThirdPartyLayerCliTest {

    private static final String MODULE = "com.example.nnkit";
    private static final String LAYER_CLASS = "com.example.nnkit.CenteredDense";

    @TempDir
    Path dir;

    /** The XOR of the quadrants around (5, 5): x1, x2 in [4, 6], label 1 when (x1 - 5)(x2 - 5) > 0. */
    private Path data() throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 400; i++) {
            double x1 = random.nextDouble(4, 6);
            double x2 = random.nextDouble(4, 6);
            csv.append(String.format(Locale.ROOT, "%.6f,%.6f,%d%n", x1, x2, (x1 - 5) * (x2 - 5) > 0 ? 1 : 0));
        }
        return Files.writeString(dir.resolve("xor5.csv"), csv);
    }

    /** A network of two centered_dense layers, named only in this config. */
    private Path config() throws IOException {
        return Files.writeString(dir.resolve("net.json"), """
                {
                  "format" : "nnkit-network",
                  "version" : 1,
                  "input_size" : 2,
                  "layers" : [
                    { "layer" : "centered_dense(units=8)", "activation" : "tanh", "initializer" : "xavier_normal" },
                    { "layer" : "centered_dense(units=1)", "activation" : "sigmoid", "initializer" : "xavier_normal" }
                  ],
                  "loss" : "binary_cross_entropy",
                  "seed" : 7,
                  "training" : { "optimizer" : "adam(learning_rate=0.02)", "epochs" : 60, "batch_size" : 32, "seed" : 7, "shuffle" : true }
                }
                """);
    }

    private record Result(int status, String output) {
    }

    /** {@code java <jvm...> Main train ...} with the unstandardized data and the config, saving to {@code model}. */
    private Result train(List<String> jvm, Path model) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Dnnkit.compute=ejml", "-Djava.awt.headless=true"));
        command.addAll(jvm);
        command.addAll(List.of(Main.class.getName(), "train", "--data", data().toString(), "--config", config().toString(),
                "--scale", "NONE", "--out", dir.resolve("out").toString(), "--save", model.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the command did not finish within 120 s");
        return new Result(process.exitValue(), String.join(" ", command) + "\n" + output);
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plugin's jar, from this test's class path (the app's runtime dependency). */
    private static Path pluginJar() throws ClassNotFoundException {
        Path jar = location(Class.forName(LAYER_CLASS));
        assertTrue(jar.toString().endsWith(".jar"), "the plugin should come from its jar, not " + jar);
        return jar;
    }

    /** This test's class path (the app, its dependencies, the test libraries) without the plugin's jar. */
    private static List<Path> classPathWithoutPlugin() throws ClassNotFoundException {
        Path plugin = pluginJar();
        List<Path> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank() && !Path.of(entry).equals(plugin)) {
                entries.add(Path.of(entry));
            }
        }
        assertFalse(entries.isEmpty());
        return entries;
    }

    private static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }

    /**
     * The jars of {@code root} and of every module it requires, transitively (not {@code static}),
     * that the JDK does not have: what the module path must hold for the plugin.
     */
    private static List<Path> moduleClosure(String root, List<Path> jars) {
        Map<String, Path> where = new HashMap<>();
        Map<String, ModuleDescriptor> descriptors = new HashMap<>();
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
                continue;
            }
            try {
                for (ModuleReference reference : ModuleFinder.of(jar).findAll()) {
                    where.putIfAbsent(reference.descriptor().name(), jar);
                    descriptors.putIfAbsent(reference.descriptor().name(), reference.descriptor());
                }
            } catch (FindException e) {
                // a jar that cannot be a module (no derivable name) stays on the class path
            }
        }
        ModuleFinder system = ModuleFinder.ofSystem();
        Set<String> seen = new HashSet<>();
        Set<Path> closure = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name) || system.find(name).isPresent()) {
                continue;
            }
            ModuleDescriptor descriptor = descriptors.get(name);
            assertTrue(descriptor != null, "module " + name + " is required but no jar on the class path holds it");
            closure.add(where.get(name));
            for (ModuleDescriptor.Requires requires : descriptor.requires()) {
                if (!requires.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
                    todo.push(requires.name());
                }
            }
        }
        return new ArrayList<>(closure);
    }

    /** The full data set as the command reads it, for checking the saved model. */
    private Dataset dataset() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("xor5.csv"));
        int m = lines.size() - 1;
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int j = 0; j < m; j++) {
            String[] cells = lines.get(j + 1).split(",");
            x.set(0, j, Double.parseDouble(cells[0]));
            x.set(1, j, Double.parseDouble(cells[1]));
            y.set(0, j, Double.parseDouble(cells[2]));
        }
        return new Dataset(x, y);
    }

    /**
     * The saved model holds the third-party layers, their running means (the first near the data's
     * mean (5, 5), where it can only have come from training steps: it starts at 0), and a network
     * that learned the XOR.
     */
    private Network assertTrainedModel(Result run, Path model) throws IOException {
        assertEquals(0, run.status(), run.output());
        assertTrue(run.output().contains("network 2-8(centered_dense, tanh)-1(centered_dense, sigmoid), binary_cross_entropy; from "), run.output());
        assertTrue(run.output().contains("saved the trained network and its pipeline to " + model), run.output());
        Network network = ModelFile.load(model).network();
        assertEquals(LAYER_CLASS, network.layer(1).getClass().getName());
        assertEquals("centered_dense(units=8, momentum=0.9)", network.layer(1).toString());
        assertEquals("centered_dense(units=1, momentum=0.9)", network.layer(2).toString());
        double[] mean = network.state(1).get(0).value().data;
        assertEquals(5.0, mean[0], 0.15, "running_mean[1]");
        assertEquals(5.0, mean[1], 0.15, "running_mean[1]");
        assertEquals(8, network.state(2).get(0).value().getNumElements());
        double accuracy = network.accuracy(dataset());
        assertTrue(accuracy > 0.9, "accuracy " + accuracy + " of the saved model on the data\n" + run.output());
        return network;
    }

    @Test
    void theLayerIsUsedByNameWhenItsJarIsOnTheClassPathAndRefusedWithoutIt() throws Exception {
        List<Path> app = classPathWithoutPlugin();

        Path refusedModel = dir.resolve("without.nnkit");
        Result without = train(List.of("-cp", join(app)), refusedModel);
        assertEquals(2, without.status(), without.output());
        assertTrue(without.output().contains("unknown layer 'centered_dense'"), without.output());
        assertFalse(Files.exists(refusedModel));

        List<Path> withPlugin = new ArrayList<>(app);
        withPlugin.add(pluginJar());
        Path model = dir.resolve("class-path.nnkit");
        assertTrainedModel(train(List.of("-cp", join(withPlugin)), model), model);
    }

    @Test
    void theLayerIsUsedByNameWhenItsModuleIsOnTheModulePath() throws Exception {
        List<Path> all = new ArrayList<>(classPathWithoutPlugin());
        all.add(0, pluginJar());
        List<Path> modulePath = moduleClosure(MODULE, all);
        assertEquals(pluginJar(), modulePath.get(0));
        List<Path> classPath = new ArrayList<>(all);
        classPath.removeAll(modulePath);

        Path model = dir.resolve("module-path.nnkit");
        Result run = train(List.of("--module-path", join(modulePath), "--add-modules", MODULE, "--show-module-resolution",
                "-cp", join(classPath)), model);
        // the provider was bound through module-info's provides clause, not found on the class path
        assertTrue(run.output().lines().anyMatch(line -> line.startsWith("dev.nnkit.core binds " + MODULE + " ")),
                run.output());
        Network network = assertTrainedModel(run, model);

        // The same command with the jar on the class path trains the same network, bit for bit.
        List<Path> flat = new ArrayList<>(classPathWithoutPlugin());
        flat.add(pluginJar());
        Path other = dir.resolve("class-path.nnkit");
        Result classPathRun = train(List.of("-cp", join(flat)), other);
        assertEquals(0, classPathRun.status(), classPathRun.output());
        Network same = ModelFile.load(other).network();
        for (int l = 1; l <= 2; l++) {
            for (Parameter p : network.parameters(l)) {
                assertArrayEquals(p.value().data, same.parameter(l, p.name()).data, 0.0, p.name() + "[" + l + "]");
            }
            assertArrayEquals(network.state(l).get(0).value().data, same.state(l).get(0).value().data, 0.0,
                    "running_mean[" + l + "]");
        }
    }
}
