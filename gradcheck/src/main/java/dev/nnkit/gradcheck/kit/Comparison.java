package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import dev.nnkit.gradcheck.kit.Numerics.Difference;
import java.util.ArrayList;
import java.util.List;

/**
 * The analytic-against-numeric comparisons of one check: how many agreed, which were skipped at a
 * kink, and the worst failure, the one farthest outside its tolerance (an error of 0.3 where
 * {@code 1e-6} is allowed is worse than one of {@code 4e-6}, although both fail).
 */
final class Comparison {

    private final String analyticName;
    private final String numericName;
    private final String unit;
    private final List<String> skipped = new ArrayList<>();
    private int compared;
    private int failed;
    private double largestPassing;
    private String worstWhere;
    private double worstAnalytic;
    private double worstCentral;
    private double worstExcess = -1;

    /**
     * @param analyticName what the plugin computed, e.g. {@code backward}
     * @param numericName  what it is compared with, e.g. {@code central difference}
     * @param unit         what is counted, e.g. {@code points} or {@code entries}
     */
    Comparison(String analyticName, String numericName, String unit) {
        this.analyticName = analyticName;
        this.numericName = numericName;
        this.unit = unit;
    }

    /** Compares {@code analytic} with the difference at {@code where}, or skips it at a kink. */
    void add(String where, double analytic, Difference d) {
        if (Double.isFinite(d.central()) && d.kink()) {
            skipped.add(where);
            return;
        }
        compared++;
        double excess = d.excess(analytic);
        if (excess > 1.0) {
            failed++;
            if (excess > worstExcess) {
                worstExcess = excess;
                worstWhere = where;
                worstAnalytic = analytic;
                worstCentral = d.central();
            }
        } else if (d.resolves(analytic)) {
            largestPassing = Math.max(largestPassing, Numerics.relativeError(analytic, d.central()));
        }
    }

    boolean failed() {
        return failed > 0;
    }

    /** E.g. "derivative at z=1: backward 0.9277, central difference 1.191, relative error 0.1243 > 1e-6 (...)". */
    String failure(String prefix, String context) {
        String[] shown = distinct(worstAnalytic, worstCentral);
        double error = Double.isFinite(worstAnalytic) && Double.isFinite(worstCentral)
                ? Numerics.relativeError(worstAnalytic, worstCentral) : Double.NaN;
        return prefix + worstWhere + ": " + analyticName + " " + shown[0] + ", " + numericName + " " + shown[1]
                + ", relative error " + fmt(error) + " > " + fmt(Numerics.RELATIVE_TOLERANCE) + " ("
                + (context.isEmpty() ? "" : context + "; ") + failed + " of " + (compared + skipped.size()) + " " + unit
                + " fail; the worst is shown)";
    }

    /**
     * E.g. "at 28 of 29 points (largest relative error 3e-10); skipped within a step of a kink: z=0".
     * The largest relative error is over the points where the slope is large enough for a relative
     * error to mean something; where round-off dominates (sigmoid's slope at z = 30), it does not.
     */
    String success() {
        return "at " + compared + " of " + (compared + skipped.size()) + " " + unit + " (largest relative error "
                + fmt(largestPassing) + ")" + (skipped.isEmpty() ? "" : "; skipped within a step of a kink: "
                + String.join(", ", skipped));
    }

    /** Both numbers with as many significant digits as it takes to tell them apart (at least 4). */
    static String[] distinct(double a, double b) {
        for (int digits = 4; digits < 17; digits++) {
            String x = Numerics.fmt(a, digits);
            String y = Numerics.fmt(b, digits);
            if (!x.equals(y) || a == b) {
                return new String[] {x, y};
            }
        }
        return new String[] {Double.toString(a), Double.toString(b)};
    }
}
