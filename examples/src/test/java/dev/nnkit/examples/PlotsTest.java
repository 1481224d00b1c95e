package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.data.Dataset;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/** The shared plotting code: decision regions painted by the classifier, line charts, panels, PNG files. */
class PlotsTest {

    /** Class 1 right of the vertical line x1 = 0.5, class 0 left of it. */
    private static int[] rightOfHalf(DMatrixRMaj x) {
        int[] out = new int[x.numCols];
        for (int j = 0; j < x.numCols; j++) {
            out[j] = x.get(0, j) > 0.5 ? 1 : 0;
        }
        return out;
    }

    /** Four points, three on the side of their class and one (label 0 at x1 = 0.9) on the wrong side. */
    private static Dataset fourPoints() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{-0.5, 0.0, 0.8, 0.9}, {0.1, -0.2, 0.3, 0.4}});
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{0, 0, 1, 0}});
        return new Dataset(x, y);
    }

    @Test
    void everyPixelOfThePlotAreaIsPaintedWithTheTintOfItsPredictedClass() {
        Plots.DecisionBoundary picture = Plots.decisionBoundary(PlotsTest::rightOfHalf).title("x1 > 0.5")
                .points(fourPoints()).window(-1, 1, -1, 1).size(300, 260);
        BufferedImage image = picture.render();
        assertEquals(300, image.getWidth());
        assertEquals(260, image.getHeight());
        // The plot area starts at x = 58 and is 300 - 58 - 16 = 226 pixels wide; x1 = 0.5 lies 3/4 across.
        int boundaryColumn = 58 + (int) Math.round(0.75 * 226);
        int row = 54 + 150; // inside the plot area, below the legend, away from the points
        assertEquals(Plots.regionColor(0).getRGB(), image.getRGB(60, row), "left of the line: class 0 tint");
        assertEquals(Plots.regionColor(0).getRGB(), image.getRGB(boundaryColumn - 5, row));
        assertEquals(Plots.regionColor(1).getRGB(), image.getRGB(boundaryColumn + 5, row), "right of the line: class 1 tint");
        assertEquals(0.75, picture.accuracy(), 0.0, "three of the four points are on their side");
    }

    @Test
    void oneHotLabelsAndANetworkWithTwoInputsAreAccepted() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{-1, 1}, {0, 0}});
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}}); // one-hot: classes 0 and 1
        Plots.DecisionBoundary picture = Plots.decisionBoundary(PlotsTest::rightOfHalf).points(new Dataset(x, y));
        assertEquals(1.0, picture.accuracy(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> Plots.decisionBoundary(PlotsTest::rightOfHalf)
                .points(new Dataset(new DMatrixRMaj(3, 2), new DMatrixRMaj(1, 2))));
        assertThrows(IllegalArgumentException.class, () -> Plots.decisionBoundary(PlotsTest::rightOfHalf).window(1, 0, 0, 1));
    }

    @Test
    void aLineChartOnALogAxisLeavesOutWhatItCannotDrawAndThinsLongSeries() {
        double[] y = new double[5000];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.exp(-i / 1000.0);
        }
        Plots.LineChart chart = Plots.lineChart("t", "iteration", "cost").logY().maxPoints(500)
                .series("cost", y)
                .series("with zeros", new double[] {1, 2, 3}, new double[] {0.5, 0.0, Double.NaN}, Plots.Style.DASHED)
                .size(500, 300);
        XYChart xy = chart.chart();
        assertEquals(500, xy.getSeriesMap().get("cost").getXData().length, "thinned to maxPoints");
        assertEquals(1.0, xy.getSeriesMap().get("cost").getXData()[0], 0.0, "the first point is kept");
        assertEquals(5000.0, xy.getSeriesMap().get("cost").getXData()[499], 0.0, "the last point is kept");
        assertArrayEquals(new double[] {0.5}, xy.getSeriesMap().get("with zeros").getYData(), 0.0,
                "0 and NaN cannot be drawn on a log axis");
        BufferedImage image = chart.render();
        assertEquals(500, image.getWidth());
        assertEquals(300, image.getHeight());

        Plots.LineChart nothing = Plots.lineChart("t", "x", "y").logY().series("negative", new double[] {1}, new double[] {-1});
        assertThrows(IllegalStateException.class, nothing::chart);
        assertThrows(IllegalArgumentException.class, () -> Plots.lineChart("t", "x", "y").series("a", new double[] {1, 2},
                new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Plots.lineChart("t", "x", "y").series("a", new double[] {1})
                .series("a", new double[] {2}));
    }

    @Test
    void panelsAreLaidOutInAGridUnderTheTitleAndSavedAsPng(@TempDir Path dir) throws IOException {
        BufferedImage red = filled(100, 80, Color.RED);
        BufferedImage blue = filled(60, 50, Color.BLUE);
        BufferedImage grid = Plots.panels("two panels", 2, List.of(red, blue, red));
        assertEquals(200, grid.getWidth(), "2 columns of the widest image");
        assertEquals(36 + 2 * 80, grid.getHeight(), "title band and 2 rows of the tallest image");
        assertEquals(Color.RED.getRGB(), grid.getRGB(50, 36 + 40));
        assertEquals(Color.BLUE.getRGB(), grid.getRGB(150, 36 + 40), "smaller images are centred in their cell");
        assertEquals(Color.WHITE.getRGB(), grid.getRGB(199, 36 + 79), "empty cells stay white");

        Path file = Plots.save(grid, dir.resolve("a/b/grid.png"));
        BufferedImage read = ImageIO.read(file.toFile());
        assertNotNull(read);
        assertEquals(200, read.getWidth());
        assertEquals(Color.BLUE.getRGB(), read.getRGB(150, 36 + 40));
    }

    @Test
    void ticksAreRoundNumbersInsideTheRange() {
        assertArrayEquals(new double[] {-4, -2, 0, 2, 4}, Plots.ticks(-4.6, 4.6), 1e-12);
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, Plots.ticks(-0.05, 1.05), 1e-12);
        for (double t : Plots.ticks(-1.37, 2.61)) {
            assertTrue(t >= -1.37 && t <= 2.61, "tick " + t);
        }
    }

    private static BufferedImage filled(int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, color.getRGB());
            }
        }
        return image;
    }
}
