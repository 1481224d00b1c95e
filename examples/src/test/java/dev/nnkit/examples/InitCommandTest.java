package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Dataset;
import dev.nnkit.LayerStatistics;
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

/** Initialization (SPEC §4, §5): the notes' circles numbers, and signal through depth. */
class InitCommandTest {

    private static InitCommand command(String... args) {
        InitCommand command = new InitCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void circlesAreTwoNoisyRingsOfRadiusOneAndFactor() {
        Dataset data = CirclesData.circles(301, 0.05, 0.8, 3);
        DMatrixRMaj x = data.features();
        DMatrixRMaj y = data.labels();
        double outerSum = 0;
        double innerSum = 0;
        int inner = 0;
        for (int j = 0; j < 301; j++) {
            double r = Math.hypot(x.get(0, j), x.get(1, j));
            if (y.get(0, j) == 1) {
                innerSum += r;
                inner++;
            } else {
                outerSum += r;
            }
        }
        assertEquals(151, inner, "m / 2 rounded down on the outer ring, the rest inside");
        // the mean radius of a ring with Gaussian noise 0.05 per coordinate: r + sigma^2/(2r) ~ r, and the
        // standard error of a mean of 150 radii is about 0.05/sqrt(150) = 0.004: 5 standard errors is 0.02
        assertEquals(1.0, outerSum / 150, 0.02);
        assertEquals(0.8, innerSum / 151, 0.02);
        assertThrows(IllegalArgumentException.class, () -> CirclesData.circles(10, 0.05, 1.0, 1));
    }

    @Test
    void theNotesNumbersZerosAtChanceLargeRandomFarBehindHeAboveNinetyFivePercent() {
        InitCommand command = command();
        Dataset train = CirclesData.circles(command.trainSize, command.noise, command.factor, command.seed);
        Dataset test = CirclesData.circles(command.testSize, command.noise, command.factor, command.seed + 1000);
        InitCommand.CirclesResult zeros = command.trainCircles(train, test, "zeros");
        InitCommand.CirclesResult large = command.trainCircles(train, test, "normal(std=10)");
        InitCommand.CirclesResult he = command.trainCircles(train, test, "he_normal");
        // zeros: every unit identical and relu(0) = 0 gives dW = 0: the output stays sigmoid(b) and the
        // balanced rings are classified at chance
        assertEquals(0.5, zeros.trainAccuracy(), 0.0);
        assertEquals(0.5, zeros.testAccuracy(), 0.0);
        assertEquals(Math.log(2), zeros.costs()[zeros.costs().length - 1], 1e-9);
        assertTrue(he.testAccuracy() >= 0.95, "He: " + he.testAccuracy());
        assertTrue(he.trainAccuracy() >= 0.95, "He: " + he.trainAccuracy());
        assertTrue(large.testAccuracy() <= he.testAccuracy() - 0.15, "large random " + large.testAccuracy());
        assertTrue(large.costs()[0] > 100, "randn * 10 saturates the sigmoid: first cost " + large.costs()[0]);
    }

    @Test
    void smallRandomVanishesHeKeepsReluLecunKeepsTanhAndStdHalfExplodes() {
        InitCommand command = command("--depth", "20", "--width", "60", "--batch", "60");
        InitCommand.DepthResult small = command.measureDepth("tanh", "small_random(scale=0.01)");
        InitCommand.DepthResult lecun = command.measureDepth("tanh", "lecun_normal");
        InitCommand.DepthResult he = command.measureDepth("relu", "he_normal");
        InitCommand.DepthResult lecunRelu = command.measureDepth("relu", "lecun_normal");
        InitCommand.DepthResult large = command.measureDepth("relu", "normal(std=0.5)");
        // small random: each layer multiplies the variance by about n Var(w) = 60 * 1e-4: 20 layers, ~1e-45
        assertTrue(last(small).zVariance() < 1e-40, "small random: " + last(small).zVariance());
        assertEquals("vanishes", small.signal());
        assertEquals("vanishes", small.gradient());
        assertEquals("kept", lecun.signal());
        assertEquals("kept", lecun.gradient());
        assertEquals("kept", he.signal());
        // He for relu: Var(Z[l]) stays of the order of its first value 2 (finite-width drift over 20 layers)
        assertTrue(last(he).zVariance() > 0.1 && last(he).zVariance() < 20, "He: " + last(he).zVariance());
        // LeCun with relu halves the variance per layer: 2^-19 ~ 2e-6 between layer 1 and layer 20
        double ratio = last(lecunRelu).zVariance() / lecunRelu.layers().get(0).zVariance();
        assertTrue(ratio > 1e-7 && ratio < 1e-5, "LeCun relu: " + ratio);
        // std 0.5: Var(Z[1]) = n * 0.25 * Var(x) = 15 (SPEC §4: 25 for n = 100), then x 7.5 per layer
        assertEquals(15, large.layers().get(0).zVariance(), 3);
        assertEquals("explodes", large.signal());
        for (InitCommand.DepthResult r : List.of(small, lecun, he, lecunRelu, large)) {
            for (LayerStatistics s : r.layers()) {
                double q = s.zVariance() / s.predictedZVariance();
                // the formula holds for the sample of n * m = 3600 entries up to sampling error (a few 10 %)
                assertTrue(q > 0.5 && q < 2, r.initializer() + " " + r.activation() + " layer " + s.layer() + ": " + q);
            }
        }
    }

    private static LayerStatistics last(InitCommand.DepthResult r) {
        return r.layers().get(r.layers().size() - 1);
    }

    @Test
    void theCommandPrintsBothTablesAndWritesBothPictures(@TempDir Path dir) throws IOException {
        InitCommand command = command("--iterations", "30", "--depth", "6", "--width", "12", "--batch", "20", "--out",
                dir.toString());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        InitCommand.Run run = command.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(4, run.circles().size());
        assertEquals(10, run.depth().size());
        assertTrue(out.contains("he_normal"), out);
        assertTrue(out.contains("signal at L / gradient at 1"), out);
        assertEquals(List.of(dir.resolve("init_circles.png"), dir.resolve("init_depth.png")), run.images());
        for (Path image : run.images()) {
            BufferedImage read = ImageIO.read(image.toFile());
            assertNotNull(read, image.toString());
            assertTrue(read.getWidth() >= 1000 && read.getHeight() >= 700, read.getWidth() + " x " + read.getHeight());
            assertTrue(out.contains("wrote " + image), out);
        }
    }
}
