package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that fail part-way, as on a full disk: a new JVM whose file-size limit ({@code ulimit -f},
 * in KiB) lets the model file through but not the picture, or not even the model file. The model is
 * saved before the picture, a picture that cannot be written is a warning, a model that cannot be
 * written leaves the old file as it was, and no half-written or temporary file remains.
 */
class FullDiskTest {

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private Result trainWithFileLimit(int kib) throws IOException, InterruptedException {
        Files.write(dir.resolve("moons.csv"), CliCasesTest.moonLines(200));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder("bash", "-c", "ulimit -f " + kib + " && exec \"$0\" -XX:-UsePerfData -Xshare:off "
                + "-Djava.awt.headless=true -cp \"$1\" " + Main.class.getName() + " train --data \"$2\" "
                + "--layers 32 --epochs 3 --no-progress --save \"$3\" --out \"$4\"", java, System.getProperty("java.class.path"),
                dir.resolve("moons.csv").toString(), dir.resolve("models/m.nnkit").toString(), dir.resolve("out").toString())
                .redirectOutput(dir.resolve("o.txt").toFile()).redirectError(dir.resolve("e.txt").toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Result(process.exitValue(), Files.readString(dir.resolve("o.txt")), Files.readString(dir.resolve("e.txt")));
    }

    /** The command line in a new JVM under {@code ulimit -f kib}, standard output into {@code o.txt}. */
    private Result runWithFileLimit(int kib, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of("bash", "-c", "ulimit -f " + kib + " && exec \"$@\"", "run",
                java, "-XX:-UsePerfData", "-Xshare:off", "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectOutput(dir.resolve("o.txt").toFile())
                .redirectError(dir.resolve("e.txt").toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Result(process.exitValue(), Files.readString(dir.resolve("o.txt")), Files.readString(dir.resolve("e.txt")));
    }

    @Test
    void predictionsCutShortOnStandardOutputFailTheRun() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        Files.write(dir.resolve("moons.csv"), CliCasesTest.moonLines(2000));
        CliCasesTest.model(dir, "m.nnkit");
        Result r = runWithFileLimit(10, "predict", "--model", dir.resolve("m.nnkit").toString(), "--data",
                dir.resolve("moons.csv").toString());
        assertEquals(1, r.status(), r.toString().substring(0, 400));
        assertTrue(r.err().contains("standard output could not be written"), r.err());
        assertTrue(r.out().lines().count() < 2001, "the output was indeed cut short");
        CliCasesTest.assertNoStackTrace(new CliCasesTest.Result(r.status(), "", r.err()));
    }

    @Test
    void aPlanarPictureThatDoesNotFitNamesItsPathAndLeavesNoPartOfIt() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        Result r = runWithFileLimit(4, "planar", "--iterations", "10", "--no-sweep", "--log-every", "0", "--out",
                dir.resolve("out").toString());
        assertEquals(1, r.status(), r.toString());
        CliCasesTest.assertNoStackTrace(new CliCasesTest.Result(r.status(), r.out(), r.err()));
        assertTrue(r.err().contains("planar: ") && r.err().contains("planar_boundaries.png") && r.err().contains("cannot write"),
                r.toString());
        assertFalse(Files.exists(dir.resolve("out/planar_boundaries.png")), "no half-written picture");
        assertNoTemporaryFile();
    }

    private void assertNoTemporaryFile() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void aPictureThatDoesNotFitIsAWarningAndTheModelIsSaved() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        Result r = trainWithFileLimit(16);
        assertEquals(0, r.status(), r.toString());
        CliCasesTest.assertNoStackTrace(new CliCasesTest.Result(r.status(), r.out(), r.err()));
        assertTrue(r.err().contains("warning: the cost curve was not written: cannot write ") && r.err().contains("train_cost.png")
                && r.err().contains("the model was saved to"), r.toString());
        assertTrue(Files.size(dir.resolve("models/m.nnkit")) > 0);
        assertFalse(Files.exists(dir.resolve("out/train_cost.png")), "no half-written picture");
        assertNoTemporaryFile();
    }

    @Test
    void aModelThatDoesNotFitFailsTheRunAndKeepsTheOldFile() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash for ulimit");
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/m.nnkit"), "the old model");
        Result r = trainWithFileLimit(1);
        assertEquals(1, r.status(), r.toString());
        CliCasesTest.assertNoStackTrace(new CliCasesTest.Result(r.status(), r.out(), r.err()));
        assertTrue(r.err().contains("m.nnkit: cannot write the model file: ") && r.err().contains("the old file, if any, is unchanged"),
                r.toString());
        assertEquals("the old model", Files.readString(dir.resolve("models/m.nnkit")));
        assertNoTemporaryFile();
    }
}
