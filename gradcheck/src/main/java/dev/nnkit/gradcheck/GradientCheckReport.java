package dev.nnkit.gradcheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a {@link GradientChecker} run: an immutable value that tests assert on and that
 * prints as a compact human-readable report ({@link #toString()}).
 *
 * <p>What it holds:
 * <ul>
 *   <li>{@link #entries()}: every checked entry with its layer, parameter, {@code (row, column)},
 *       the numeric and back-propagated gradients, the relative error
 *       {@code |num - bp| / (|num| + |bp|)}, whether {@code |num - bp|} is within the absolute floor
 *       (then the entry counts as agreeing whatever its relative error: where both gradients are
 *       about 0 the ratio is round-off over round-off) and whether it is kink-affected;</li>
 *   <li>{@link #arrays()}: per parameter array ({@code W[1]}, {@code b[1]}, ...) the number of entries
 *       checked and the max and median relative error of its entries that are not kink-affected;</li>
 *   <li>{@link #vectorRelativeError()}: MATH §6's vector form
 *       {@code ||num - bp||_2 / (||num||_2 + ||bp||_2)} over every checked entry that is not
 *       kink-affected (raw values, no floor);</li>
 *   <li>{@link #verdict()}: the band of the <em>worst</em> {@linkplain Entry#verdictError() verdict
 *       error} (the relative error, or 0 within the absolute floor) among the entries that are not
 *       kink-affected. The worst entry decides, not the vector form, because the vector form is
 *       dominated by the largest gradients: a wrong bias gradient, or a wrong derivative in an early
 *       layer whose gradients are small, can leave the vector form small enough to pass while
 *       every one of its entries is off by 100%. The worst entry also names where to look;</li>
 *   <li>{@link #kinkAffectedEntries()} (reported apart, never deciding the verdict) and
 *       {@link #disabledRegularizers()} (active {@link dev.nnkit.spi.ActivationTransform}s, the
 *       identity in the check's {@code CHECKING} passes, e.g. {@code layer 1: dropout(keep_prob=0.5)}).</li>
 * </ul>
 */
public final class GradientCheckReport {

    /**
     * The bands of MATH §6 for a relative error {@code r}: correct {@code r < 1e-7}, acceptable
     * {@code r < 1e-4} (round-off), suspicious {@code r < 1e-2} (check the code), wrong otherwise
     * (NaN included).
     */
    public enum Verdict {
        /** {@code r < 1e-7}: the gradients agree to round-off. */
        CORRECT(1e-7),
        /** {@code 1e-7 <= r < 1e-4}: agreement within the round-off of a longer computation. */
        ACCEPTABLE(1e-4),
        /** {@code 1e-4 <= r < 1e-2}: probably a bug, or a kink the checker could not see; check the code. */
        SUSPICIOUS(1e-2),
        /** {@code r >= 1e-2} or NaN: the back-propagated gradient is wrong. */
        WRONG(Double.POSITIVE_INFINITY);

        private final double upperBound;

        Verdict(double upperBound) {
            this.upperBound = upperBound;
        }

        /** The exclusive upper bound of the band; infinite for {@link #WRONG}. */
        public double upperBound() {
            return upperBound;
        }

        /** Whether this is {@link #CORRECT} or {@link #ACCEPTABLE}. */
        public boolean passes() {
            return this == CORRECT || this == ACCEPTABLE;
        }

        /** The band of relative error {@code r}; NaN is {@link #WRONG}. */
        public static Verdict of(double r) {
            for (Verdict v : values()) {
                if (r < v.upperBound) {
                    return v;
                }
            }
            return WRONG;
        }
    }

    /**
     * One checked parameter entry.
     *
     * @param layer         the layer {@code l} (1..L), or 0 for the parameter vector of a plain function
     * @param parameter     the parameter's name in its layer, e.g. {@code W} or {@code b}
     * @param row           the row of the entry in the parameter array
     * @param column        the column of the entry
     * @param numeric       the two-sided difference quotient of the cost
     * @param analytic      the back-propagated gradient
     * @param relativeError {@code |numeric - analytic| / (|numeric| + |analytic|)}; 0 when both are
     *                      0; infinite when either gradient is NaN or infinite
     * @param withinFloor   whether {@code |numeric - analytic|} is at most the absolute floor, so that
     *                      the entry counts as agreeing whatever its relative error
     * @param kinkAffected  whether moving the entry by {@code +-eps} moved a pre-activation across a
     *                      kink of its layer's activation
     */
    public record Entry(int layer, String parameter, int row, int column, double numeric, double analytic,
            double relativeError, boolean withinFloor, boolean kinkAffected) {

        /** Refuses a missing parameter name. */
        public Entry {
            Objects.requireNonNull(parameter, "parameter");
        }

        /** The error the verdict sees: {@link #relativeError()}, or 0 when {@link #withinFloor()}. */
        public double verdictError() {
            return withinFloor ? 0.0 : relativeError;
        }

        /** {@code |numeric - analytic|}. */
        public double absoluteError() {
            return Math.abs(numeric - analytic);
        }

        /** The array the entry belongs to, e.g. {@code W[2]} ({@code theta} for a plain function). */
        public String array() {
            return arrayName(layer, parameter);
        }

        /** The array and index, e.g. {@code W[2] (0, 3)}. */
        public String location() {
            return array() + " (" + row + ", " + column + ")";
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: numeric %.10e, backprop %.10e, relative error %.1e%s%s", location(),
                    numeric, analytic, relativeError, withinFloor ? " (within the absolute floor)" : "",
                    kinkAffected ? " (kink-affected)" : "");
        }
    }

    /**
     * The summary of one parameter array.
     *
     * @param layer              the layer {@code l} (0 for a plain function)
     * @param parameter          the parameter's name, e.g. {@code W}
     * @param rows               the array's rows
     * @param columns            the array's columns
     * @param checked            the number of its entries checked (kink-affected ones included)
     * @param kinkAffected       how many of those were kink-affected
     * @param floored            how many entries that are not kink-affected the absolute floor lifted
     *                           into the correct band (relative error {@code >= 1e-7}, within the floor)
     * @param maxRelativeError   the largest relative error of its entries that are not kink-affected;
     *                           NaN when there is none
     * @param medianRelativeError the median relative error of the same entries; NaN when there is none
     * @param verdict            the band of the largest {@linkplain Entry#verdictError() verdict error}
     *                           of the same entries; {@link Verdict#SUSPICIOUS} when there is none
     */
    public record ArraySummary(int layer, String parameter, int rows, int columns, int checked, int kinkAffected,
            int floored, double maxRelativeError, double medianRelativeError, Verdict verdict) {

        /** Refuses a missing parameter name. */
        public ArraySummary {
            Objects.requireNonNull(parameter, "parameter");
            Objects.requireNonNull(verdict, "verdict");
        }

        /** E.g. {@code W[1]}. */
        public String name() {
            return arrayName(layer, parameter);
        }
    }

    /**
     * A regularizer that is an active {@link dev.nnkit.spi.ActivationTransform} (e.g. dropout), the
     * identity in the {@code CHECKING} passes of the check.
     *
     * @param layer       the layer it is attached to
     * @param regularizer its spec string, e.g. {@code dropout(keep_prob=0.5)}
     */
    public record DisabledRegularizer(int layer, String regularizer) {

        /** Refuses a missing regularizer spec. */
        public DisabledRegularizer {
            Objects.requireNonNull(regularizer, "regularizer");
        }

        /** E.g. {@code layer 1: dropout(keep_prob=0.5)}. */
        @Override
        public String toString() {
            return "layer " + layer + ": " + regularizer;
        }
    }

    /** The shape of one parameter array, in the order of the network. */
    record Shape(int layer, String parameter, int rows, int columns) {
    }

    private static final int SHOWN = 5;

    private final String subject;
    private final double epsilon;
    private final double absoluteFloor;
    private final int entriesPerArray;
    private final long seed;
    private final List<Shape> shapes;
    private final List<Entry> entries;
    private final List<DisabledRegularizer> disabled;

    private final List<ArraySummary> arrays;
    private final List<Entry> judged;
    private final List<Entry> kinkAffected;
    private final double vectorRelativeError;
    private final Verdict verdict;

    GradientCheckReport(String subject, double epsilon, double absoluteFloor, int entriesPerArray, long seed,
            List<Shape> shapes, List<Entry> entries, List<DisabledRegularizer> disabled) {
        this.subject = subject;
        this.epsilon = epsilon;
        this.absoluteFloor = absoluteFloor;
        this.entriesPerArray = entriesPerArray;
        this.seed = seed;
        this.shapes = List.copyOf(shapes);
        this.entries = List.copyOf(entries);
        this.disabled = List.copyOf(disabled);
        this.judged = this.entries.stream().filter(e -> !e.kinkAffected()).toList();
        this.kinkAffected = this.entries.stream().filter(Entry::kinkAffected).toList();
        List<ArraySummary> summaries = new ArrayList<>();
        for (Shape s : this.shapes) {
            summaries.add(summarize(s));
        }
        this.arrays = List.copyOf(summaries);
        this.vectorRelativeError = vectorForm(judged);
        this.verdict = judged.isEmpty() ? Verdict.SUSPICIOUS : Verdict.of(verdictError());
    }

    /**
     * The entry of a check: its relative error {@code |num - bp| / (|num| + |bp|)} (0 when both are 0,
     * infinite when either is NaN or infinite) and whether {@code |num - bp| <= floor}.
     */
    static Entry entry(int layer, String parameter, int row, int column, double numeric, double analytic,
            double floor, boolean kinkAffected) {
        double difference = Math.abs(numeric - analytic);
        double r;
        if (Double.isNaN(difference)) {
            r = Double.POSITIVE_INFINITY;
        } else if (difference == 0.0) {
            r = 0.0;
        } else {
            r = difference / (Math.abs(numeric) + Math.abs(analytic));
            r = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
        }
        return new Entry(layer, parameter, row, column, numeric, analytic, r, difference <= floor, kinkAffected);
    }

    private ArraySummary summarize(Shape s) {
        int checked = 0;
        int kinks = 0;
        int floored = 0;
        double worst = 0.0;
        double[] errors = new double[entries.size()];
        int judgedCount = 0;
        for (Entry e : entries) {
            if (e.layer() == s.layer() && e.parameter().equals(s.parameter())) {
                checked++;
                if (e.kinkAffected()) {
                    kinks++;
                } else {
                    errors[judgedCount++] = e.relativeError();
                    worst = Math.max(worst, e.verdictError());
                    if (e.withinFloor() && !(e.relativeError() < Verdict.CORRECT.upperBound())) {
                        floored++;
                    }
                }
            }
        }
        double max = Double.NaN;
        double median = Double.NaN;
        if (judgedCount > 0) {
            double[] sorted = Arrays.copyOf(errors, judgedCount);
            Arrays.sort(sorted);
            max = sorted[judgedCount - 1];
            median = judgedCount % 2 == 1 ? sorted[judgedCount / 2]
                    : 0.5 * (sorted[judgedCount / 2 - 1] + sorted[judgedCount / 2]);
        }
        return new ArraySummary(s.layer(), s.parameter(), s.rows(), s.columns(), checked, kinks, floored, max, median,
                judgedCount == 0 ? Verdict.SUSPICIOUS : Verdict.of(worst));
    }

    private static double vectorForm(List<Entry> entries) {
        double difference = 0.0;
        double numeric = 0.0;
        double analytic = 0.0;
        for (Entry e : entries) {
            double d = e.numeric() - e.analytic();
            difference += d * d;
            numeric += e.numeric() * e.numeric();
            analytic += e.analytic() * e.analytic();
        }
        double denominator = Math.sqrt(numeric) + Math.sqrt(analytic);
        return denominator == 0.0 ? 0.0 : Math.sqrt(difference) / denominator;
    }

    private static String arrayName(int layer, String parameter) {
        return layer == 0 ? parameter : parameter + "[" + layer + "]";
    }

    /** What was checked, e.g. {@code 2-3(tanh)-1(sigmoid), binary_cross_entropy; m = 8 examples}. */
    public String subject() {
        return subject;
    }

    /** The step {@code eps} used. */
    public double epsilon() {
        return epsilon;
    }

    /** The absolute floor on {@code |num - bp|} used. */
    public double absoluteFloor() {
        return absoluteFloor;
    }

    /** The sample size per array, or 0 when every entry was checked. */
    public int entriesPerArray() {
        return entriesPerArray;
    }

    /** Every checked entry, array by array in network order, each array's entries in row-major order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The checked entries that are not kink-affected: those the verdict is taken over. */
    public List<Entry> judgedEntries() {
        return judged;
    }

    /** The kink-affected entries, which do not decide the verdict. */
    public List<Entry> kinkAffectedEntries() {
        return kinkAffected;
    }

    /** One summary per parameter array, in network order ({@code W[1], b[1], W[2], ...}). */
    public List<ArraySummary> arrays() {
        return arrays;
    }

    /**
     * The summary of array {@code parameter} of layer {@code layer}, e.g. {@code array(1, "W")}.
     *
     * @throws IllegalArgumentException when there is no such array
     */
    public ArraySummary array(int layer, String parameter) {
        for (ArraySummary a : arrays) {
            if (a.layer() == layer && a.parameter().equals(parameter)) {
                return a;
            }
        }
        throw new IllegalArgumentException("the report has no array " + arrayName(layer, parameter) + "; it has "
                + String.join(", ", arrays.stream().map(ArraySummary::name).toList()));
    }

    /** The regularizers acting on activations that were switched off during the check. */
    public List<DisabledRegularizer> disabledRegularizers() {
        return disabled;
    }

    /**
     * MATH §6's vector form {@code ||num - bp||_2 / (||num||_2 + ||bp||_2)} over the
     * {@linkplain #judgedEntries() judged entries}; 0 when both vectors are 0.
     */
    public double vectorRelativeError() {
        return vectorRelativeError;
    }

    /** The largest relative error among the judged entries; 0 when there is none. */
    public double maxRelativeError() {
        return judged.stream().mapToDouble(Entry::relativeError).max().orElse(0.0);
    }

    /**
     * The largest {@linkplain Entry#verdictError() verdict error} among the judged entries (0 when
     * there is none): what decides the {@link #verdict()}.
     */
    public double verdictError() {
        return judged.stream().mapToDouble(Entry::verdictError).max().orElse(0.0);
    }

    /**
     * The band of {@link #verdictError()}. When every checked entry is kink-affected nothing
     * vouches for the gradient and the verdict is {@link Verdict#SUSPICIOUS} (check again with other
     * data or a smaller epsilon).
     */
    public Verdict verdict() {
        return verdict;
    }

    /** The first of {@link #worstEntries}: the judged entry that decides the verdict. */
    public Optional<Entry> worstEntry() {
        List<Entry> worst = worstEntries(1);
        return worst.isEmpty() ? Optional.empty() : Optional.of(worst.get(0));
    }

    /**
     * Up to {@code count} judged entries, worst first: by {@linkplain Entry#verdictError() verdict
     * error}, then by relative error (so entries within the floor come after those that are not),
     * ties in network order.
     */
    public List<Entry> worstEntries(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count=" + count + "; it must be >= 0");
        }
        return judged.stream()
                .sorted(Comparator.comparingDouble(Entry::verdictError).thenComparingDouble(Entry::relativeError).reversed())
                .limit(count)
                .toList();
    }

    /**
     * The report for humans: what was checked, the disabled regularizers, one row per parameter
     * array, the worst entries, the kink-affected ones, the vector form and the verdict line.
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append("Gradient check of ").append(subject).append('\n');
        int total = 0;
        for (Shape s : shapes) {
            total += s.rows() * s.columns();
        }
        out.append(String.format(Locale.ROOT, "epsilon %.1e, absolute floor %.1e, ", epsilon, absoluteFloor));
        if (entriesPerArray == 0) {
            out.append("every entry checked (").append(entries.size()).append(")\n");
        } else {
            out.append(entries.size()).append(" of ").append(total).append(" entries checked (up to ")
                    .append(entriesPerArray).append(" per array, seed ").append(seed).append(")\n");
        }
        if (!disabled.isEmpty()) {
            out.append("switched off while checking: ")
                    .append(String.join(", ", disabled.stream().map(DisabledRegularizer::toString).toList()))
                    .append('\n');
        }
        int nameWidth = "array".length();
        int shapeWidth = "shape".length();
        for (ArraySummary a : arrays) {
            nameWidth = Math.max(nameWidth, a.name().length());
            shapeWidth = Math.max(shapeWidth, shape(a).length());
        }
        String row = "  %-" + nameWidth + "s  %-" + shapeWidth + "s  %7s  %4s  %7s  %11s  %14s  %s%n";
        out.append(String.format(Locale.ROOT, row, "array", "shape", "checked", "kink", "floored", "max rel err",
                "median rel err", "band"));
        for (ArraySummary a : arrays) {
            out.append(String.format(Locale.ROOT, row, a.name(), shape(a), a.checked(), a.kinkAffected(), a.floored(),
                    error(a.maxRelativeError()), error(a.medianRelativeError()),
                    Double.isNaN(a.maxRelativeError()) ? "-" : a.verdict().name().toLowerCase(Locale.ROOT)));
        }
        List<Entry> worst = worstEntries(SHOWN);
        out.append("worst entries (relative error |num - bp| / (|num| + |bp|)):\n");
        appendEntries(out, worst, judged.size(), absoluteFloor);
        if (!kinkAffected.isEmpty()) {
            out.append("kink-affected entries (a pre-activation crosses a kink within +-eps; not judged):\n");
            appendEntries(out, kinkAffected, kinkAffected.size(), absoluteFloor);
        }
        out.append(String.format(Locale.ROOT, "vector form ||num - bp|| / (||num|| + ||bp||) = %s (%s)%n",
                error(vectorRelativeError), Verdict.of(vectorRelativeError).name().toLowerCase(Locale.ROOT)));
        out.append("verdict: ").append(verdict);
        if (judged.isEmpty()) {
            out.append(" (every checked entry is kink-affected; nothing vouches for the gradient)");
        } else {
            Entry w = worst.get(0);
            out.append(" (worst relative error ").append(error(w.relativeError())).append(" at ").append(w.location());
            if (w.verdictError() == 0.0) {
                out.append(String.format(Locale.ROOT, "; every |num - bp| <= absolute floor %.1e)", absoluteFloor));
            } else {
                out.append(verdict == Verdict.WRONG ? "; >= 1.0e-02)" : "; < " + error(verdict.upperBound()) + ")");
            }
        }
        return out.toString();
    }

    private static void appendEntries(StringBuilder out, List<Entry> shown, int of, double floor) {
        if (shown.isEmpty()) {
            out.append("  none\n");
            return;
        }
        int width = 0;
        for (Entry e : shown) {
            width = Math.max(width, e.location().length());
        }
        int count = Math.min(shown.size(), SHOWN);
        for (Entry e : shown.subList(0, count)) {
            out.append(String.format(Locale.ROOT, "  %-" + width + "s  numeric % .10e  backprop % .10e  rel err %s",
                    e.location(), e.numeric(), e.analytic(), error(e.relativeError())));
            if (e.withinFloor() && !(e.relativeError() < Verdict.CORRECT.upperBound())) {
                out.append(String.format(Locale.ROOT, "  (|num - bp| = %.1e <= floor %.1e)", e.absoluteError(), floor));
            }
            out.append('\n');
        }
        if (of > count) {
            out.append("  ... ").append(of - count).append(" more\n");
        }
    }

    private static String shape(ArraySummary a) {
        return "(" + a.rows() + ", " + a.columns() + ")";
    }

    private static String error(double e) {
        return Double.isNaN(e) ? "-" : String.format(Locale.ROOT, "%.1e", e);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GradientCheckReport r && subject.equals(r.subject)
                && Double.compare(epsilon, r.epsilon) == 0 && Double.compare(absoluteFloor, r.absoluteFloor) == 0
                && entriesPerArray == r.entriesPerArray && seed == r.seed && shapes.equals(r.shapes)
                && entries.equals(r.entries) && disabled.equals(r.disabled);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subject, epsilon, absoluteFloor, entriesPerArray, seed, shapes, entries, disabled);
    }
}
