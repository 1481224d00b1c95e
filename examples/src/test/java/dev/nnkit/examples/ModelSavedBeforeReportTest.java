package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network that trains within the heap but whose evaluation passes do not fit (one hidden layer of
 * 1,000,000 units, {@code -Xmx2500m}, in a new JVM): the model is saved before any report is
 * computed, so the run either ends normally or fails with one line saying where the model was
 * saved. Either way the model file exists and no stack trace is printed.
 */
class ModelSavedBeforeReportTest {

    @Test
    void aReportThatRunsOutOfMemoryLosesNoModel(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("moons.csv"), CliCasesTest.moonLines(400));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx2500m", "-XX:-UsePerfData", "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "train", "--data",
                dir.resolve("moons.csv").toString(), "--layers", "1000000", "--epochs", "1", "--no-progress", "--save",
                dir.resolve("h.nnkit").toString(), "--out", dir.resolve("out").toString())
                .redirectOutput(dir.resolve("o.txt").toFile()).redirectError(dir.resolve("e.txt").toFile()).start();
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "the run ended");
        CliCasesTest.Result r = new CliCasesTest.Result(process.exitValue(), Files.readString(dir.resolve("o.txt")),
                Files.readString(dir.resolve("e.txt")));
        CliCasesTest.assertNoStackTrace(r);
        if (r.status() == 2) {
            // refused before training (a memory estimate that does not fit this machine's JVM): nothing to lose
            assertTrue(r.err().contains("needs about"), r.toString());
            return;
        }
        assertTrue(Files.size(dir.resolve("h.nnkit")) > 8_000_000, "the model (3,000,001 parameters) was saved: " + r);
        if (r.status() == 1) {
            assertTrue(r.err().contains("the model was saved to " + dir.resolve("h.nnkit")), r.toString());
        } else {
            assertEquals(0, r.status(), r.toString());
        }
    }
}
