package dev.nnkit.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.GradientCheckReport.ArraySummary;
import dev.nnkit.gradcheck.GradientCheckReport.Entry;
import dev.nnkit.gradcheck.GradientCheckReport.Verdict;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's quantities recomputed independently from its entries, its bands and its text. */
class GradientCheckReportTest {

    private static final Dataset DATA = Fixtures.data(3, 2, 6, 31);

    private static Network network(String hidden) {
        return Network.builder(3).registry(Fixtures.registry()).initializer("fixture_rademacher")
                .layer(LayerConfig.dense(4).withActivation(hidden))
                .layer(LayerConfig.dense(2).withActivation("fixture_arctan"))
                .loss("mean_squared_error").seed(2).build();
    }

    @Test
    void verdictBandsFollowSpecSection6() {
        assertEquals(Verdict.CORRECT, Verdict.of(0.0));
        assertEquals(Verdict.CORRECT, Verdict.of(9.99e-8));
        assertEquals(Verdict.ACCEPTABLE, Verdict.of(1e-7));
        assertEquals(Verdict.ACCEPTABLE, Verdict.of(9.99e-5));
        assertEquals(Verdict.SUSPICIOUS, Verdict.of(1e-4));
        assertEquals(Verdict.SUSPICIOUS, Verdict.of(9.99e-3));
        assertEquals(Verdict.WRONG, Verdict.of(1e-2));
        assertEquals(Verdict.WRONG, Verdict.of(Double.POSITIVE_INFINITY));
        assertEquals(Verdict.WRONG, Verdict.of(Double.NaN));
        assertTrue(Verdict.CORRECT.passes() && Verdict.ACCEPTABLE.passes());
        assertTrue(!Verdict.SUSPICIOUS.passes() && !Verdict.WRONG.passes());
    }

    private static Entry entry(double numeric, double analytic, double floor) {
        return GradientCheckReport.entry(1, "W", 0, 0, numeric, analytic, floor, false);
    }

    @Test
    void relativeErrorHasAnAbsoluteFloorAndNeverHidesANaN() {
        Entry plain = entry(3.0, 5.0, 1e-8);
        assertEquals(0.25, plain.relativeError(), 1e-15);
        assertEquals(0.25, plain.verdictError(), 1e-15);
        assertEquals(2.0, plain.absoluteError());

        Entry tiny = entry(1e-10, 0.0, 1e-8);
        assertEquals(1.0, tiny.relativeError());
        assertTrue(tiny.withinFloor());
        assertEquals(0.0, tiny.verdictError());
        assertEquals(1.0, entry(1e-10, 0.0, 0.0).verdictError());
        assertEquals(0.0, entry(0.0, 0.0, 0.0).verdictError());

        assertEquals(Double.POSITIVE_INFINITY, entry(Double.NaN, 1.0, 1e-8).verdictError());
        assertEquals(Double.POSITIVE_INFINITY, entry(Double.POSITIVE_INFINITY, 1.0, 1e-8).verdictError());
        assertEquals(Double.POSITIVE_INFINITY, entry(1.0, Double.NaN, 1e30).verdictError());
    }

    @Test
    void summariesAndTheVectorFormAreThoseOfTheEntries() {
        GradientCheckReport report = GradientChecker.defaults().check(network("fixture_arctan_bad"), DATA);

        double[] errors = report.entries().stream().filter(e -> e.array().equals("W[1]"))
                .mapToDouble(Entry::relativeError).sorted().toArray();
        ArraySummary w1 = report.array(1, "W");
        assertEquals(12, errors.length);
        assertEquals(12, w1.checked());
        assertEquals(errors[11], w1.maxRelativeError());
        assertEquals((errors[5] + errors[6]) / 2, w1.medianRelativeError());
        assertEquals(4, report.array(1, "b").rows());
        assertEquals(1, report.array(1, "b").columns());

        double diff = 0;
        double num = 0;
        double bp = 0;
        for (Entry e : report.entries()) {
            diff += (e.numeric() - e.analytic()) * (e.numeric() - e.analytic());
            num += e.numeric() * e.numeric();
            bp += e.analytic() * e.analytic();
        }
        assertEquals(Math.sqrt(diff) / (Math.sqrt(num) + Math.sqrt(bp)), report.vectorRelativeError(), 1e-15);

        double[] all = report.entries().stream().mapToDouble(Entry::relativeError).toArray();
        assertEquals(Arrays.stream(all).max().orElseThrow(), report.maxRelativeError());
        double[] judged = report.entries().stream().mapToDouble(Entry::verdictError).toArray();
        assertEquals(Arrays.stream(judged).max().orElseThrow(), report.verdictError());
        assertEquals(Verdict.of(report.verdictError()), report.verdict());
        assertEquals(Verdict.WRONG, report.verdict());
        List<Entry> worst = report.worstEntries(30);
        assertEquals(26, worst.size());
        for (int k = 1; k < worst.size(); k++) {
            Entry before = worst.get(k - 1);
            Entry after = worst.get(k);
            assertTrue(before.verdictError() > after.verdictError() || before.verdictError() == after.verdictError()
                    && before.relativeError() >= after.relativeError(), before + " before " + after);
        }
        assertEquals(worst.get(0), report.worstEntry().orElseThrow());
    }

    @Test
    void theTextNamesEveryArrayTheWorstEntriesAndTheVerdict() {
        GradientCheckReport report = GradientChecker.defaults().check(network("fixture_arctan"), DATA);
        String text = report.toString();
        String[] lines = text.split("\n");

        assertTrue(lines[0].startsWith("Gradient check of 3-4(fixture_arctan)-2(fixture_arctan), mean_squared_error; m = 6"),
                text);
        assertTrue(lines[1].equals("epsilon 1.0e-06, absolute floor 1.0e-08, every entry checked (26)"), text);
        assertTrue(lines[2].trim().startsWith("array"), text);
        for (String array : List.of("W[1]", "b[1]", "W[2]", "b[2]")) {
            assertTrue(text.contains("\n  " + array + " "), text);
        }
        assertTrue(text.contains("worst entries"), text);
        assertTrue(text.contains("vector form"), text);
        assertTrue(lines[lines.length - 1].startsWith("verdict: " + report.verdict() + " (worst relative error"), text);
        assertTrue(report.verdict().passes(), text);
    }

    @Test
    void reportsAreValuesAndNameTheirArrays() {
        GradientCheckReport a = GradientChecker.defaults().check(network("fixture_arctan"), DATA);
        GradientCheckReport b = GradientChecker.defaults().check(network("fixture_arctan"), DATA);

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.toString(), b.toString());
        assertThrows(UnsupportedOperationException.class, () -> a.entries().clear());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.array(3, "W"));
        assertEquals("the report has no array W[3]; it has W[1], b[1], W[2], b[2]", e.getMessage());
    }
}
