package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Symmetry (MATH §4): equal starting weights stay equal; zeros with tanh do not move at all. */
class SymmetryCommandTest {

    @Test
    void equalStartingWeightsKeepEveryHiddenUnitIdenticalWhileSmallRandomOnesLearnTheFlower(@TempDir Path dir)
            throws IOException {
        SymmetryCommand command = new SymmetryCommand();
        new CommandLine(command).parseArgs("--iterations", "1500", "--out", dir.toString());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        SymmetryCommand.Run run = command.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        List<SymmetryCommand.Result> results = run.results();
        assertEquals(List.of("zeros", "constant(value=0.5)", "small_random(scale=0.01)"),
                results.stream().map(SymmetryCommand.Result::initializer).toList());

        // zeros with tanh: A[1] = tanh(0) = 0, so dW[2] = 0 and dA[1] = W[2]^T dZ[2] = 0: nothing moves,
        // the output stays sigmoid(0) = 0.5, which is class 0 (A > 0.5 is class 1): half the points.
        SymmetryCommand.Result zeros = results.get(0);
        assertEquals(1, zeros.distinctRows());
        for (double w : zeros.w1().data) {
            assertEquals(0.0, w, 0.0);
        }
        assertEquals(0.5, zeros.accuracy(), 0.0);
        for (double cost : zeros.costs()) {
            assertEquals(Math.log(2), cost, 1e-12, "J = ln 2 at every step");
        }

        // constant: the units move, but in lockstep; the layer acts like one unit (about 70 % in the sweep).
        SymmetryCommand.Result constant = results.get(1);
        assertEquals(1, constant.distinctRows());
        assertEquals(0.0, constant.maxRowDifference(), 0.0);
        assertTrue(Math.abs(constant.w1().get(0, 0) - 0.5) > 0.1, "W[1] moved away from 0.5: " + constant.w1());
        assertTrue(constant.accuracy() < 0.8, "one effective unit: " + constant.accuracy());

        SymmetryCommand.Result random = results.get(2);
        assertEquals(4, random.distinctRows());
        assertTrue(random.maxRowDifference() > 1.0, "rows differ: " + random.w1());
        assertTrue(random.accuracy() > 0.85, "small random weights learn the flower: " + random.accuracy());

        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("W[1] and b[1] after training from zeros"), out);
        assertTrue(out.contains("  unit 4: W[1] = [  0.000000,   0.000000]   b[1] =   0.000000"), out);
        BufferedImage image = ImageIO.read(run.images().get(0).toFile());
        assertNotNull(image);
        assertEquals(3 * 400, image.getWidth(), "three 400-pixel panels side by side");
        assertEquals(36 + 2 * 400, image.getHeight(), "title band, the panels and the cost chart");
    }

    @Test
    void theRowsOfW1AreComparedBitForBit() {
        SymmetryCommand command = new SymmetryCommand();
        new CommandLine(command).parseArgs("--iterations", "1", "--init", "small_random(scale=0.01)");
        SymmetryCommand.Result one = command.train(PlanarData.flower(20, 1), "small_random(scale=0.01)");
        DMatrixRMaj w1 = one.w1();
        assertTrue(w1.get(0, 0) != w1.get(1, 0));
        assertEquals(4, one.distinctRows());
    }

    @Test
    void anUnknownInitializerIsReportedWithoutAStackTrace(@TempDir Path dir) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.run("symmetry", "--init", "he_norml", "--iterations", "1", "--out", dir.toString());
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, status, message);
        assertTrue(message.contains("he_norml") && message.contains("he_normal"), message);
        assertTrue(!message.contains("\tat "), "no stack trace: " + message);
    }
}
