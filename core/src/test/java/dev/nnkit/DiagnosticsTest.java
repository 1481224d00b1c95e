package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.diagnostics.Diagnostics;
import dev.nnkit.diagnostics.DiagnosticsRecorder;
import dev.nnkit.diagnostics.LayerStatistics;
import dev.nnkit.training.Trainer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {

    private static Dataset gaussianInputs(int features, int m, int outputs) {
        Random r = new Random(4);
        DMatrixRMaj x = new DMatrixRMaj(features, m);
        for (int k = 0; k < x.getNumElements(); k++) {
            x.data[k] = r.nextGaussian();
        }
        DMatrixRMaj y = new DMatrixRMaj(outputs, m);
        for (int k = 0; k < y.getNumElements(); k++) {
            y.data[k] = r.nextGaussian();
        }
        return new Dataset(x, y);
    }

    /** MATH §4: fan_in 100, Var(x) = 1: std 0.1 keeps Var(z) = 1, std 0.5 gives 25, std 0.01 gives 0.01. */
    @Test
    void varianceOfZFollowsNTimesVarWTimesVarX() {
        Dataset data = gaussianInputs(100, 2000, 50);
        double[][] cases = {{0.1, 1.0}, {0.5, 25.0}, {0.01, 0.01}};
        for (double[] c : cases) {
            Network net = Network.builder(100).activation("test_scaled").initializer("test_gaussian(std=" + c[0] + ")")
                    .dense(50).loss("mean_squared_error").seed(1).build();
            LayerStatistics s = Diagnostics.measure(net, data).get(0);
            // 50 units x 100 weights: the empirical Var(W) is within a few % of std^2, so is Var(z).
            assertEquals(c[1], s.zVariance(), 0.06 * c[1], "std " + c[0]);
            assertEquals(c[1], s.predictedZVariance(), 0.03 * c[1], "predicted, std " + c[0]);
            assertEquals(c[0] * c[0], s.declaredWeightVariance(), 1e-15);
            assertEquals(c[0] * c[0], s.weightVariance(), 0.06 * c[0] * c[0]);
        }
    }

    @Test
    void theSignalCompoundsThroughDepth() {
        // a factor of 1.2^2 in variance per layer: 10 layers of width 200 give about 1.44^10 = 38
        Dataset data = gaussianInputs(200, 500, 200);
        Network.Builder b = Network.builder(200).activation("test_scaled")
                .initializer("test_gaussian(std=" + 1.2 / Math.sqrt(200) + ")").loss("mean_squared_error").seed(2);
        for (int l = 0; l < 10; l++) {
            b.dense(200);
        }
        List<LayerStatistics> stats = Diagnostics.measure(b.build(), data);
        assertEquals(10, stats.size());
        double ratio = stats.get(9).zVariance() / stats.get(0).zVariance();
        assertEquals(Math.pow(1.44, 9), ratio, 0.35 * Math.pow(1.44, 9));
        for (int l = 1; l < 10; l++) {
            assertTrue(stats.get(l).zVariance() > stats.get(l - 1).zVariance(), "grows at layer " + (l + 1));
        }
    }

    @Test
    void gradientNormIsTheFrobeniusNormOfDw() {
        Dataset data = gaussianInputs(3, 20, 2);
        Network net = Network.builder(3).activation("test_scaled").initializer("test_gaussian").dense(4).dense(2)
                .loss("mean_squared_error").build();
        List<LayerStatistics> stats = Diagnostics.measure(net, data);
        DMatrixRMaj before = net.parameter(1, "W");
        net.computeGradients(data);
        for (int l = 1; l <= 2; l++) {
            double[] g = net.parameters(l).get(0).gradient().data;
            double sum = 0;
            for (int k = 0; k < net.parameters(l).get(0).gradient().getNumElements(); k++) {
                sum += g[k] * g[k];
            }
            assertEquals(Math.sqrt(sum), stats.get(l - 1).gradientNorm(), 1e-12);
        }
        assertArrayEquals(before.data, net.parameter(1, "W").data, 0.0, "parameters are not changed");
    }

    @Test
    void aFlatActivationIsInactiveEverywhere() {
        Dataset data = gaussianInputs(3, 10, 2);
        Network flat = Network.builder(3).initializer("test_gaussian").dense(4, "test_scaled(factor=0.001)")
                .dense(2, "test_scaled").loss("mean_squared_error").build();
        List<LayerStatistics> stats = Diagnostics.measure(flat, data);
        assertEquals(1.0, stats.get(0).inactiveFraction(), 0.0);
        assertEquals(1.0, stats.get(0).deadUnitFraction(), 0.0);
        assertEquals(0.0, stats.get(1).inactiveFraction(), 0.0);
        assertTrue(Diagnostics.format(stats).contains("test_scaled(factor=0.001)"));
    }

    @Test
    void theRecorderMeasuresEveryNthEpoch() {
        Dataset data = gaussianInputs(3, 10, 2);
        Network net = Network.builder(3).activation("test_scaled").initializer("test_gaussian(std=0.3)").dense(2)
                .loss("mean_squared_error").build();
        DiagnosticsRecorder recorder = new DiagnosticsRecorder(net, data, 5);
        new Trainer(Hyperparameters.defaults().withEpochs(12)).listener(recorder).fit(net, data);
        assertEquals(List.of(5, 10), recorder.epochs());
        assertEquals(2, recorder.measurements().size());
    }

    @Test
    void aLayerWithoutWeightsHasNoPredictionAndShowsDashes() {
        // 3 -> dense 4 -> running_shift (no WEIGHT, a SCALE) -> dense 2: the middle layer has no W to predict from
        DMatrixRMaj x = ModelFixtures.gaussian(3, 20, 5);
        Dataset data = new Dataset(x, ModelFixtures.gaussian(2, 20, 6));
        Network net = Network.builder(3).registry(ModelFixtures.stepRegistry()).activation("test_scaled")
                .initializer("test_gaussian(std=0.5)").dense(4)
                .layer(new LayerConfig("running_shift(momentum=0.5)", "test_scaled(factor=1)", null, List.of()))
                .dense(2).loss("mean_squared_error").seed(3).build();
        List<LayerStatistics> stats = Diagnostics.measure(net, data);
        LayerStatistics shift = stats.get(1);
        assertTrue(Double.isNaN(shift.predictedZVariance()), "predicted " + shift);
        assertTrue(Double.isNaN(shift.declaredWeightVariance()));
        assertTrue(Double.isNaN(shift.weightVariance()));
        assertTrue(Double.isNaN(shift.gradientNorm()));
        // Z of the centring layer has zero row means over the batch: its variance is the mean of the squares
        DMatrixRMaj z = net.forwardTrace(x, dev.nnkit.spi.StepContext.Mode.CHECKING).z(2);
        double squares = 0;
        for (double v : z.data) {
            squares += v * v;
        }
        assertEquals(squares / z.getNumElements(), shift.zVariance(), 1e-12);
        assertTrue(Double.isFinite(stats.get(0).predictedZVariance()) && Double.isFinite(stats.get(2).predictedZVariance()));
        String row = Diagnostics.format(stats).lines().skip(2).findFirst().orElseThrow();
        assertTrue(row.matches("\\s+2\\s+4\\s+test_scaled\\(factor=1\\.0\\)\\s+\\S+\\s+-\\s+\\S+\\s+-\\s+-\\s+.*"), row);
    }

}
