package dev.nnkit.layers;

import static dev.nnkit.layers.Support.bits;
import static dev.nnkit.layers.Support.separable;
import static dev.nnkit.layers.Support.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.GradientCheckReport;
import dev.nnkit.gradcheck.GradientChecker;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.StateArray;
import dev.nnkit.spi.StepContext.Mode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whole networks with batch normalization: {@link Network#computeGradients} against central
 * differences of {@link Network#cost(Dataset, Mode) cost(data, CHECKING)}, once with a plain loop
 * written here and once through the kit's {@link GradientChecker}.
 */
class BatchNormNetworkGradientTest {

    /** {@code 2 -> dense(4, identity) -> batch_norm (tanh) -> dense(3, identity) -> batch_norm (tanh) -> dense(1, sigmoid)}. */
    private static Network denseBatchNormDense(long seed) {
        Network net = Network.builder(2)
                .layer(LayerConfig.dense(4).withActivation("identity"))
                .layer(new LayerConfig("batch_norm(epsilon=0.001)", "tanh", null, null))
                .layer(LayerConfig.dense(3).withActivation("identity"))
                .layer(new LayerConfig("batch_norm(momentum=0.5)", "tanh", null, null))
                .dense(1, "sigmoid")
                .loss("binary_cross_entropy")
                .seed(seed)
                .build();
        moveScaleAndShift(net, seed);
        return net;
    }

    /** {@code 2 -> batch_norm (tanh) -> dense(1, sigmoid)}: batch normalization of the data itself. */
    private static Network batchNormFirst(long seed) {
        Network net = Network.builder(2)
                .layer(new LayerConfig("batch_norm", "tanh", null, null))
                .dense(1, "sigmoid")
                .loss("binary_cross_entropy")
                .seed(seed)
                .build();
        moveScaleAndShift(net, seed);
        return net;
    }

    /** gamma and beta away from 1 and 0, where a wrong term could hide. */
    private static void moveScaleAndShift(Network net, long seed) {
        for (int l = 1; l <= net.depth(); l++) {
            if (net.layer(l).toString().startsWith("batch_norm")) {
                int n = net.units(l);
                net.setParameter(l, "gamma", uniform(n, 1, 0.5, 1.5, seed + 10 * l));
                net.setParameter(l, "beta", uniform(n, 1, -0.5, 0.5, seed + 10 * l + 1));
            }
        }
    }

    private static List<long[]> stateBits(Network net) {
        List<long[]> all = new ArrayList<>();
        for (int l = 1; l <= net.depth(); l++) {
            for (StateArray s : net.state(l)) {
                all.add(bits(s.value()));
            }
        }
        return all;
    }

    private static void checkByHand(Network net, Dataset data) {
        List<long[]> state = stateBits(net);
        net.computeGradients(data);
        double h = 1e-6;
        int checked = 0;
        for (int l = 1; l <= net.depth(); l++) {
            for (Parameter p : net.parameters(l)) {
                double[] analytic = p.gradient().data.clone();
                for (int k = 0; k < p.value().getNumElements(); k++) {
                    double saved = p.value().data[k];
                    p.value().data[k] = saved + h;
                    double plus = net.cost(data, Mode.CHECKING);
                    p.value().data[k] = saved - h;
                    double minus = net.cost(data, Mode.CHECKING);
                    p.value().data[k] = saved;
                    double numeric = (plus - minus) / (2 * h);
                    double error = Math.abs(numeric - analytic[k]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[k]));
                    assertTrue(error < 1e-6, "d" + p.name() + "[" + l + "] entry " + k + ": numeric " + numeric
                            + ", backward " + analytic[k]);
                    checked++;
                }
            }
        }
        assertTrue(checked > 0);
        List<long[]> after = stateBits(net);
        for (int k = 0; k < state.size(); k++) {
            assertArrayEquals(state.get(k), after.get(k), "CHECKING passes changed state array " + k);
        }
    }

    @Test
    void backPropagationThroughBatchNormMatchesFiniteDifferencesOfTheCheckingCost() {
        checkByHand(denseBatchNormDense(1), separable(12, 11));
        checkByHand(batchNormFirst(2), separable(9, 12));
    }

    private static void assertCorrect(GradientCheckReport report) {
        assertEquals(GradientCheckReport.Verdict.CORRECT, report.verdict(), report.toString());
    }

    @Test
    void theGradientCheckerFindsTheNetworkGradientsCorrect() {
        GradientCheckReport report = GradientChecker.defaults().check(denseBatchNormDense(3), separable(12, 13));
        assertCorrect(report);
        assertTrue(report.array(2, "gamma").checked() == 4 && report.array(4, "beta").checked() == 3, report.toString());
        assertCorrect(GradientChecker.defaults().check(batchNormFirst(4), separable(10, 14)));
    }

    @Test
    void theGradientCheckerFindsTheGradientsCorrectWithReluAfterBatchNorm() {
        // ReLU has a kink at 0; entries whose perturbation crosses it are set apart by the checker
        Network net = Network.builder(2)
                .layer(LayerConfig.dense(5).withActivation("identity"))
                .layer(new LayerConfig("batch_norm", "relu", null, null))
                .dense(1, "sigmoid")
                .loss("binary_cross_entropy")
                .seed(5)
                .build();
        moveScaleAndShift(net, 5);
        assertCorrect(GradientChecker.defaults().check(net, separable(16, 15)));
    }
}
