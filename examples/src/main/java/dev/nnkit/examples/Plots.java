package dev.nnkit.examples;

import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The pictures of the example commands, drawn headless and written as PNG. Three kinds, each a
 * small builder that renders to a {@link BufferedImage}, plus composition and saving:
 * <ul>
 *   <li>{@link #lineChart} — curves such as the cost per iteration or a per-layer statistic: several
 *       named series with a legend, optionally on a logarithmic y axis (XChart).</li>
 *   <li>{@link #decisionBoundary} — a 2-D classifier's decision regions: every pixel of the plot is
 *       coloured by the class the network predicts at that point, the data points are drawn on top
 *       coloured by their true class, and the accuracy on those points is shown under the title.</li>
 *   <li>{@link #panels} — several images side by side (a grid) in one picture, with an optional
 *       overall title; {@link #save} writes any image as PNG, creating the folder.</li>
 * </ul>
 *
 * <pre>{@code
 * BufferedImage cost = Plots.lineChart("Cost", "iteration", "cost J").logY()
 *         .series("4 tanh units", history.stepCosts())
 *         .render();
 * BufferedImage regions = Plots.decisionBoundary(network).title("4 tanh units").points(data).render();
 * Path file = Plots.save(Plots.panels("Flower", 2, List.of(regions, cost)), out.resolve("flower.png"));
 * }</pre>
 *
 * <p>Colours: class 0 red, class 1 blue (as in the notes' plots), further classes from a
 * ten-colour qualitative palette; the same palette colours the series of a line chart in order.
 * Fonts are the logical {@code SansSerif} family. Loading this class sets
 * {@code java.awt.headless=true} unless the property was set before.
 */
final class Plots {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Strong colours for data points and line series, by class index or series index. */
    private static final Color[] STRONG = {
        new Color(0xD7, 0x30, 0x27), new Color(0x21, 0x66, 0xAC), new Color(0x1B, 0x9E, 0x77),
        new Color(0xE6, 0x9F, 0x00), new Color(0x75, 0x70, 0xB3), new Color(0x66, 0x66, 0x66),
        new Color(0xE7, 0x29, 0x8A), new Color(0x8C, 0x56, 0x1E), new Color(0x17, 0xBE, 0xCF),
        new Color(0x00, 0x00, 0x00)};

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);

    private Plots() {
    }

    /** The strong colour of class or series {@code index} (cycles after ten). */
    static Color color(int index) {
        return STRONG[Math.floorMod(index, STRONG.length)];
    }

    /** The pale tint of class {@code index} used for decision regions: the strong colour mixed 70 % with white. */
    static Color regionColor(int index) {
        Color c = color(index);
        return new Color(mix(c.getRed()), mix(c.getGreen()), mix(c.getBlue()));
    }

    private static int mix(int channel) {
        return (int) Math.round(0.3 * channel + 0.7 * 255);
    }

    // ------------------------------------------------------------------------------------------
    // Line charts

    /**
     * Starts a line chart.
     *
     * @param title  the chart title
     * @param xLabel the x-axis title, e.g. {@code iteration} or {@code layer l}
     * @param yLabel the y-axis title, e.g. {@code cost J}
     */
    static LineChart lineChart(String title, String xLabel, String yLabel) {
        return new LineChart(title, xLabel, yLabel);
    }

    /** How a series of a {@link LineChart} is drawn. */
    enum Style {
        /** A solid line without markers (cost curves). */
        LINE,
        /** A solid line with a marker at every point (per-layer statistics). */
        LINE_AND_MARKERS,
        /** A dashed line without markers (a formula's prediction next to measurements). */
        DASHED,
        /** Markers only. */
        MARKERS
    }

    /**
     * A line chart with several named series and a legend. Series longer than
     * {@link #maxPoints(int) maxPoints} (default 1,000) are thinned to evenly spaced points, first
     * and last kept, which changes nothing visible on a cost curve. On a logarithmic y axis, points
     * whose y is not finite or not positive cannot be drawn and are left out (a series with none
     * left is not drawn and not listed in the legend).
     */
    static final class LineChart {
        private final String title;
        private final String xLabel;
        private final String yLabel;
        private boolean logY;
        private int width = 640;
        private int height = 420;
        private int maxPoints = 1000;
        private Styler.LegendPosition legend = Styler.LegendPosition.OutsideE;
        private final List<SeriesData> series = new ArrayList<>();

        private record SeriesData(String name, double[] x, double[] y, Style style, Color color) {
        }

        private LineChart(String title, String xLabel, String yLabel) {
            this.title = Objects.requireNonNull(title, "title");
            this.xLabel = Objects.requireNonNull(xLabel, "xLabel");
            this.yLabel = Objects.requireNonNull(yLabel, "yLabel");
        }

        /** Puts the y axis on a logarithmic scale (decades). */
        LineChart logY() {
            return logY(true);
        }

        /** Puts the y axis on a logarithmic scale when {@code on}. */
        LineChart logY(boolean on) {
            this.logY = on;
            return this;
        }

        /** The size of the rendered image in pixels; default 640 x 420. */
        LineChart size(int widthPixels, int heightPixels) {
            if (widthPixels < 100 || heightPixels < 100) {
                throw new IllegalArgumentException("size " + widthPixels + " x " + heightPixels + "; both must be >= 100");
            }
            this.width = widthPixels;
            this.height = heightPixels;
            return this;
        }

        /** Where the legend goes; default {@code OutsideE} (right of the plot, never over a curve). */
        LineChart legend(Styler.LegendPosition position) {
            this.legend = Objects.requireNonNull(position, "position");
            return this;
        }

        /** The most points drawn per series; longer series are thinned evenly. Default 1,000. */
        LineChart maxPoints(int count) {
            if (count < 2) {
                throw new IllegalArgumentException("maxPoints=" + count + "; it must be >= 2");
            }
            this.maxPoints = count;
            return this;
        }

        /** Adds a solid line with {@code x = 1, 2, ..., y.length} (e.g. a cost per iteration). */
        LineChart series(String name, double[] y) {
            return series(name, y, Style.LINE);
        }

        /** Adds a series with {@code x = 1, 2, ..., y.length} drawn in {@code style}. */
        LineChart series(String name, double[] y, Style style) {
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            return series(name, x, y, style);
        }

        /** Adds a solid line through the points {@code (x[i], y[i])}. */
        LineChart series(String name, double[] x, double[] y) {
            return series(name, x, y, Style.LINE);
        }

        /** Adds a series drawn in {@code style}, coloured by its position (see {@link Plots#color}). */
        LineChart series(String name, double[] x, double[] y, Style style) {
            return series(name, x, y, style, color(series.size()));
        }

        /** Adds a series drawn in {@code style} and {@code color}, e.g. to pair a measurement with its dashed prediction. */
        LineChart series(String name, double[] x, double[] y, Style style, Color color) {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': x has " + x.length + " values but y has " + y.length);
            }
            if (x.length == 0) {
                throw new IllegalArgumentException("series '" + name + "' is empty");
            }
            for (SeriesData s : series) {
                if (s.name.equals(name)) {
                    throw new IllegalArgumentException("series '" + name + "' was added twice; names label the legend and must differ");
                }
            }
            series.add(new SeriesData(name, x.clone(), y.clone(), Objects.requireNonNull(style, "style"),
                    Objects.requireNonNull(color, "color")));
            return this;
        }

        /** The XChart chart, styled and filled, for callers who need a setting this builder lacks. */
        XYChart chart() {
            XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                    .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
            XYStyler styler = chart.getStyler();
            styler.setChartBackgroundColor(Color.WHITE);
            styler.setPlotBackgroundColor(Color.WHITE);
            styler.setPlotBorderColor(new Color(0x99, 0x99, 0x99));
            styler.setPlotGridLinesColor(new Color(0xE3, 0xE3, 0xE3));
            styler.setChartFontColor(TEXT);
            styler.setChartTitleFont(TITLE);
            styler.setChartTitleBoxVisible(false);
            styler.setAxisTitleFont(LABEL);
            styler.setAxisTickLabelsFont(TICK);
            styler.setLegendFont(TICK);
            styler.setLegendPosition(legend);
            styler.setLegendBorderColor(new Color(0xBB, 0xBB, 0xBB));
            styler.setLegendBackgroundColor(new Color(255, 255, 255, 220));
            styler.setToolTipsEnabled(false);
            styler.setMarkerSize(6);
            styler.setYAxisLogarithmic(logY);
            styler.setAntiAlias(true);
            for (SeriesData s : series) {
                double[][] points = drawable(s.x, s.y);
                if (points[0].length == 0) {
                    continue;
                }
                XYSeries xy = chart.addSeries(s.name, points[0], points[1]);
                xy.setXYSeriesRenderStyle(s.style == Style.MARKERS ? XYSeries.XYSeriesRenderStyle.Scatter
                        : XYSeries.XYSeriesRenderStyle.Line);
                xy.setLineColor(s.color);
                xy.setMarkerColor(s.color);
                xy.setLineWidth(2f);
                if (s.style == Style.DASHED) {
                    xy.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                            new float[] {7f, 5f}, 0f));
                }
                xy.setMarker(s.style == Style.LINE_AND_MARKERS || s.style == Style.MARKERS ? SeriesMarkers.CIRCLE
                        : SeriesMarkers.NONE);
            }
            if (logY) {
                // Label 2, 3, ... 9 times each decade when the curves span less than about a decade;
                // beyond that those labels crowd, and the decades alone read better.
                styler.setYAxisLogarithmicDecadeOnly(decades(chart) > 1.0);
            }
            if (chart.getSeriesMap().isEmpty()) {
                throw new IllegalStateException("line chart '" + title + "' has no drawable series"
                        + (logY ? " (on a log axis only finite values > 0 can be drawn)" : ""));
            }
            return chart;
        }

        private static double decades(XYChart chart) {
            double min = Double.MAX_VALUE;
            double max = 0;
            for (XYSeries s : chart.getSeriesMap().values()) {
                min = Math.min(min, s.getYMin());
                max = Math.max(max, s.getYMax());
            }
            return max > 0 && min > 0 ? Math.log10(max / min) : 0;
        }

        /** Renders the chart. */
        BufferedImage render() {
            return BitmapEncoder.getBufferedImage(chart());
        }

        private double[][] drawable(double[] x, double[] y) {
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logY || y[i] > 0)) {
                    keep.add(i);
                }
            }
            int n = Math.min(keep.size(), maxPoints);
            double[][] out = new double[2][n];
            for (int k = 0; k < n; k++) {
                int index = n == keep.size() ? k : (int) Math.round((double) k * (keep.size() - 1) / (n - 1));
                out[0][k] = x[keep.get(index)];
                out[1][k] = y[keep.get(index)];
            }
            return out;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Decision boundaries

    /** Starts a decision-boundary picture of a network with 2 inputs; its classes come from {@link Network#classify}. */
    static DecisionBoundary decisionBoundary(Network network) {
        if (network.units(0) != 2) {
            throw new IllegalArgumentException("a decision boundary is drawn in the plane; the network has "
                    + network.units(0) + " inputs, not 2");
        }
        return new DecisionBoundary(network::classify);
    }

    /**
     * Starts a decision-boundary picture of any classifier of 2-D points: it receives a
     * {@code (2, k)} matrix of points (one per column) and returns the class of each.
     */
    static DecisionBoundary decisionBoundary(Function<DMatrixRMaj, int[]> classifier) {
        return new DecisionBoundary(Objects.requireNonNull(classifier, "classifier"));
    }

    /**
     * A picture of a classifier's decision regions in the plane. The plot area is a grid of pixels;
     * the centre of each is classified (in batches, all columns at once) and the pixel is painted
     * with the pale tint of its class, with a dark line where the class changes. The data points are
     * drawn on top in the strong colour of their true label (one label row: 0 or 1; several rows:
     * one-hot, the largest entry). Under the title: by default the accuracy of the classifier on the
     * points shown, e.g. {@code accuracy 90.50 % on 400 points}. The window defaults to the points'
     * bounding box widened by 10 % on each side (0.5 when the points are all equal).
     */
    static final class DecisionBoundary {
        private static final int LEFT = 58;
        private static final int RIGHT = 16;
        private static final int TOP = 54;
        private static final int BOTTOM = 48;
        private static final int CHUNK = 8192;

        private final Function<DMatrixRMaj, int[]> classifier;
        private String title = "";
        private String subtitle;
        private Dataset points;
        private double[] window;
        private String xLabel = "x1";
        private String yLabel = "x2";
        private List<String> classNames = List.of();
        private int width = 420;
        private int height = 420;
        private double accuracy = Double.NaN;

        private DecisionBoundary(Function<DMatrixRMaj, int[]> classifier) {
            this.classifier = classifier;
        }

        /** The title, e.g. the model's name. */
        DecisionBoundary title(String text) {
            this.title = Objects.requireNonNull(text, "title");
            return this;
        }

        /** Replaces the default second line (the accuracy on the points shown) with {@code text}. */
        DecisionBoundary subtitle(String text) {
            this.subtitle = Objects.requireNonNull(text, "subtitle");
            return this;
        }

        /** The data points drawn over the regions, with 2 feature rows. */
        DecisionBoundary points(Dataset data) {
            if (data.inputSize() != 2) {
                throw new IllegalArgumentException("points must be 2-D; the data set has " + data.inputSize() + " features");
            }
            this.points = data;
            return this;
        }

        /** The window shown: {@code [xMin, xMax] x [yMin, yMax]}. */
        DecisionBoundary window(double xMin, double xMax, double yMin, double yMax) {
            if (!(xMin < xMax) || !(yMin < yMax)) {
                throw new IllegalArgumentException("window [" + xMin + ", " + xMax + "] x [" + yMin + ", " + yMax
                        + "]; need xMin < xMax and yMin < yMax");
            }
            this.window = new double[] {xMin, xMax, yMin, yMax};
            return this;
        }

        /** The axis titles; default {@code x1} and {@code x2}. */
        DecisionBoundary axes(String x, String y) {
            this.xLabel = Objects.requireNonNull(x, "x");
            this.yLabel = Objects.requireNonNull(y, "y");
            return this;
        }

        /** Legend names of the classes, in class order; default {@code y = 0}, {@code y = 1}, ... */
        DecisionBoundary classNames(String... names) {
            this.classNames = List.of(names);
            return this;
        }

        /** The size of the rendered image in pixels; default 420 x 420. */
        DecisionBoundary size(int widthPixels, int heightPixels) {
            if (widthPixels < LEFT + RIGHT + 50 || heightPixels < TOP + BOTTOM + 50) {
                throw new IllegalArgumentException("size " + widthPixels + " x " + heightPixels + " is too small; need at least "
                        + (LEFT + RIGHT + 50) + " x " + (TOP + BOTTOM + 50));
            }
            this.width = widthPixels;
            this.height = heightPixels;
            return this;
        }

        /**
         * The fraction of the points the classifier gets right, in [0, 1]: what the default subtitle
         * shows. NaN when no points were given.
         */
        double accuracy() {
            if (points == null) {
                return Double.NaN;
            }
            if (Double.isNaN(accuracy)) {
                int[] predicted = classify(points.features());
                int[] truth = labels(points);
                int correct = 0;
                for (int j = 0; j < truth.length; j++) {
                    if (predicted[j] == truth[j]) {
                        correct++;
                    }
                }
                accuracy = (double) correct / truth.length;
            }
            return accuracy;
        }

        /** Renders the picture. */
        BufferedImage render() {
            double[] w = window != null ? window : defaultWindow();
            int pw = width - LEFT - RIGHT;
            int ph = height - TOP - BOTTOM;
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int[] classes = classifyGrid(w, pw, ph);
            int maxClass = 1;
            for (int c : classes) {
                maxClass = Math.max(maxClass, c);
            }
            int[] truth = points == null ? new int[0] : labels(points);
            for (int c : truth) {
                maxClass = Math.max(maxClass, c);
            }
            Graphics2D g = image.createGraphics();
            try {
                g.setColor(Color.WHITE);
                g.fillRect(0, 0, width, height);
                paintRegions(image, classes, pw, ph);
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                if (points != null) {
                    paintPoints(g, w, pw, ph, truth);
                }
                g.setColor(new Color(0x55, 0x55, 0x55));
                g.setStroke(new BasicStroke(1f));
                g.drawRect(LEFT, TOP, pw, ph);
                paintAxes(g, w, pw, ph);
                paintTitles(g);
                paintLegend(g, pw, maxClass + 1);
            } finally {
                g.dispose();
            }
            return image;
        }

        private double[] defaultWindow() {
            if (points == null) {
                return new double[] {-1, 1, -1, 1};
            }
            DMatrixRMaj x = points.features();
            double[] w = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE};
            for (int j = 0; j < x.numCols; j++) {
                w[0] = Math.min(w[0], x.get(0, j));
                w[1] = Math.max(w[1], x.get(0, j));
                w[2] = Math.min(w[2], x.get(1, j));
                w[3] = Math.max(w[3], x.get(1, j));
            }
            for (int axis = 0; axis < 2; axis++) {
                double span = w[2 * axis + 1] - w[2 * axis];
                double pad = span > 0 ? 0.1 * span : 0.5;
                w[2 * axis] -= pad;
                w[2 * axis + 1] += pad;
            }
            return w;
        }

        private int[] classifyGrid(double[] w, int pw, int ph) {
            int total = pw * ph;
            int[] classes = new int[total];
            for (int from = 0; from < total; from += CHUNK) {
                int count = Math.min(CHUNK, total - from);
                DMatrixRMaj grid = new DMatrixRMaj(2, count);
                for (int k = 0; k < count; k++) {
                    int px = (from + k) % pw;
                    int py = (from + k) / pw;
                    grid.data[k] = w[0] + (px + 0.5) / pw * (w[1] - w[0]);
                    grid.data[count + k] = w[3] - (py + 0.5) / ph * (w[3] - w[2]);
                }
                System.arraycopy(classify(grid), 0, classes, from, count);
            }
            return classes;
        }

        private int[] classify(DMatrixRMaj x) {
            int[] out = classifier.apply(x);
            if (out.length != x.numCols) {
                throw new IllegalStateException("the classifier returned " + out.length + " classes for " + x.numCols + " points");
            }
            return out;
        }

        private static void paintRegions(BufferedImage image, int[] classes, int pw, int ph) {
            int edge = new Color(0x33, 0x33, 0x33).getRGB();
            int[] tint = new int[STRONG.length];
            for (int c = 0; c < tint.length; c++) {
                tint[c] = regionColor(c).getRGB();
            }
            for (int py = 0; py < ph; py++) {
                for (int px = 0; px < pw; px++) {
                    int c = classes[py * pw + px];
                    boolean boundary = (px + 1 < pw && classes[py * pw + px + 1] != c)
                            || (py + 1 < ph && classes[(py + 1) * pw + px] != c);
                    image.setRGB(LEFT + px, TOP + py, boundary ? edge : tint[Math.floorMod(c, tint.length)]);
                }
            }
        }

        private void paintPoints(Graphics2D g, double[] w, int pw, int ph, int[] truth) {
            DMatrixRMaj x = points.features();
            double r = x.numCols > 600 ? 2.5 : 3.5;
            g.setStroke(new BasicStroke(0.8f));
            for (int j = 0; j < x.numCols; j++) {
                double sx = LEFT + (x.get(0, j) - w[0]) / (w[1] - w[0]) * pw;
                double sy = TOP + (w[3] - x.get(1, j)) / (w[3] - w[2]) * ph;
                if (sx < LEFT || sx > LEFT + pw || sy < TOP || sy > TOP + ph) {
                    continue;
                }
                Ellipse2D dot = new Ellipse2D.Double(sx - r, sy - r, 2 * r, 2 * r);
                g.setColor(color(truth[j]));
                g.fill(dot);
                g.setColor(Color.BLACK);
                g.draw(dot);
            }
        }

        private void paintAxes(Graphics2D g, double[] w, int pw, int ph) {
            g.setFont(TICK);
            FontMetrics fm = g.getFontMetrics();
            g.setColor(TEXT);
            for (double t : ticks(w[0], w[1])) {
                int sx = (int) Math.round(LEFT + (t - w[0]) / (w[1] - w[0]) * pw);
                g.drawLine(sx, TOP + ph, sx, TOP + ph + 4);
                String s = tickLabel(t, w[1] - w[0]);
                g.drawString(s, sx - fm.stringWidth(s) / 2, TOP + ph + 6 + fm.getAscent());
            }
            for (double t : ticks(w[2], w[3])) {
                int sy = (int) Math.round(TOP + (w[3] - t) / (w[3] - w[2]) * ph);
                g.drawLine(LEFT - 4, sy, LEFT, sy);
                String s = tickLabel(t, w[3] - w[2]);
                g.drawString(s, LEFT - 7 - fm.stringWidth(s), sy + fm.getAscent() / 2 - 1);
            }
            g.setFont(LABEL);
            fm = g.getFontMetrics();
            g.drawString(xLabel, LEFT + (pw - fm.stringWidth(xLabel)) / 2, height - 10);
            Graphics2D rotated = (Graphics2D) g.create();
            try {
                rotated.rotate(-Math.PI / 2);
                rotated.drawString(yLabel, -(TOP + (ph + fm.stringWidth(yLabel)) / 2), 16);
            } finally {
                rotated.dispose();
            }
        }

        private void paintTitles(Graphics2D g) {
            g.setColor(TEXT);
            g.setFont(TITLE);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (width - fm.stringWidth(title)) / 2, 20);
            String second = subtitle != null ? subtitle
                    : points == null ? "" : String.format(Locale.ROOT, "accuracy %.2f %% on %d points", 100 * accuracy(),
                    points.size());
            g.setFont(LABEL);
            fm = g.getFontMetrics();
            g.drawString(second, (width - fm.stringWidth(second)) / 2, 42);
        }

        private void paintLegend(Graphics2D g, int pw, int classCount) {
            g.setFont(TICK);
            FontMetrics fm = g.getFontMetrics();
            int rowHeight = fm.getHeight() + 2;
            int textWidth = 0;
            List<String> names = new ArrayList<>();
            for (int c = 0; c < classCount; c++) {
                String name = c < classNames.size() ? classNames.get(c) : "y = " + c;
                names.add(name);
                textWidth = Math.max(textWidth, fm.stringWidth(name));
            }
            int boxWidth = textWidth + 30;
            int boxHeight = rowHeight * classCount + 8;
            int bx = LEFT + pw - boxWidth - 6;
            int by = TOP + 6;
            g.setColor(new Color(255, 255, 255, 215));
            g.fillRect(bx, by, boxWidth, boxHeight);
            g.setColor(new Color(0xAA, 0xAA, 0xAA));
            g.drawRect(bx, by, boxWidth, boxHeight);
            for (int c = 0; c < classCount; c++) {
                int cy = by + 4 + rowHeight * c + rowHeight / 2;
                Ellipse2D dot = new Ellipse2D.Double(bx + 8, cy - 4, 8, 8);
                g.setColor(color(c));
                g.fill(dot);
                g.setColor(Color.BLACK);
                g.draw(dot);
                g.setColor(TEXT);
                g.drawString(names.get(c), bx + 22, cy + fm.getAscent() / 2 - 1);
            }
        }

        private static int[] labels(Dataset data) {
            DMatrixRMaj y = data.labels();
            int[] out = new int[y.numCols];
            for (int j = 0; j < y.numCols; j++) {
                if (y.numRows == 1) {
                    out[j] = y.get(0, j) > 0.5 ? 1 : 0;
                } else {
                    int best = 0;
                    for (int i = 1; i < y.numRows; i++) {
                        if (y.get(i, j) > y.get(best, j)) {
                            best = i;
                        }
                    }
                    out[j] = best;
                }
            }
            return out;
        }
    }

    /** About five "nice" tick values (steps of 1, 2 or 5 times a power of ten) inside {@code [min, max]}. */
    static double[] ticks(double min, double max) {
        double raw = (max - min) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double residual = raw / magnitude;
        double step = (residual < 1.5 ? 1 : residual < 3.5 ? 2 : residual < 7.5 ? 5 : 10) * magnitude;
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(min / step) * step; t <= max + 1e-9 * step; t += step) {
            out.add(Math.abs(t) < 1e-9 * step ? 0.0 : t);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String tickLabel(double value, double span) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(span / 5)));
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    // ------------------------------------------------------------------------------------------
    // Composition and files

    /** The images in a grid of {@code columns} columns, row by row, on white; each cell as large as the largest image. */
    static BufferedImage panels(int columns, List<BufferedImage> images) {
        return panels(null, columns, images);
    }

    /**
     * The images in a grid of {@code columns} columns, row by row, on white, under an overall
     * {@code title} (none when null). Each cell is as large as the largest image; smaller images
     * are centred in their cell.
     */
    static BufferedImage panels(String title, int columns, List<BufferedImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to compose");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns=" + columns + "; it must be >= 1");
        }
        int cellWidth = 0;
        int cellHeight = 0;
        for (BufferedImage image : images) {
            cellWidth = Math.max(cellWidth, image.getWidth());
            cellHeight = Math.max(cellHeight, image.getHeight());
        }
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + cols - 1) / cols;
        int header = title == null ? 0 : 36;
        BufferedImage out = new BufferedImage(cols * cellWidth, header + rows * cellHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            if (title != null) {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setFont(TITLE.deriveFont(17f));
                g.setColor(TEXT);
                FontMetrics fm = g.getFontMetrics();
                g.drawString(title, (out.getWidth() - fm.stringWidth(title)) / 2, 25);
            }
            for (int k = 0; k < images.size(); k++) {
                BufferedImage image = images.get(k);
                int x = (k % cols) * cellWidth + (cellWidth - image.getWidth()) / 2;
                int y = header + (k / cols) * cellHeight + (cellHeight - image.getHeight()) / 2;
                g.drawImage(image, x, y, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Writes {@code image} as a PNG file, creating the parent folders, atomically
     * ({@link CliFiles#writePng}: a temporary file in the same folder, then a move), so that a full
     * disk never leaves a truncated picture.
     *
     * @return {@code file}
     * @throws UncheckedIOException when the file cannot be written; its message names the file,
     *                              the operation and the reason
     */
    static Path save(BufferedImage image, Path file) {
        try {
            CliFiles.writePng(image, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(CliFiles.describe(e, "write", file), e);
        }
    }
}
