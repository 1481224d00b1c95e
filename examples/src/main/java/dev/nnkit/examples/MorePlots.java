package dev.nnkit.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * Pictures the init, fashion and train commands need beyond {@link Plots}: a y axis of many
 * decades labelled {@code 1e-40 ... 1e20}, a shared legend strip, and a confusion matrix.
 */
final class MorePlots {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);

    private MorePlots() {
    }

    /** {@code log10(v)} of every entry; entries that are not finite and positive become NaN (not drawn). */
    static double[] log10(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] > 0 && Double.isFinite(values[i]) ? Math.log10(values[i]) : Double.NaN;
        }
        return out;
    }

    /**
     * Labels the y axis of a chart whose series hold {@code log10} values as powers of ten
     * ({@code 1e-40}, {@code 1}, {@code 1e20}): a logarithmic axis that stays readable over a
     * hundred decades, where XChart's own log axis labels every decade. The legend is hidden (use
     * {@link #legendStrip}).
     */
    static XYChart powersOfTen(XYChart chart) {
        chart.getStyler().setyAxisTickLabelsFormattingFunction(MorePlots::powerOfTen);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        return chart;
    }

    static String powerOfTen(Double exponent) {
        double e = exponent;
        long rounded = Math.round(e);
        if (Math.abs(e - rounded) < 1e-6) {
            return rounded == 0 ? "1" : rounded == 1 ? "10" : "1e" + rounded;
        }
        return String.format(Locale.ROOT, "10^%.1f", e);
    }

    /**
     * A legend for several charts that share their colours: a line (or a marker) and a name per
     * entry, in rows that fit {@code width}, with an optional note on the last line.
     */
    static BufferedImage legendStrip(List<String> names, List<Color> colors, int width, String note) {
        return legendStrip(names, colors, new boolean[names.size()], width, note);
    }

    /** A {@link #legendStrip} whose entries {@code dashed[i]} show a dashed line. */
    static BufferedImage legendStrip(List<String> names, List<Color> colors, boolean[] dashed, int width, String note) {
        if (names.size() != colors.size() || dashed.length != names.size()) {
            throw new IllegalArgumentException(names.size() + " names but " + colors.size() + " colours");
        }
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(LABEL);
        FontMetrics fm = pg.getFontMetrics();
        pg.dispose();
        int rowHeight = fm.getHeight() + 8;
        int x = 20;
        int rows = 1;
        int[] xs = new int[names.size()];
        int[] ys = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            int entry = 40 + fm.stringWidth(names.get(i)) + 28;
            if (x + entry > width - 10 && x > 20) {
                rows++;
                x = 20;
            }
            xs[i] = x;
            ys[i] = rows - 1;
            x += entry;
        }
        int height = rows * rowHeight + (note == null ? 8 : rowHeight + 4);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(LABEL);
            for (int i = 0; i < names.size(); i++) {
                int cy = 4 + ys[i] * rowHeight + rowHeight / 2;
                g.setColor(colors.get(i));
                g.setStroke(dashed[i] ? new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {7f, 5f}, 0f) : new BasicStroke(3f));
                g.drawLine(xs[i], cy, xs[i] + 32, cy);
                g.setColor(TEXT);
                g.drawString(names.get(i), xs[i] + 40, cy + fm.getAscent() / 2 - 2);
            }
            if (note != null) {
                g.setFont(SMALL);
                g.setColor(new Color(0x44, 0x44, 0x44));
                FontMetrics nm = g.getFontMetrics();
                g.drawString(note, (width - nm.stringWidth(note)) / 2, rows * rowHeight + rowHeight / 2 + 4);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** A horizontal reference line of a {@link #logBars} chart: a value, its legend name and colour. */
    record Reference(String name, double value, Color color) {
    }

    /**
     * A grouped bar chart on a logarithmic y axis: one group per category, one bar per series
     * (coloured by {@link Plots#color} in order), and dashed horizontal reference lines. Values
     * below {@code yMin} are drawn at {@code yMin}.
     */
    static BufferedImage logBars(String title, String xLabel, String yLabel, List<String> categories,
                                 java.util.Map<String, double[]> series, List<Reference> references, double yMin, double yMax,
                                 int width, int height) {
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(width).height(height)
                .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        org.knowm.xchart.style.CategoryStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(new Color(0x99, 0x99, 0x99));
        styler.setPlotGridLinesColor(new Color(0xE3, 0xE3, 0xE3));
        styler.setChartFontColor(TEXT);
        styler.setChartTitleFont(TITLE);
        styler.setChartTitleBoxVisible(false);
        styler.setAxisTitleFont(LABEL);
        styler.setAxisTickLabelsFont(SMALL.deriveFont(12f));
        styler.setLegendFont(SMALL);
        styler.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        styler.setLegendBorderColor(new Color(0xBB, 0xBB, 0xBB));
        styler.setToolTipsEnabled(false);
        styler.setYAxisLogarithmic(true);
        styler.setYAxisMin(yMin);
        styler.setYAxisMax(yMax);
        styler.setAvailableSpaceFill(0.7);
        styler.setOverlapped(false);
        styler.setAntiAlias(true);
        int index = 0;
        for (java.util.Map.Entry<String, double[]> e : series.entrySet()) {
            List<Double> values = new java.util.ArrayList<>();
            for (double v : e.getValue()) {
                values.add(Double.isFinite(v) ? Math.max(v, yMin) : yMax);
            }
            org.knowm.xchart.CategorySeries s = chart.addSeries(e.getKey(), categories, values);
            s.setFillColor(Plots.color(index++));
        }
        for (Reference r : references) {
            List<Double> values = new java.util.ArrayList<>();
            for (int i = 0; i < categories.size(); i++) {
                values.add(r.value());
            }
            org.knowm.xchart.CategorySeries s = chart.addSeries(r.name(), categories, values);
            s.setChartCategorySeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
            s.setLineColor(r.color());
            s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f));
        }
        return org.knowm.xchart.BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * The images one under the other, each centred and keeping its own height, under an optional
     * bold title (none when null).
     */
    static BufferedImage stack(String title, List<BufferedImage> images) {
        int width = 0;
        int height = title == null ? 0 : 40;
        for (BufferedImage image : images) {
            width = Math.max(width, image.getWidth());
            height += image.getHeight();
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = 0;
            if (title != null) {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setFont(TITLE.deriveFont(17f));
                g.setColor(TEXT);
                g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2, 27);
                y = 40;
            }
            for (BufferedImage image : images) {
                g.drawImage(image, (width - image.getWidth()) / 2, y, null);
                y += image.getHeight();
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * A confusion matrix as a heat map: row {@code i} is the true class, column {@code j} the
     * predicted one; each cell shows its count and is shaded by the fraction of its row (its
     * true class), blue on the diagonal, red off it, so that the classes a model confuses stand
     * out. The right margin gives each class's recall (per-class accuracy).
     *
     * @param counts {@code counts[i][j]} examples of true class i predicted as j
     * @param names  the class names, in class order
     */
    static BufferedImage confusionMatrix(String title, int[][] counts, List<String> names) {
        int k = counts.length;
        if (names.size() != k) {
            throw new IllegalArgumentException(k + " classes but " + names.size() + " names");
        }
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(LABEL);
        int nameWidth = 0;
        for (String n : names) {
            nameWidth = Math.max(nameWidth, pg.getFontMetrics().stringWidth(n));
        }
        pg.dispose();
        int cell = k <= 10 ? 56 : Math.max(18, 560 / k);
        int left = nameWidth + 44;
        int top = 70;
        int right = 110;
        int bottom = nameWidth + 44;
        int width = left + k * cell + right;
        int height = top + k * cell + bottom;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(TITLE);
            g.setColor(TEXT);
            g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2, 24);
            g.setFont(LABEL);
            FontMetrics fm = g.getFontMetrics();
            String predicted = "predicted class";
            g.drawString(predicted, left + (k * cell - fm.stringWidth(predicted)) / 2, top - 14);
            g.setFont(k <= 10 ? SMALL : SMALL.deriveFont(9f));
            FontMetrics cm = g.getFontMetrics();
            for (int i = 0; i < k; i++) {
                long total = 0;
                for (int j = 0; j < k; j++) {
                    total += counts[i][j];
                }
                for (int j = 0; j < k; j++) {
                    double fraction = total == 0 ? 0 : (double) counts[i][j] / total;
                    Color base = i == j ? new Color(0x21, 0x66, 0xAC) : new Color(0xD7, 0x30, 0x27);
                    double strength = i == j ? fraction : Math.min(1.0, 4 * fraction);
                    g.setColor(blend(base, strength));
                    int x = left + j * cell;
                    int y = top + i * cell;
                    g.fillRect(x, y, cell, cell);
                    g.setColor(new Color(0xDD, 0xDD, 0xDD));
                    g.drawRect(x, y, cell, cell);
                    if (counts[i][j] > 0 && cell >= 30) {
                        String s = Integer.toString(counts[i][j]);
                        g.setColor(strength > 0.55 ? Color.WHITE : TEXT);
                        g.drawString(s, x + (cell - cm.stringWidth(s)) / 2, y + (cell + cm.getAscent()) / 2 - 2);
                    }
                }
                g.setColor(TEXT);
                double recall = total == 0 ? Double.NaN : (double) counts[i][i] / total;
                String r = String.format(Locale.ROOT, "%.1f %%", 100 * recall);
                g.drawString(r, left + k * cell + 12, top + i * cell + (cell + cm.getAscent()) / 2 - 2);
            }
            g.setFont(LABEL);
            fm = g.getFontMetrics();
            g.setColor(TEXT);
            g.drawString("recall", left + k * cell + 12, top - 14);
            for (int i = 0; i < k; i++) {
                String n = names.get(i);
                g.drawString(n, left - 10 - fm.stringWidth(n), top + i * cell + (cell + fm.getAscent()) / 2 - 2);
            }
            Graphics2D rotated = (Graphics2D) g.create();
            try {
                rotated.rotate(-Math.PI / 2);
                for (int j = 0; j < k; j++) {
                    String n = names.get(j);
                    int x = left + j * cell + (cell + fm.getAscent()) / 2 - 2;
                    rotated.drawString(n, -(top + k * cell + 10 + fm.stringWidth(n)), x);
                }
                String truth = "true class";
                rotated.drawString(truth, -(top + (k * cell + fm.stringWidth(truth)) / 2), 18);
            } finally {
                rotated.dispose();
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** {@code base} mixed with white: {@code strength} 0 is white, 1 is {@code base}. */
    private static Color blend(Color base, double strength) {
        double s = Math.max(0, Math.min(1, strength));
        return new Color((int) Math.round(255 + s * (base.getRed() - 255)), (int) Math.round(255 + s * (base.getGreen() - 255)),
                (int) Math.round(255 + s * (base.getBlue() - 255)));
    }
}
