package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in a fresh JVM whose class path holds a second provider of {@code tanh}: a run
 * that needs {@code tanh} fails with the registry's one-line message and exit code 2, no stack
 * trace; a run that does not need it, and {@code --version}, work as if the duplicate were absent.
 */
class PluginConflictCliTest {

    private static final String DUPLICATE_TANH = "two providers claim the activation name 'tanh': "
            + "dev.nnkit.activations.Tanh$Provider and dev.nnkit.examples.DuplicateTanh; "
            + "remove one of them from the class path or rename it";

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** {@code java ... Main <args>} with the test class path plus a services file listing {@link DuplicateTanh}. */
    private Result run(String... args) throws IOException, InterruptedException {
        Path services = dir.resolve("services");
        Path file = services.resolve("META-INF/services/dev.nnkit.spi.PluginProvider");
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(DuplicateTanh.class.getName()));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dnnkit.compute=ejml", "-Djava.awt.headless=true", "-Dpicocli.ansi=false",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path") + File.pathSeparator + services,
                Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the command did not finish within 120 s");
        return new Result(process.exitValue(), Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
    }

    private static void assertNoStackTrace(Result result) {
        assertFalse(result.err().contains("\tat ") || result.out().contains("\tat "), "a stack trace: " + result);
        assertFalse(result.err().contains("Error") || result.err().contains("Exception"), result.toString());
    }

    @Test
    void aRunThatNeedsTheDuplicatedNamePrintsTheRegistrysMessageAndExitsTwo() throws Exception {
        Result result = run("planar", "--no-sweep", "--iterations", "10", "--log-every", "0", "--out", dir.resolve("out").toString());
        assertEquals(2, result.status(), result.toString());
        assertEquals(List.of(DUPLICATE_TANH), result.err().lines().toList(), result.toString());
        assertNoStackTrace(result);
    }

    @Test
    void aRunThatDoesNotNeedTheDuplicatedNameWorks() throws Exception {
        Result result = run("planar", "--no-sweep", "--iterations", "10", "--log-every", "0", "--activation", "relu",
                "--out", dir.resolve("out").toString());
        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().contains("2-4(relu)-1(sigmoid)"), result.toString());
        assertNoStackTrace(result);
    }

    @Test
    void versionDoesNotTouchThePlugins() throws Exception {
        Result result = run("--version");
        assertEquals(0, result.status(), result.toString());
        assertTrue(result.out().startsWith("nnkit examples "), result.toString());
        assertEquals("", result.err(), result.toString());
    }
}
