package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
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
    void theCommandLineSwapsPluginsByNameAndPrintsTheTable() {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            status = Main.run("planar", "--iterations", "300", "--init", "he_normal", "--activation", "relu",
                    "--reg", "l2(lambda=0.1)", "--log-every", "100000");
        } finally {
            System.setOut(saved);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, out);
        assertTrue(out.contains("init he_normal; regularizers [l2(lambda=0.1)]"), out);
        assertTrue(out.contains("one hidden layer 2-4(relu)-1(sigmoid)"), out);
        assertTrue(out.contains("logistic regression 2-1(sigmoid)"), out);
    }
}
