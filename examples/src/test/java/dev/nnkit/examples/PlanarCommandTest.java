package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.data.Dataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The flagship example reproduces the notes' numbers: ~47 % for logistic regression, ~90 % with 4 tanh units. */
class PlanarCommandTest {

    private static PlanarCommand command(String... args) {
        PlanarCommand command = new PlanarCommand();
        new CommandLine(command).parseArgs(args);
        command.logEvery = 0;
        return command;
    }

    @Test
    void aHiddenLayerOfFourTanhUnitsFitsTheFlowerWhereLogisticRegressionCannot() {
        PlanarCommand command = command();
        Dataset data = PlanarData.flower(200, command.seed);
        PlanarCommand.Result logistic = command.train(data, 0);
        PlanarCommand.Result shallow = command.train(data, 4);
        assertTrue(logistic.accuracy() > 0.40 && logistic.accuracy() < 0.60, "logistic regression: " + logistic.accuracy());
        assertTrue(shallow.accuracy() >= 0.88, "4 tanh units: " + shallow.accuracy());
    }

    @Test
    void dtypeFloat32FitsTheFlowerAsFloat64Does() {
        PlanarCommand wide = command();
        PlanarCommand narrow = command("--dtype", "float32");
        Dataset data = PlanarData.flower(200, wide.seed);
        PlanarCommand.Result f64 = wide.train(data, 4);
        PlanarCommand.Result f32 = narrow.train(data, 4);
        assertEquals(dev.nnkit.Dtype.FLOAT32, f32.network().dtype());
        assertEquals("one hidden layer 2-4(tanh)-1(sigmoid), float32", f32.description());
        assertTrue(f32.accuracy() >= 0.88, "4 tanh units in float32: " + f32.accuracy());
        // 10,000 steps from the same weights: float round-off (2^-24) moves the final cost in its fourth digit at most
        assertEquals(f64.finalCost(), f32.finalCost(), 1e-3 * f64.finalCost(), "final cost float32 against float64");
        assertTrue(f64.finalCost() != f32.finalCost(), "the float32 model computed in float");
    }

    @Test
    void flowerDataFollowsTheRecipe() {
        Dataset data = PlanarData.flower(200, 1);
        assertEquals(400, data.size());
        double ones = 0;
        for (int j = 0; j < 400; j++) {
            double x1 = data.features().get(0, j);
            double x2 = data.features().get(1, j);
            // |r| = |4 sin(4t) + noise| <= 4 + a few noise sigmas
            assertTrue(Math.hypot(x1, x2) < 5.2, "radius " + Math.hypot(x1, x2));
            ones += data.labels().get(0, j);
        }
        assertEquals(200, ones, 0.0);
    }

    @Test
    void theCommandLineSwapsPluginsByNameAndPrintsTheTable(@TempDir Path dir) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            status = Main.run("planar", "--iterations", "300", "--init", "he_normal", "--activation", "relu",
                    "--reg", "l2(lambda=0.1)", "--log-every", "100000", "--out", dir.toString());
        } finally {
            System.setOut(saved);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, out);
        assertTrue(out.contains("init he_normal; regularizers [l2(lambda=0.1)]"), out);
        assertTrue(out.contains("one hidden layer 2-4(relu)-1(sigmoid)"), out);
        assertTrue(out.contains("logistic regression 2-1(sigmoid)"), out);
    }

    @Test
    void theSweepTrainsOneModelPerHiddenSizeAndDrawsAPanelForEach(@TempDir Path dir) throws IOException {
        PlanarCommand command = command("--iterations", "2000", "--sizes", "1,3,4", "--out", dir.toString());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PlanarCommand.Run run = command.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

        assertEquals(List.of(1, 3, 4), run.sweep().stream().map(PlanarCommand.Result::hiddenUnits).toList());
        // The notes' sweep: 1 unit cannot draw the petals (about 67-70 %), 3 or more can (about 90 %).
        assertTrue(run.sweep().get(0).accuracy() < 0.8, "1 unit: " + run.sweep().get(0).accuracy());
        assertTrue(run.sweep().get(1).accuracy() > 0.85, "3 units: " + run.sweep().get(1).accuracy());
        assertTrue(run.sweep().get(2).accuracy() > 0.85, "4 units: " + run.sweep().get(2).accuracy());
        assertTrue(run.logistic().accuracy() < 0.6, "logistic regression: " + run.logistic().accuracy());
        assertSame(run.shallow(), run.sweep().get(2), "the --hidden model is trained once and reused by the sweep");
        for (PlanarCommand.Result r : run.sweep()) {
            assertEquals(2000, r.costs().length);
            assertEquals(r.finalCost(), r.costs()[1999], 1e-12, "full batch: the last step's cost is the epoch's");
            assertTrue(r.seconds() > 0);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("hidden units train acc  test acc"), out);

        // 4 models (logistic regression, 1, 3, 4 units): 2 columns of 400 x 400 panels under a title band
        assertEquals(List.of(dir.resolve("planar_boundaries.png"), dir.resolve("planar_cost.png")), run.images());
        BufferedImage boundaries = ImageIO.read(run.images().get(0).toFile());
        assertEquals(800, boundaries.getWidth());
        assertEquals(36 + 800, boundaries.getHeight());
        BufferedImage cost = ImageIO.read(run.images().get(1).toFile());
        assertEquals(900, cost.getWidth());
        assertEquals(480, cost.getHeight());
    }

    @Test
    void noSweepTrainsTwoModelsAndBadSizesAreRefused(@TempDir Path dir) {
        PlanarCommand.Run run = command("--no-sweep", "--iterations", "50", "--out", dir.toString())
                .run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertTrue(run.sweep().isEmpty());
        assertEquals(2, run.images().size());

        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.run("planar", "--sizes", "4,0", "--out", dir.toString());
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--sizes': 0 is not a hidden size"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void courseModeGivesTheAssignmentsSweepAccuraciesAndPrintedCosts() {
        PlanarCommand command = command("--course");
        Dataset data = PlanarData.courseFlower();
        // "Accuracy for 1 hidden units: 67.5 %", "... 3 hidden units: 90.75 %" (5000 iterations each)
        assertEquals(67.5, 100 * command.trainCourse(data, 1, PlanarCommand.COURSE_SWEEP_ITERATIONS).accuracy(), 1e-12);
        assertEquals(90.75, 100 * command.trainCourse(data, 3, PlanarCommand.COURSE_SWEEP_ITERATIONS).accuracy(), 1e-12);
        // the 4-unit model's "Cost after iteration i: %f" up to 7000, as the notebook prints them
        double[] costs = command.trainCourse(data, 4, 7001).costs();
        for (int k = 0; k <= 7; k++) {
            assertEquals(String.format(java.util.Locale.ROOT, "%f", Course.PLANAR_COSTS[k]),
                    String.format(java.util.Locale.ROOT, "%f", costs[1000 * k]), "cost at iteration " + 1000 * k);
        }
    }
}
