package dev.nnkit.gradcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.GradientCheckReport.ArraySummary;
import dev.nnkit.gradcheck.GradientCheckReport.Entry;
import dev.nnkit.gradcheck.GradientCheckReport.Verdict;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.StepContext.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The network gradient checker on hand-computed cases, planted bugs and its own mechanics (sampling,
 * restoring the network, settings), on test plugins that nnkit does not ship. The checker on the
 * shipped activations, initializers and regularizers (every loss, L2, dropout, ReLU kinks) is
 * tested in the integration-tests module.
 */
class GradientCheckerTest {

    private static final PluginRegistry REGISTRY = Fixtures.registry();
    private static final GradientChecker CHECKER = GradientChecker.defaults();

    private static Network network(int inputs, String loss, LayerConfig... layers) {
        Network.Builder builder = Network.builder(inputs).registry(REGISTRY).initializer("fixture_rademacher").loss(loss).seed(5);
        for (LayerConfig layer : layers) {
            builder.layer(layer);
        }
        return builder.build();
    }

    private static LayerConfig dense(int units, String activation, String... regularizers) {
        return LayerConfig.dense(units).withActivation(activation).withRegularizers(regularizers);
    }

    // ---- MATH §6 worked example and plain functions ----

    @Test
    void workedExampleThetaSquaredAtThreeHasBothGradientsSix() {
        GradientCheckReport report = CHECKER.withEpsilon(1e-4).checkDerivative(t -> t * t, t -> 2 * t, 3.0);

        Entry entry = report.entries().get(0);
        assertEquals(1, report.entries().size());
        assertEquals(6.0, entry.analytic());
        // (3.0001^2 - 2.9999^2) / (2 * 1e-4) = 6 exactly; the only error is the rounding of the
        // two squares (an ulp of 9, 1.8e-15) divided by the step 2e-4: about 1e-11.
        assertEquals(6.0, entry.numeric(), 1e-9);
        assertEquals("theta (0, 0)", entry.location());
        assertFalse(entry.kinkAffected());
        assertEquals(Verdict.CORRECT, report.verdict());
        assertTrue(report.toString().contains("verdict: CORRECT"), report::toString);
    }

    @Test
    void aWrongPartialDerivativeOfAFunctionIsWrongAtItsIndex() {
        double[] theta = {0.5, -1.25, 2.0, 0.75};
        double[] before = theta.clone();
        ToDoubleFunction<double[]> cubes = t -> {
            double sum = 0.0;
            for (double v : t) {
                sum += v * v * v;
            }
            return sum;
        };
        Function<double[], double[]> planted = t -> {
            double[] g = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                g[i] = (i == 2 ? 2.0 : 3.0) * t[i] * t[i];
            }
            return g;
        };

        GradientCheckReport report = CHECKER.checkFunction(cubes, planted, theta);

