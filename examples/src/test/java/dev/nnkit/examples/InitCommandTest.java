package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.diagnostics.Diagnostics;
import dev.nnkit.diagnostics.LayerStatistics;
import dev.nnkit.spi.StepContext;
import java.awt.Color;
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
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import picocli.CommandLine;

/** Initialization (MATH §4, §5): the notes' circles numbers, and signal through depth. */
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
        // std 0.5: Var(Z[1]) = n * 0.25 * Var(x) = 15 (MATH §4: 25 for n = 100), then x 7.5 per layer
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

    @Test
    void batchNormKeepsTheNormalizedSignalNearOneWhereThePlainNetworkVanishesOrExplodes() {
        InitCommand command = command("--depth", "20", "--width", "60", "--batch", "60");
        String[][] cases = {{"tanh", "small_random(scale=0.01)"}, {"relu", "small_random(scale=0.01)"},
            {"relu", "xavier_normal"}, {"relu", "normal(std=0.5)"}};
        for (String[] c : cases) {
            InitCommand.DepthResult plain = command.measureDepth(c[0], c[1]);
            InitCommand.BatchNormResult bn = command.measureDepthBatchNorm(c[0], c[1]);
            String what = c[0] + " " + c[1];
            double plainLast = last(plain).zVariance();
            assertTrue(plainLast < 1e-3 || plainLast > 1e3, what + ": the plain network keeps its signal, " + plainLast);
            assertEquals(40, bn.all().size(), "dense and batch_norm at each of the 20 layers");
            for (int l = 1; l <= 20; l++) {
                LayerStatistics dense = bn.dense().get(l - 1);
                LayerStatistics normalized = bn.normalized().get(l - 1);
                assertEquals(2 * l - 1, dense.layer());
                assertEquals(2 * l, normalized.layer());
                double v = normalized.zVariance();
                // batch statistics: every unit is centred and scaled to var_i / (var_i + 1e-5) ~ 1 at every depth;
                // a pass with the running statistics (0 and 1) would leave Var(Z[l]) itself, < 1e-2 here
                assertTrue(v > 0.5 && v < 2, what + " layer " + l + ": Var(Zhat) = " + v);
                assertEquals(bn.predicted()[l - 1], v, 1e-9, what + " layer " + l + ": the formula");
                assertTrue(Double.isNaN(normalized.gradientNorm()), "batch_norm has no weights");
            }
            // the second dense layer's weights alone would scale the variance by n Var(w) (0.006 for small random)
            if (c[1].startsWith("small_random")) {
                double raw = bn.dense().get(1).zVariance();
                assertTrue(raw < 0.01, what + ": Var(Z[2]) before normalization " + raw);
                assertEquals(raw, bn.dense().get(1).predictedZVariance(), 0.5 * raw, "n Var(w) E[Ahat^2]");
            }
            assertEquals("kept", bn.signal(), what);
            double firstGradient = bn.dense().get(0).gradientNorm();
            assertTrue(firstGradient > 1e-3 && Double.isFinite(firstGradient), what + ": ||dW[1]|| " + firstGradient);
        }
    }

    @Test
    void theBatchNormGradientNormsAreTheDerivativesOfTheCheckingModeCost() {
        // a small deep network, so every entry of dW[1] can be checked by central differences of the cost that
        // a CHECKING pass computes (batch statistics): the ||dW[l]|| of the table is the slope of that cost
        InitCommand command = command("--depth", "4", "--width", "5", "--batch", "12");
        Network network = command.batchNormNetwork("tanh", "small_random(scale=0.01)");
        Dataset data = command.depthBatch();
        List<LayerStatistics> stats = Diagnostics.measure(network, data);
        for (int dense : new int[] {1, 7}) {
            org.ejml.data.DMatrixRMaj w = network.parameter(dense, "W");
            org.ejml.data.DMatrixRMaj analytic = network.gradient(dense, "W");
            double h = 1e-7; // the weights are ~1e-2: a relative step of 1e-5
            double squares = 0;
            for (int k = 0; k < w.getNumElements(); k++) {
                org.ejml.data.DMatrixRMaj moved = w.copy();
                moved.data[k] = w.data[k] + h;
                network.setParameter(dense, "W", moved);
                double plus = network.cost(data, StepContext.Mode.CHECKING);
                moved.data[k] = w.data[k] - h;
                network.setParameter(dense, "W", moved);
                double minus = network.cost(data, StepContext.Mode.CHECKING);
                network.setParameter(dense, "W", w);
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, analytic.data[k], 1e-5 * Math.max(1, Math.abs(numeric)), "dW[" + dense + "] entry " + k);
                squares += numeric * numeric;
            }
            assertEquals(Math.sqrt(squares), stats.get(dense - 1).gradientNorm(), 1e-5 * Math.sqrt(squares));
        }
    }

    @Test
    void theBatchNormPictureDrawsTheNormalizedVarianceFlatAtOneAndThePlainOneFalling() {
        InitCommand command = command("--depth", "20", "--width", "60", "--batch", "60");
        List<InitCommand.DepthResult> plain = new java.util.ArrayList<>();
        List<InitCommand.BatchNormResult> bn = new java.util.ArrayList<>();
        for (String init : command.batchNormInitializers) {
            plain.add(command.measureDepth("relu", init));
            bn.add(command.measureDepthBatchNorm("relu", init));
        }
        XYChart variance = command.batchNormVarianceChart("relu", plain, bn).chart();
        XYChart gradient = command.batchNormGradientChart("relu", plain, bn).chart();
        assertEquals(9, variance.getSeriesMap().size(), "plain, batch norm and predicted for 3 initializers");
        assertEquals(6, gradient.getSeriesMap().size());
        for (InitCommand.BatchNormResult r : bn) {
            String init = r.initializer();
            XYSeries normalized = variance.getSeriesMap().get(init + " batch norm");
            XYSeries dots = variance.getSeriesMap().get(init + " predicted");
            XYSeries falling = variance.getSeriesMap().get(init + " plain");
            assertEquals(20, normalized.getYData().length);
            for (double y : normalized.getYData()) {
                assertTrue(Math.abs(y) < Math.log10(2), init + ": log10 Var(Zhat) " + y); // within [0.5, 2]
            }
            for (int k = 0; k < dots.getXData().length; k++) {
                int layer = (int) dots.getXData()[k];
                assertEquals(normalized.getYData()[layer - 1], dots.getYData()[k], 1e-9, init + " dot at layer " + layer);
            }
            double plainLast = falling.getYData()[19];
            assertTrue(plainLast < -3 || plainLast > 3, init + ": the plain line ends at 1e" + plainLast);
            assertEquals(command.depthColor(init), normalized.getLineColor());
            assertEquals(command.depthColor(init), falling.getLineColor());
            for (double y : gradient.getSeriesMap().get(init + " batch norm").getYData()) {
                assertTrue(y > -3 && Double.isFinite(y), init + ": log10 ||dW|| with batch norm " + y);
            }
        }
        assertTrue(gradient.getSeriesMap().get("small_random(scale=0.01) plain").getYData()[0] < -3,
                "small random: the plain gradient vanishes");

        // the pixels, small random alone (in the full chart the batch-norm lines of all three lie on each other):
        // one horizontal line (batch norm at 1) runs across the plot, and the dashed plain line falls from 1e-2
        // to 1e-45, down most of the plot's height
        BufferedImage image = BitmapEncoder.getBufferedImage(MorePlots.powersOfTen(
                command.batchNormVarianceChart("relu", plain, List.of(bn.get(0))).chart()));
        int rgb = command.depthColor("small_random(scale=0.01)").getRGB();
        int[] perRow = new int[image.getHeight()];
        int top = image.getHeight();
        int bottom = -1;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) == rgb) {
                    perRow[y]++;
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        int best = 0;
        for (int y = 1; y < perRow.length; y++) {
            best = perRow[y] > perRow[best] ? y : best;
        }
        assertTrue(perRow[best] > image.getWidth() / 2, "a horizontal line: " + perRow[best] + " pixels in row " + best);
        assertTrue(best - top < 20, "the flat line is the top of the red curves (1 > 1e-2 > ...): row " + best
                + ", top " + top);
        assertTrue(bottom - top > image.getHeight() / 2, "the plain line falls: rows " + top + " to " + bottom);
        assertTrue(new Color(rgb).equals(Plots.color(0)), "small random keeps its colour of init_depth.png");
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
        assertEquals(6, run.batchNorm().size(), "3 initializers with batch norm, for tanh and relu");
        assertTrue(out.contains("he_normal"), out);
        assertTrue(out.contains("signal at L / gradient at 1"), out);
        assertTrue(out.contains("depth with batch norm"), out);
        assertTrue(out.contains("Var(Zhat[6])"), out);
        assertEquals(List.of(dir.resolve("init_circles.png"), dir.resolve("init_depth.png"),
                dir.resolve("init_depth_batchnorm.png")), run.images());
        for (Path image : run.images()) {
            BufferedImage read = ImageIO.read(image.toFile());
            assertNotNull(read, image.toString());
            assertTrue(read.getWidth() >= 1000 && read.getHeight() >= 700, read.getWidth() + " x " + read.getHeight());
            assertTrue(out.contains("wrote " + image), out);
        }
    }

    @Test
    void courseModeReproducesTheLessonsHeAndZerosRows() {
        InitCommand command = command("--course");
        Dataset train = CirclesData.courseTrain();
        Dataset test = CirclesData.courseTest();
        InitCommand.CourseResult he = command.trainCourse(train, test, "he_normal", 15000);
        Course.CirclesRow published = Course.CIRCLES.get("he_normal");
        for (int k = 0; k < published.costs().length; k++) {
            double course = published.costs()[k];
            assertEquals(course, he.courseCosts().get(1000L * k), 4e-15 * course, "He cost at iteration " + 1000 * k);
            assertEquals(course, he.result().costs()[1000 * k], 4e-15 * course, "He cost from Z at iteration " + 1000 * k);
        }
        assertEquals(0.9933333333333333, he.result().trainAccuracy());
        assertEquals(0.96, he.result().testAccuracy());
        InitCommand.CourseResult zeros = command.trainCourse(train, test, "zeros", 1001);
        assertEquals(0.6931471805599453, zeros.courseCosts().get(0L));
        assertEquals(0.6931471805599453, zeros.courseCosts().get(1000L));
        assertEquals(0.5, zeros.result().trainAccuracy());
    }

    @Test
    void courseModeStartsTheLargeRandomRowAtInfinityAsTheNotebookPrints() {
        InitCommand.CourseResult random = command("--course").trainCourse(CirclesData.courseTrain(), CirclesData.courseTest(),
                "normal(std=10)", 1);
        assertEquals(Double.POSITIVE_INFINITY, random.courseCosts().get(0L));
        assertTrue(Double.isFinite(random.result().costs()[0]), "nnkit's cost from Z stays finite");
    }
}
