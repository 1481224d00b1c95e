package com.example.nnkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.Step;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.StateArray;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The {@code centered_dense} layer on its own, called directly with {@link Step} contexts: its
 * formula computed here independently, its gradients against central differences, its starting
 * values, and which modes move its running mean.
 */
class CenteredDenseTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.defaults();

    private static final int K = 3;
    private static final int N = 4;
    private static final int M = 5;

    private static DMatrixRMaj random(int rows, int cols, double low, double high, SplittableRandom random) {
        DMatrixRMaj x = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < x.data.length; k++) {
            x.data[k] = random.nextDouble(low, high);
        }
        return x;
    }

    private static Parameter parameter(Layer layer, String name) {
        return layer.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private static DMatrixRMaj mean(Layer layer) {
        return layer.state().get(0).value();
    }

    /** A connected layer with random W, g, b and running mean, so that no term of the formula is trivial. */
    private static Layer layer(String spec, long seed) {
        Layer layer = REGISTRY.create(Layer.class, spec);
        layer.connect(K);
        SplittableRandom random = new SplittableRandom(seed);
        parameter(layer, "W").value().setTo(random(N, K, -1, 1, random));
        parameter(layer, "g").value().setTo(random(N, 1, 0.5, 2, random));
        parameter(layer, "b").value().setTo(random(N, 1, -1, 1, random));
        mean(layer).setTo(random(K, 1, -2, 2, random));
        return layer;
    }

    /** Z = g * (W (A - mu)) + b, by the definition, entry by entry. */
    private static DMatrixRMaj formula(Layer layer, DMatrixRMaj a) {
        DMatrixRMaj w = parameter(layer, "W").value();
        DMatrixRMaj g = parameter(layer, "g").value();
        DMatrixRMaj b = parameter(layer, "b").value();
        DMatrixRMaj mu = mean(layer);
        DMatrixRMaj z = new DMatrixRMaj(N, a.numCols);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < a.numCols; j++) {
                double u = 0;
                for (int r = 0; r < K; r++) {
                    u += w.get(i, r) * (a.get(r, j) - mu.get(r));
                }
                z.set(i, j, g.get(i) * u + b.get(i));
            }
        }
        return z;
    }

    private static DMatrixRMaj forward(Layer layer, DMatrixRMaj a, Step step) {
        DMatrixRMaj z = new DMatrixRMaj(N, a.numCols);
        layer.forward(a, z, step);
        return z;
    }

    /** J = (1/m) sum R * Z, so that m dJ/dZ = R; a CHECKING pass. */
    private static double cost(Layer layer, DMatrixRMaj a, DMatrixRMaj r) {
        DMatrixRMaj z = forward(layer, a, Step.checking());
        double sum = 0;
        for (int k = 0; k < z.data.length; k++) {
            sum += r.data[k] * z.data[k];
        }
        return sum / a.numCols;
    }

    @Test
    void forwardIsTheGainTimesWTimesTheCentredInputPlusB() {
        Layer layer = layer("centered_dense(units=4)", 1);
        DMatrixRMaj a = random(K, M, -3, 3, new SplittableRandom(2));
        for (Step step : List.of(Step.inference(), Step.checking(), Step.training(new SplittableRandom(3)))) {
            Layer fresh = layer("centered_dense(units=4)", 1);
            DMatrixRMaj expected = formula(fresh, a);
            DMatrixRMaj z = forward(fresh, a, step);
            for (int k = 0; k < z.data.length; k++) {
                assertEquals(expected.data[k], z.data[k], 1e-13, step.mode() + " entry " + k);
            }
        }
        assertEquals(N, layer.outputSize(K));
        assertEquals(N, layer.outputSize(100));
    }

    @Test
    void startsFromTheInitializerWithGainOneBiasZeroAndMeanZero() {
        Layer layer = layer("centered_dense(units=4)", 4);   // every array holds something else first
        Initializer orthogonal = REGISTRY.create(Initializer.class, "orthogonal(gain=2)");
        layer.initialize(orthogonal, new SplittableRandom(5));
        DMatrixRMaj expectedW = new DMatrixRMaj(N, K);
        orthogonal.initialize(expectedW, new SplittableRandom(5));
        assertArrayEquals(expectedW.data, parameter(layer, "W").value().data, 0.0);
        assertArrayEquals(new double[] {1, 1, 1, 1}, parameter(layer, "g").value().data, 0.0);
        assertArrayEquals(new double[] {0, 0, 0, 0}, parameter(layer, "b").value().data, 0.0);
        assertArrayEquals(new double[] {0, 0, 0}, mean(layer).data, 0.0);
        // roles: only W is penalized by weight penalties; the running mean is state, not a parameter
        assertEquals(List.of("W", "g", "b"), layer.parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of(Parameter.Role.WEIGHT, Parameter.Role.SCALE, Parameter.Role.BIAS),
                layer.parameters().stream().map(Parameter::role).toList());
        assertEquals(List.of("running_mean"), layer.state().stream().map(StateArray::name).toList());
        assertEquals(K, mean(layer).numRows);
        assertEquals(1, mean(layer).numCols);
    }

    @Test
    void backwardMatchesCentralDifferencesOfTheCostInCheckingMode() {
        Layer layer = layer("centered_dense(units=4, momentum=0.7)", 6);
        SplittableRandom random = new SplittableRandom(7);
        DMatrixRMaj a = random(K, M, -3, 3, random);
        DMatrixRMaj r = random(N, M, -1, 1, random);
        DMatrixRMaj meanBefore = mean(layer).copy();
        Step step = Step.checking();
        forward(layer, a, step);
        DMatrixRMaj dA = new DMatrixRMaj(K, M);
        layer.backward(a, forward(layer, a, step), r, dA, step);
        double eps = 1e-6;
        for (String name : List.of("W", "g", "b")) {
            DMatrixRMaj value = parameter(layer, name).value();
            DMatrixRMaj gradient = parameter(layer, name).gradient().copy();
            for (int k = 0; k < value.data.length; k++) {
                double keep = value.data[k];
                value.data[k] = keep + eps;
                double plus = cost(layer, a, r);
                value.data[k] = keep - eps;
                double minus = cost(layer, a, r);
                value.data[k] = keep;
                double numeric = (plus - minus) / (2 * eps);
                // J is linear in each entry, so the difference is exact up to round-off (1e-16 / eps)
                assertEquals(numeric, gradient.data[k], 1e-9, "d" + name + " entry " + k);
            }
        }
        for (int k = 0; k < a.data.length; k++) {
            double keep = a.data[k];
            a.data[k] = keep + eps;
            double plus = cost(layer, a, r);
            a.data[k] = keep - eps;
            double minus = cost(layer, a, r);
            a.data[k] = keep;
            // dA is per example: m dJ/dA
            assertEquals(M * (plus - minus) / (2 * eps), dA.data[k], 1e-8, "dA entry " + k);
        }
        assertArrayEquals(meanBefore.data, mean(layer).data, 0.0, "CHECKING passes left the running mean alone");
    }

    @Test
    void onlyATrainingPassMovesTheRunningMeanAndItUsesTheOldMeanFirst() {
        Layer layer = layer("centered_dense(units=4, momentum=0.75)", 8);
        SplittableRandom random = new SplittableRandom(9);
        DMatrixRMaj a = random(K, M, 1, 5, random);
        DMatrixRMaj r = random(N, M, -1, 1, random);
        DMatrixRMaj mu0 = mean(layer).copy();

        Step checking = Step.checking();
        DMatrixRMaj zChecking = forward(layer, a, checking);
        layer.backward(a, zChecking, r, new DMatrixRMaj(K, M), checking);
        List<DMatrixRMaj> checkingGradients = layer.parameters().stream().map(p -> p.gradient().copy()).toList();
        DMatrixRMaj zInference = forward(layer, a, Step.inference());
        assertArrayEquals(mu0.data, mean(layer).data, 0.0, "CHECKING and INFERENCE change no state");

        Step training = Step.training(new SplittableRandom(10));
        DMatrixRMaj zTraining = forward(layer, a, training);
        layer.backward(a, zTraining, r, new DMatrixRMaj(K, M), training);
        // the step's Z and gradients used the mean from before the step
        assertArrayEquals(zInference.data, zTraining.data, 0.0);
        assertArrayEquals(zChecking.data, zTraining.data, 0.0);
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(checkingGradients.get(p).data, layer.parameters().get(p).gradient().data, 0.0,
                    layer.parameters().get(p).name());
        }
        // mu := 0.75 mu + 0.25 mean_j A[:, j]
        DMatrixRMaj expected = new DMatrixRMaj(K, 1);
        for (int i = 0; i < K; i++) {
            double sum = 0;
            for (int j = 0; j < M; j++) {
                sum += a.get(i, j);
            }
            expected.data[i] = 0.75 * mu0.data[i] + 0.25 * sum / M;
            assertEquals(expected.data[i], mean(layer).data[i], 1e-15, "running mean " + i);
        }
        assertFalse(expected.data[0] == mu0.data[0]);

        // the next training step, on another batch, follows the same recursion
        DMatrixRMaj second = random(K, 7, -5, 0, random);
        forward(layer, second, training);
        for (int i = 0; i < K; i++) {
            double sum = 0;
            for (int j = 0; j < 7; j++) {
                sum += second.get(i, j);
            }
            assertEquals(0.75 * expected.data[i] + 0.25 * sum / 7, mean(layer).data[i], 1e-15, "running mean " + i);
        }
    }

    @Test
    void momentumZeroKeepsTheLastBatchMean() {
        Layer layer = layer("centered_dense(units=4, momentum=0)", 11);
        DMatrixRMaj a = new DMatrixRMaj(K, 2, true, 1, 3, -2, -4, 10, 20);
        forward(layer, a, Step.training(new SplittableRandom(12)));
        assertArrayEquals(new double[] {2, -3, 15}, mean(layer).data, 0.0);
    }

    @Test
    void theSpecRoundTripsAndBadArgumentsAreRefusedByName() {
        Layer made = REGISTRY.create(Layer.class, "centered_dense(units=4)");
        assertEquals("centered_dense(units=4, momentum=0.9)", made.toString());
        assertEquals(made.toString(), REGISTRY.create(Layer.class, made.toString()).toString());
        assertEquals(CenteredDense.class, made.getClass());

        PluginException units = assertThrows(PluginException.class,
                () -> REGISTRY.create(Layer.class, "centered_dense(units=0)"));
        assertTrue(units.getMessage().startsWith("centered_dense: units=0 is invalid; units must be > 0"), units.getMessage());
        assertThrows(PluginException.class, () -> REGISTRY.create(Layer.class, "centered_dense"));
        for (String bad : List.of("1", "-0.1", "1.5")) {
            PluginException e = assertThrows(PluginException.class,
                    () -> REGISTRY.create(Layer.class, "centered_dense(units=2, momentum=" + bad + ")"));
            assertTrue(e.getMessage().startsWith("centered_dense: momentum=" + Double.parseDouble(bad)
                    + " is invalid; momentum must be in [0, 1)"), e.getMessage());
        }
    }

    @Test
    void connectsOnceToAPositiveInputSize() {
        Layer layer = REGISTRY.create(Layer.class, "centered_dense(units=2)");
        assertThrows(IllegalStateException.class, layer::parameters);
        assertThrows(IllegalArgumentException.class, () -> layer.connect(0));
        layer.connect(3);
        assertThrows(IllegalStateException.class, () -> layer.connect(3));
    }
}
