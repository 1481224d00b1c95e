package dev.nnkit;

import dev.nnkit.data.Dataset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.FusedLoss;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.StandardFunction;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class LossTest {

    private final PluginRegistry registry = PluginRegistry.defaults();
    private final Activation sigmoid = registry.create(Activation.class, "sigmoid");

    private static DMatrixRMaj row(double... values) {
        return new DMatrixRMaj(1, values.length, true, values);
    }

    private FusedLoss fused(String spec) {
        return (FusedLoss) registry.create(Loss.class, spec);
    }

    @Test
    void binaryCrossEntropyMatchesTheFormulaOfTheNotesOnBothPaths() {
        FusedLoss loss = fused("binary_cross_entropy");
        DMatrixRMaj z = row(-2.0, 0.5, 3.0, 0.0);
        DMatrixRMaj y = row(0, 1, 0, 1);
        DMatrixRMaj a = new DMatrixRMaj(1, 4);
        sigmoid.forward(z, a);
        double expected = 0.0;
        for (int j = 0; j < 4; j++) {
            double aj = 1.0 / (1.0 + Math.exp(-z.data[j]));
            expected += -(y.data[j] * Math.log(aj) + (1 - y.data[j]) * Math.log(1 - aj));
        }
        expected /= 4;
        assertEquals(expected, loss.fusedCost(z, y), 1e-14);
        assertEquals(expected, loss.cost(a, y), 1e-14);
    }

    @Test
    void binaryCrossEntropyFromLogitsNeverTakesLogOfZero() {
        FusedLoss loss = fused("binary_cross_entropy");
        DMatrixRMaj z = row(800.0, -800.0);
        DMatrixRMaj a = new DMatrixRMaj(1, 2);
        sigmoid.forward(z, a);
        // a is exactly 1 and 0 in doubles; the naive formula gives log(0) = -inf.
        assertEquals(1.0, a.data[0]);
        assertEquals(0.0, a.data[1]);
        // confidently wrong on both: L = |z| each, mean 800
        assertEquals(800.0, loss.fusedCost(z, row(0, 1)), 1e-9);
        // confidently right on both: L = log(1 + e^-800) ~ 0
        assertEquals(0.0, loss.fusedCost(z, row(1, 0)), 1e-300);
        // the general path clamps a to [1e-15, 1 - 1e-15]: large but finite, -log(1e-15) = 34.5
        double clamped = loss.cost(a, row(0, 1));
        assertEquals(-Math.log(1e-15), clamped, 1e-3);
        DMatrixRMaj dA = new DMatrixRMaj(1, 2);
        loss.gradient(a, row(0, 1), dA);
        assertTrue(Double.isFinite(dA.data[0]) && Double.isFinite(dA.data[1]), dA.toString());
    }

    @Test
    void binaryCrossEntropyFusedGradientIsAMinusYAndMatchesFiniteDifferences() {
        FusedLoss loss = fused("binary_cross_entropy");
        assertEquals(StandardFunction.LOGISTIC, loss.fusedWith());
        DMatrixRMaj z = row(-1.3, 0.2, 2.5);
        DMatrixRMaj y = row(1, 0, 1);
        DMatrixRMaj a = new DMatrixRMaj(1, 3);
        sigmoid.forward(z, a);
        DMatrixRMaj dZ = new DMatrixRMaj(1, 3);
        loss.fusedGradient(z, a, y, dZ);
        for (int j = 0; j < 3; j++) {
            assertEquals(a.data[j] - y.data[j], dZ.data[j], 0.0);
            // dZ is m * dJ/dZ
            int k = j;
            assertEquals(3 * numericalDerivative(w -> loss.fusedCost(w, y), z, k), dZ.data[j], 1e-8);
        }
    }

    @Test
    void binaryCrossEntropyGeneralGradientIsDjDaAndChainsThroughTheSigmoidToAMinusY() {
        Loss loss = registry.create(Loss.class, "binary_cross_entropy");
        DMatrixRMaj z = row(-1.3, 0.2, 2.5, -0.4);
        DMatrixRMaj y = row(1, 0, 1, 0);
        DMatrixRMaj a = new DMatrixRMaj(1, 4);
        sigmoid.forward(z, a);
        DMatrixRMaj dA = new DMatrixRMaj(1, 4);
        loss.gradient(a, y, dA);
        for (int j = 0; j < 4; j++) {
            double aj = a.data[j];
            assertEquals((aj - y.data[j]) / (aj * (1 - aj)), dA.data[j], 1e-14 * Math.abs(dA.data[j]));
            // dA is m * dJ/dA
            assertEquals(4 * numericalDerivative(b -> loss.cost(b, y), a, j), dA.data[j], 1e-6 * Math.abs(dA.data[j]));
        }
        DMatrixRMaj dZ = new DMatrixRMaj(1, 4);
        sigmoid.backward(z, a, dA, dZ);
        for (int j = 0; j < 4; j++) {
            assertEquals(a.data[j] - y.data[j], dZ.data[j], 1e-15);
        }
    }

    @Test
    void softmaxCrossEntropyIsTheMeanNegativeLogOfTheTrueClassProbability() {
        FusedLoss loss = fused("softmax_cross_entropy");
        assertEquals(StandardFunction.SOFTMAX, loss.fusedWith());
        DMatrixRMaj z = new DMatrixRMaj(new double[][] {{1.0, -500.0}, {2.0, 0.0}, {3.0, 500.0}});
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{0, 1}, {1, 0}, {0, 0}});
        double p1 = Math.exp(2.0) / (Math.exp(1.0) + Math.exp(2.0) + Math.exp(3.0));
        // column 2: the true class has logit -500 against 500: L = 1000 (up to e^-500 terms)
        double expected = (-Math.log(p1) + 1000.0) / 2;
        assertEquals(expected, loss.fusedCost(z, y), 1e-9);
        // the general path from probabilities: column 2's true class has probability e^-1000 = 0, clamped to 1e-15
        DMatrixRMaj a = new DMatrixRMaj(3, 2);
        for (int j = 0; j < 2; j++) {
            double max = Math.max(z.get(0, j), Math.max(z.get(1, j), z.get(2, j)));
            double sum = 0;
            for (int i = 0; i < 3; i++) {
                sum += Math.exp(z.get(i, j) - max);
            }
            for (int i = 0; i < 3; i++) {
                a.set(i, j, Math.exp(z.get(i, j) - max) / sum);
            }
        }
        assertEquals((-Math.log(p1) - Math.log(1e-15)) / 2, loss.cost(a, y), 1e-12);
    }

    @Test
    void softmaxCrossEntropyGeneralGradientIsMinusYOverA() {
        Loss loss = registry.create(Loss.class, "softmax_cross_entropy");
        DMatrixRMaj a = new DMatrixRMaj(new double[][] {{0.2, 0.5}, {0.3, 0.1}, {0.5, 0.4}});
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{0, 1}, {0, 0}, {1, 0}});
        DMatrixRMaj dA = new DMatrixRMaj(3, 2);
        loss.gradient(a, y, dA);
        assertArrayEquals(new double[] {0, -1 / 0.5, 0, 0, -1 / 0.5, 0}, dA.data, 1e-15);
        for (int k = 0; k < 6; k++) {
            assertEquals(2 * numericalDerivative(b -> loss.cost(b, y), a, k), dA.data[k], 1e-6);
        }
    }

    @Test
    void meanSquaredErrorIsHalfTheSquaredDistanceAndChainsThroughTheActivation() {
        Loss loss = registry.create(Loss.class, "mean_squared_error");
        assertFalse(loss instanceof FusedLoss, "mean squared error has no fused form: every activation uses the general path");
        Activation doubled = registry.create(Activation.class, "test_scaled(factor=2)");
        DMatrixRMaj z = row(1.0, -0.5);
        DMatrixRMaj a = row(2.0, -1.0);
        DMatrixRMaj y = row(0.5, 1.0);
        assertEquals(0.5 * (1.5 * 1.5 + 2.0 * 2.0) / 2, loss.cost(a, y), 1e-15);
        DMatrixRMaj dA = new DMatrixRMaj(1, 2);
        loss.gradient(a, y, dA);
        assertArrayEquals(new double[] {1.5, -2.0}, dA.data, 1e-15);
        DMatrixRMaj dZ = new DMatrixRMaj(1, 2);
        doubled.backward(z, a, dA, dZ);
        assertEquals(2 * 1.5, dZ.data[0], 1e-15);
        assertEquals(2 * -2.0, dZ.data[1], 1e-15);
    }

    @Test
    void labelsOutsideTheDomainAreRefusedWithTheirPosition() {
        Loss bce = registry.create(Loss.class, "binary_cross_entropy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bce.checkLabels(new DMatrixRMaj(new double[][] {{0, 1, 2}})));
        assertEquals("binary_cross_entropy: label Y[0, 2] = 2.0; binary labels must be 0 or 1", e.getMessage());

        Loss ce = registry.create(Loss.class, "softmax_cross_entropy");
        e = assertThrows(IllegalArgumentException.class,
                () -> ce.checkLabels(new DMatrixRMaj(new double[][] {{1, 1}, {0, 1}})));
        assertEquals("softmax_cross_entropy: label column 1 has 2 ones; labels must be one-hot columns with exactly one 1",
                e.getMessage());
        // mean squared error takes any finite label
        registry.create(Loss.class, "mean_squared_error").checkLabels(new DMatrixRMaj(new double[][] {{-3.5, 1e9}}));
    }

    @Test
    void anOutputActivationWithoutTheFusedFunctionStillBuildsAndUsesTheGeneralPath() {
        // binary cross-entropy on a linear output: no fused form applies, so the network takes dA = (a - y) / (a (1 - a))
        // through the activation's backward; with outputs kept inside (0, 1) the cost is the formula on A
        Network net = Network.builder(1).initializer("test_gaussian(std=0.1)").dense(1, "test_scaled(factor=1)")
                .loss("binary_cross_entropy").seed(2).build();
        net.setParameter(1, "W", row(0.25));
        net.setParameter(1, "b", new DMatrixRMaj(1, 1, true, 0.5));
        DMatrixRMaj x = row(0.4, -1.0);
        DMatrixRMaj y = row(1, 0);
        double a0 = 0.25 * 0.4 + 0.5;
        double a1 = -0.25 + 0.5;
        double expected = -(Math.log(a0) + Math.log(1 - a1)) / 2;
        assertEquals(expected, net.cost(new Dataset(x, y)), 1e-15);
        net.computeGradients(new Dataset(x, y));
        double dA0 = (a0 - 1) / (a0 * (1 - a0));
        double dA1 = a1 / (a1 * (1 - a1));
        assertEquals((dA0 * 0.4 + dA1 * -1.0) / 2, net.gradient(1, "W").get(0, 0), 1e-14);
        assertEquals((dA0 + dA1) / 2, net.gradient(1, "b").get(0, 0), 1e-14);
    }

    /** The central difference of {@code f} in entry {@code k} of {@code at}. */
    private static double numericalDerivative(java.util.function.ToDoubleFunction<DMatrixRMaj> f, DMatrixRMaj at, int k) {
        double h = 1e-6;
        DMatrixRMaj plus = at.copy();
        DMatrixRMaj minus = at.copy();
        plus.data[k] += h;
        minus.data[k] -= h;
        return (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
    }
}
