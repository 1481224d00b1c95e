package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** MATH §2: without a nonlinearity any depth is one linear map, and it cannot fit the flower. */
class LinearCommandTest {

    @Test
    void aDeepIdentityNetworkIsOneLinearMapAndFitsNoBetterThanLogisticRegression(@TempDir Path dir) throws IOException {
        LinearCommand command = new LinearCommand();
        new CommandLine(command).parseArgs("--iterations", "1500", "--out", dir.toString());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        LinearCommand.Run run = command.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

        assertEquals("2-10(identity)-10(identity)-10(identity)-1(sigmoid), binary_cross_entropy",
                run.identity().network().toString());
        // |Z| is of order 1 and the product has 4 factors: a few units of round-off (2.2e-16) each
        assertTrue(run.maxDifference() < 1e-12, "Z[L] = W'x + b': " + run.maxDifference());
        assertEquals(1, run.weights().numRows);
        assertEquals(2, run.weights().numCols);
        assertTrue(run.identity().accuracy() < 0.6, "a line cannot separate the petals: " + run.identity().accuracy());
        assertTrue(Math.abs(run.identity().accuracy() - run.logistic().accuracy()) <= 0.03,
                "identity " + run.identity().accuracy() + " vs logistic regression " + run.logistic().accuracy());
        assertTrue(run.nonlinear().accuracy() > 0.85, "tanh: " + run.nonlinear().accuracy());

        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("max |Z[4] - (W' x + b')| over the 400 points"), out);
        BufferedImage image = ImageIO.read(run.images().get(0).toFile());
        assertEquals(1200, image.getWidth());
        assertEquals(36 + 2 * 400, image.getHeight());
    }

    @Test
    void collapseMultipliesTheLayersOutAndFailsForANonlinearNetwork() {
        Dataset data = PlanarData.flower(30, 2);
        DMatrixRMaj x = data.features();
        for (String activation : new String[] {"identity", "tanh"}) {
            Network net = Network.builder(2).activation(activation).initializer("xavier_normal").dense(3).dense(2)
                    .dense(1, "sigmoid").loss("binary_cross_entropy").seed(7).build();
            LinearCommand.Collapsed collapsed = LinearCommand.collapse(net);
            // independently: W' = W3 W2 W1 and b' = W3 (W2 b1 + b2) + b3, entry by entry
            DMatrixRMaj w1 = net.parameter(1, "W");
            DMatrixRMaj w2 = net.parameter(2, "W");
            DMatrixRMaj w3 = net.parameter(3, "W");
            DMatrixRMaj b1 = net.parameter(1, "b");
            DMatrixRMaj b2 = net.parameter(2, "b");
            double b = net.parameter(3, "b").get(0, 0);
            for (int k = 0; k < 2; k++) {
                double w = 0;
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 3; j++) {
                        w += w3.get(0, i) * w2.get(i, j) * w1.get(j, k);
                    }
                }
                assertEquals(w, collapsed.weights().get(0, k), 1e-12);
            }
            for (int i = 0; i < 2; i++) {
                double inner = b2.get(i, 0);
                for (int j = 0; j < 3; j++) {
                    inner += w2.get(i, j) * b1.get(j, 0);
                }
                b += w3.get(0, i) * inner;
            }
            assertEquals(b, collapsed.bias().get(0, 0), 1e-12);

            DMatrixRMaj direct = collapsed.apply(x);
            DMatrixRMaj z = net.forwardTrace(x).z(3);
            double max = 0;
            for (int j = 0; j < x.numCols; j++) {
                max = Math.max(max, Math.abs(direct.get(0, j) - z.get(0, j)));
            }
            if (activation.equals("identity")) {
                assertTrue(max < 1e-12, "identity: " + max);
            } else {
                assertTrue(max > 1e-3, "tanh is not linear, so the collapsed map differs: " + max);
            }
        }
    }
}
