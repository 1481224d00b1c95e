package com.example.nnkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ExamplePlugins} in a fresh JVM twice: with this module and its runtime dependencies
 * on the module path (nnkit core is the named module dev.nnkit.core, EJML the automatic modules
 * ejml.core and ejml.ddense), and on the class path. Both must find the plugins by name: through
 * {@code provides} in module-info, and through META-INF/services; the layer also when a model file
 * that names it is loaded.
 */
class ModulePathTest {

    private static final String SWISH = "swish(beta=1.0): g(-1, 0, 2) = -0.268941, 0.000000, 1.761594";
    private static final String ORTHOGONAL = "orthogonal(gain=2.0): W^T W = 4 I on a 5 x 3 W within 1e-12";
    private static final String L1 = "l1(lambda=0.5): penalty of [[1, -2], [0, 3]] with m = 2 is 1.500000";
    /** (1 - 0.5^20) (5, -3), to six decimals; the layer is made by name again when the model file is loaded. */
    private static final String CENTERED_DENSE = "centered_dense(units=3, momentum=0.5): running_mean after 20 training "
            + "steps = 4.999995, -2.999997; the model file keeps it and the predictions bit for bit";

    /** Where a class was loaded from: a jar, or a classes folder (in a reactor build). */
    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * This module's classes, its runtime dependencies (nnkit core and what core needs, as Maven wrote
     * them to the file named by the system property {@code runtimeClasspathFile}) and the silent
     * slf4j binding.
     */
    private static String path() throws IOException, ClassNotFoundException {
        List<String> entries = new ArrayList<>();
        entries.add(location(ExamplePlugins.class));
        String file = System.getProperty("runtimeClasspathFile");
        assertTrue(file != null, "run through Maven: the system property runtimeClasspathFile is not set");
        for (String entry : Files.readString(Path.of(file), StandardCharsets.UTF_8).trim().split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        entries.add(location(Class.forName("org.slf4j.nop.NOPServiceProvider")));
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the JVM did not finish within 60 s");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + "\n" + text);
        return text.lines().toList();
    }

    @Test
    void findsThePluginsOnTheModulePath() throws Exception {
        List<String> lines = run("--module-path", path(), "--module", "com.example.nnkit/com.example.nnkit.ExamplePlugins");
        String module = " [module com.example.nnkit]";
        assertEquals(List.of(SWISH + module, ORTHOGONAL + module, L1 + module, CENTERED_DENSE + module,
                "registry: module dev.nnkit.core"), lines);
    }

    @Test
    void findsThePluginsOnTheClassPath() throws Exception {
        List<String> lines = run("-cp", path(), "com.example.nnkit.ExamplePlugins");
        String classPath = " [class path]";
        assertEquals(List.of(SWISH + classPath, ORTHOGONAL + classPath, L1 + classPath, CENTERED_DENSE + classPath,
                "registry: class path"), lines);
    }
}
