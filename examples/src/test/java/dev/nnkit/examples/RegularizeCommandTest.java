package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
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

/** MATH §7: without regularization the network fits the noise; L2 and dropout close the gap. */
class RegularizeCommandTest {

    private static RegularizeCommand.Run run(Path dir, String... args) {
        RegularizeCommand command = new RegularizeCommand();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--out";
        all[args.length + 1] = dir.toString();
        new CommandLine(command).parseArgs(all);
        return command.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void l2AndDropoutCloseTheGapBetweenTrainAndTestAccuracy(@TempDir Path dir) throws IOException {
        // 4,000 Adam steps instead of 10,000: the default seed overfits by then (train 94.5 %, test 84.5 %)
        RegularizeCommand.Run run = run(dir, "--iterations", "4000");
        List<RegularizeCommand.Model> models = run.models();
        assertEquals(3, models.size());
        RegularizeCommand.Model none = models.get(0);
        RegularizeCommand.Model l2 = models.get(1);
        RegularizeCommand.Model dropout = models.get(2);
        assertEquals("l2(lambda=0.7)", l2.regularizer());
        assertEquals("dropout(keep_prob=0.8)", dropout.regularizer());
        assertEquals("2-20(relu)-3(relu)-1(sigmoid), binary_cross_entropy", none.network().toString());

        // A test set of 200 points has a standard error of about 2.5 points at 85 %; the margins below
        // are the gaps this seed gives, which are several standard errors apart.
        double gapNone = none.trainAccuracy() - none.testAccuracy();
        assertTrue(gapNone > 0.07, "no regularization overfits: train " + none.trainAccuracy() + " test " + none.testAccuracy());
        for (RegularizeCommand.Model m : List.of(l2, dropout)) {
            double gap = m.trainAccuracy() - m.testAccuracy();
            assertTrue(gap < gapNone - 0.04, m.name() + " closes the gap: " + gap + " vs " + gapNone);
            assertTrue(m.testAccuracy() > none.testAccuracy(), m.name() + " generalizes better: " + m.testAccuracy()
                    + " vs " + none.testAccuracy());
        }
        // L2 pulls the weights toward 0 (weight decay): a smaller sum of squares than without it
        assertTrue(sumOfSquares(l2.network()) < 0.5 * sumOfSquares(none.network()),
                sumOfSquares(l2.network()) + " vs " + sumOfSquares(none.network()));

        BufferedImage image = ImageIO.read(run.images().get(0).toFile());
        assertEquals(3 * 400, image.getWidth());
        assertEquals(36 + 2 * 400, image.getHeight(), "boundaries over the training (top) and test (bottom) points");
    }

    @Test
    void badRegularizationSettingsAreRefusedBeforeTraining(@TempDir Path dir) {
        assertThrows(CommandLine.ParameterException.class, () -> run(dir, "--keep-prob", "1.5"));
        assertThrows(CommandLine.ParameterException.class, () -> run(dir, "--keep-prob", "0"));
        assertThrows(CommandLine.ParameterException.class, () -> run(dir, "--lambda", "-1"));
        assertThrows(CommandLine.ParameterException.class, () -> run(dir, "--layers", "20,0"));
    }

    @Test
    void theMoonsAreTwoMirroredHalfCirclesPlusNoise() {
        Dataset clean = PlanarData.moons(50, 0.0, 3);
        DMatrixRMaj x = clean.features();
        DMatrixRMaj y = clean.labels();
        for (int j = 0; j < 100; j++) {
            int label = (int) y.get(0, j);
            assertEquals(j < 50 ? 0 : 1, label);
            // class 0 lies on the unit circle around (-0.5, -0.25), class 1 on the one around (0.5, 0.25)
            double cx = label == 0 ? -0.5 : 0.5;
            double cy = label == 0 ? -0.25 : 0.25;
            assertEquals(1.0, Math.hypot(x.get(0, j) - cx, x.get(1, j) - cy), 1e-12);
            assertTrue(label == 0 ? x.get(1, j) >= -0.25 : x.get(1, j) <= 0.25, "upper half for 0, lower half for 1");
        }
        Dataset noisy = PlanarData.moons(2000, 0.35, 3);
        DMatrixRMaj xn = noisy.features();
        DMatrixRMaj xc = PlanarData.moons(2000, 0.0, 3).features();
        double sum = 0;
        double squares = 0;
        int n = xn.getNumElements();
        for (int k = 0; k < n; k++) {
            double d = xn.data[k] - xc.data[k];
            sum += d;
            squares += d * d;
        }
        double variance = squares / n - (sum / n) * (sum / n);
        // Var(noise) = 0.35^2 = 0.1225; 8,000 draws: standard error 0.1225 sqrt(2/8000) = 0.0019; 5 of them
        assertEquals(0.1225, variance, 5 * 0.0019);
        assertThrows(IllegalArgumentException.class, () -> PlanarData.moons(0, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> PlanarData.moons(10, -0.1, 1));
    }

    private static double sumOfSquares(Network network) {
        double sum = 0;
        for (int l = 1; l <= network.depth(); l++) {
            for (double w : network.parameter(l, "W").data) {
                sum += w * w;
            }
        }
        return sum;
    }
}
