package dev.nnkit;

import dev.nnkit.io.ModelFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.Parameter;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM that is saving a model file in a loop (SIGKILL: no shutdown hooks, no finally
 * blocks) and checks that the file on disk is always one whole version, loadable.
 */
class ModelFileCrashTest {

    @TempDir
    Path dir;

    /** The version a loaded network holds, after checking that every value belongs to that one version. */
    private static long versionOf(Network net) {
        double first = net.parameters().get(0).value().data[0];
        long version = Math.round(first / 1000.0);
        long k = 0;
        for (Parameter p : net.parameters()) {
            double[] d = p.value().data;
            for (int i = 0; i < p.value().getNumElements(); i++) {
                assertEquals(version * 1000.0 + k++, d[i], 0.0, "value " + (k - 1) + " belongs to another version than " + version);
            }
        }
        return version;
    }

    private static List<String> command(Path file, long firstVersion) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            classPath = classPath + File.pathSeparator + modulePath;
        }
        return List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classPath, ModelFileSaveLoop.class.getName(),
                file.toString(), Long.toString(firstVersion));
    }

    @Test
    void killingTheJvmWhileItSavesLeavesALoadableFile() {
        assertTimeoutPreemptively(Duration.ofSeconds(90), this::killRepeatedly);
    }

    private static List<String> temporaryFiles(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals("model.nnkit")).sorted().toList();
        }
    }

    /**
     * Even runs kill the child as soon as it announces the save of a version (before or while it
     * creates the temporary file); odd runs wait until the temporary file of that save exists, i.e.
     * while the bytes are written, forced or renamed, and kill it then.
     */
    private void killRepeatedly() throws IOException, InterruptedException {
        Path file = dir.resolve("model.nnkit");
        Network net = ModelFileSaveLoop.network();
        ModelFileSaveLoop.setVersion(net, 0);
        ModelFile.save(net, file);
        Random random = new Random(17);
        long next = 1;
        int runs = 4;
        int killedMidWrite = 0;
        for (int run = 0; run < runs; run++) {
            long target = next + 1 + random.nextInt(4);
            List<String> leftovers = temporaryFiles(dir);
            Process child = new ProcessBuilder(command(file, next)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null && !line.equals("saving " + target)) {
                    assertTrue(line.startsWith("sav"), "unexpected output of the child: " + line);
                }
                assertEquals("saving " + target, line, "the child stopped before saving version " + target);
                if (run % 2 == 1) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (temporaryFiles(dir).size() == leftovers.size()) {
                        assertTrue(child.isAlive() && System.nanoTime() < deadline, "no temporary file appeared");
                        Thread.onSpinWait();
                    }
                }
                child.destroyForcibly();
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            }
            if (run % 2 == 1 && temporaryFiles(dir).size() > leftovers.size()) {
                killedMidWrite++;
            }
            long loaded = versionOf(ModelFile.load(file).network());
            // the kill lands during the save of `target` (old file: target - 1) or just after it
            assertTrue(loaded >= target - 1, "run " + run + ": version " + loaded + " loaded, but " + (target - 1) + " was saved");
            next = loaded + 1;
        }
        // a save takes milliseconds and the kill microseconds: the odd runs kill it mid-write
        assertTrue(killedMidWrite >= 1, killedMidWrite + " of " + runs / 2 + " kills landed while a temporary file existed");
        // temporary files of interrupted saves remain, one per run at most; never a second model file
        List<String> names = temporaryFiles(dir);
        assertTrue(names.size() <= runs, names.toString());
        for (String name : names) {
            assertTrue(name.matches("\\.model\\.nnkit\\.[0-9a-f]+\\.tmp"), name);
        }
    }
}