        assertArrayEquals(before, theta);
        assertEquals(Verdict.WRONG, report.verdict());
        Entry worst = report.worstEntry().orElseThrow();
        assertEquals(2, worst.row());
        // |12 - 8| / (12 + 8)
        assertEquals(0.2, worst.relativeError(), 1e-8);
        for (Entry e : report.entries()) {
            if (e.row() != 2) {
                assertTrue(e.relativeError() < 1e-7, e::toString);
            }
        }
    }

    // ---- a correct network ----

    @Test
    void numericAndAnalyticGradientsAreThoseOfTheNetwork() {
        Network net = network(3, "mean_squared_error", dense(4, "fixture_arctan"), dense(1, "fixture_arctan"));
        Dataset data = Fixtures.data(3, 1, 5, 3);
        GradientCheckReport report = CHECKER.check(net, data);
        assertTrue(report.verdict().passes(), report::toString);

        net.computeGradients(data);
        DMatrixRMaj dW = net.parameters(1).get(0).gradient().copy();
        Entry entry = report.entries().stream()
                .filter(e -> e.location().equals("W[1] (2, 1)")).findFirst().orElseThrow();
        assertEquals(dW.get(2, 1), entry.analytic());

        double h = 1e-6;
        DMatrixRMaj w = net.parameter(1, "W");
        double saved = w.get(2, 1);
        w.set(2, 1, saved + h);
        net.setParameter(1, "W", w);
        double plus = net.cost(data, Mode.CHECKING);
        w.set(2, 1, saved - h);
        net.setParameter(1, "W", w);
        double minus = net.cost(data, Mode.CHECKING);
        w.set(2, 1, saved);
        net.setParameter(1, "W", w);
        assertEquals((plus - minus) / (2 * h), entry.numeric(), 1e-9 * Math.abs(entry.numeric()));
    }

    // ---- planted bugs ----

    @Test
    void aWrongActivationDerivativeIsWrongAndLocatedInItsLayer() {
        Network net = network(3, "mean_squared_error",
                dense(4, "fixture_arctan_bad"), dense(3, "fixture_arctan"), dense(1, "fixture_arctan"));
        GradientCheckReport report = CHECKER.check(net, Fixtures.data(3, 1, 6, 8));

        assertEquals(Verdict.WRONG, report.verdict(), report::toString);
        assertEquals(1, report.worstEntry().orElseThrow().layer(), report::toString);
        assertEquals(Verdict.WRONG, report.array(1, "W").verdict());
        assertEquals(Verdict.WRONG, report.array(1, "b").verdict());
        for (int l = 2; l <= 3; l++) {
            assertTrue(report.array(l, "W").verdict().passes(), report::toString);
            assertTrue(report.array(l, "b").verdict().passes(), report::toString);
        }
        Entry worst = report.worstEntry().orElseThrow();
        assertTrue(report.toString().contains("verdict: WRONG (worst relative error")
                && report.toString().contains("at " + worst.location()), report::toString);
    }

    @Test
    void aWrongDerivativeInTheMiddleLeavesLaterLayersCorrect() {
        Network net = network(3, "mean_squared_error",
                dense(4, "fixture_arctan"), dense(3, "fixture_arctan_bad"), dense(2, "fixture_arctan"));
        GradientCheckReport report = CHECKER.check(net, Fixtures.data(3, 2, 6, 9));

        assertEquals(Verdict.WRONG, report.verdict());
        assertEquals(Verdict.WRONG, report.array(2, "W").verdict(), report::toString);
        assertTrue(report.array(3, "W").verdict().passes(), report::toString);
        assertTrue(report.array(3, "b").verdict().passes(), report::toString);
        assertTrue(report.worstEntry().orElseThrow().layer() <= 2);
    }

    // ---- regularizers ----

    @Test
    void aRegularizerThatForgetsItsPenaltyGradientIsWrongInTheWeights() {
        String forgetful = "fixture_quartic_forgetful(lambda=0.7)";
        Network net = network(3, "mean_squared_error",
                dense(4, "fixture_arctan", forgetful), dense(1, "fixture_arctan", forgetful));
        GradientCheckReport report = CHECKER.check(net, Fixtures.data(3, 1, 6, 4));

        assertEquals(Verdict.WRONG, report.verdict(), report::toString);
        assertEquals("W", report.worstEntry().orElseThrow().parameter());
        assertEquals(Verdict.WRONG, report.array(1, "W").verdict());
        assertEquals(Verdict.WRONG, report.array(2, "W").verdict());
        assertTrue(report.array(1, "b").verdict().passes(), report::toString);
        assertTrue(report.array(2, "b").verdict().passes(), report::toString);
    }

    // ---- sampling ----

    @Test
    void samplingChecksExactlyNEntriesPerArrayDeterministicallyBySeed() {
        Network net = network(4, "mean_squared_error",
                dense(5, "fixture_arctan"), dense(3, "fixture_arctan"), dense(1, "fixture_arctan"));
        Dataset data = Fixtures.data(4, 1, 5, 12);
        GradientCheckReport full = CHECKER.check(net, data);

        GradientCheckReport sample = CHECKER.withSampling(4, 11).check(net, data);

        // Array sizes 20, 5, 15, 3, 3, 1: at most 4 of each.
        assertEquals(List.of(4, 4, 4, 3, 3, 1), sample.arrays().stream().map(ArraySummary::checked).toList());
        assertEquals(19, sample.entries().size());
        assertEquals(sample, CHECKER.withSampling(4, 11).check(net, data));
        assertNotEquals(locations(sample), locations(CHECKER.withSampling(4, 12).check(net, data)));
        // Each sampled entry is the full check's entry at the same place, and no place is drawn twice.
        assertTrue(full.entries().containsAll(sample.entries()));
        assertEquals(sample.entries().size(), Set.copyOf(locations(sample)).size());
        assertTrue(sample.toString().contains("19 of 47 entries checked (up to 4 per array, seed 11)"), sample::toString);
    }

    private static List<String> locations(GradientCheckReport report) {
        return report.entries().stream().map(Entry::location).toList();
    }

    // ---- the network is left as it was ----

    @Test
    void parametersAreRestoredWhenACheckFailsHalfway() {
        Network net = network(3, "mean_squared_error", dense(4, "fixture_arctan"), dense(1, "fixture_arctan"));
        DMatrixRMaj w = net.parameter(2, "W");
        w.set(0, 2, 1e20);
        net.setParameter(2, "W", w);
        List<long[]> before = bits(net);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CHECKER.check(net, Fixtures.data(3, 1, 4, 1)));

        assertTrue(e.getMessage().contains("epsilon=1.0E-6 is below the resolution of W[2] (0, 2) = 1.0E20"),
                e.getMessage());
        assertBitsEqual(before, bits(net));
    }

    private static List<long[]> bits(Network net) {
        List<long[]> out = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            for (DMatrixRMaj m : List.of(p.value(), p.gradient())) {
                long[] raw = new long[m.getNumElements()];
                for (int k = 0; k < raw.length; k++) {
                    raw[k] = Double.doubleToRawLongBits(m.data[k]);
                }
                out.add(raw);
            }
        }
        return out;
    }

    private static void assertBitsEqual(List<long[]> expected, List<long[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int k = 0; k < expected.size(); k++) {
            assertArrayEquals(expected.get(k), actual.get(k), "array " + k);
        }
    }

    // ---- configuration ----

    @Test
    void badSettingsAreRefusedWithTheValueAndTheRule() {
        assertEquals("epsilon=0.0; epsilon must be finite and > 0, e.g. 1.0E-6",
                assertThrows(IllegalArgumentException.class, () -> CHECKER.withEpsilon(0.0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CHECKER.withEpsilon(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> CHECKER.withEpsilon(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> CHECKER.withAbsoluteFloor(-1e-8));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CHECKER.withSampling(0, 1)).getMessage()
                .startsWith("entriesPerArray=0;"));
        assertThrows(IllegalArgumentException.class,
                () -> CHECKER.checkFunction(t -> 0.0, t -> new double[2], 1.0));
    }

    @Test
    void withersLeaveTheOriginalUnchanged() {
        GradientChecker sampled = CHECKER.withEpsilon(1e-5).withAbsoluteFloor(0.0).withSampling(3, 9);
        assertEquals(1e-6, CHECKER.epsilon());
        assertEquals(1e-8, CHECKER.absoluteFloor());
        assertEquals(0, CHECKER.entriesPerArray());
        assertEquals(1e-5, sampled.epsilon());
        assertEquals(0.0, sampled.absoluteFloor());
        assertEquals(3, sampled.entriesPerArray());
        assertEquals(9, sampled.seed());
        assertEquals(0, sampled.withoutSampling().entriesPerArray());
        assertEquals("GradientChecker(epsilon=1.0E-5, absoluteFloor=0.0, 3 entries per array, seed 9)", sampled.toString());
    }
}
