package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Loss;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class LossTest {

    private final PluginRegistry registry = PluginRegistry.defaults();
    private final Activation sigmoid = registry.create(Activation.class, "sigmoid");
    private final Activation linear = registry.create(Activation.class, "test_scaled(factor=1)");

    private static DMatrixRMaj row(double... values) {
        return new DMatrixRMaj(1, values.length, true, values);
    }

    @Test
    void binaryCrossEntropyMatchesTheFormulaOfTheNotes() {
        Loss loss = registry.create(Loss.class, "binary_cross_entropy");
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
        assertEquals(expected, loss.cost(z, a, y), 1e-14);
    }

    @Test
    void binaryCrossEntropyFromLogitsNeverTakesLogOfZero() {
        Loss loss = registry.create(Loss.class, "binary_cross_entropy");
        DMatrixRMaj z = row(800.0, -800.0);
        DMatrixRMaj a = new DMatrixRMaj(1, 2);
        sigmoid.forward(z, a);
        // a is exactly 1 and 0 in doubles; the naive formula gives log(0) = -inf.
        assertEquals(1.0, a.data[0]);
        assertEquals(0.0, a.data[1]);
        // confidently wrong on both: L = |z| each, mean 800
        assertEquals(800.0, loss.cost(z, a, row(0, 1)), 1e-9);
        // confidently right on both: L = log(1 + e^-800) ~ 0
        assertEquals(0.0, loss.cost(z, a, row(1, 0)), 1e-300);
    }

    @Test
    void binaryCrossEntropyGradientIsAMinusYAndMatchesFiniteDifferences() {
        Loss loss = registry.create(Loss.class, "binary_cross_entropy");
        DMatrixRMaj z = row(-1.3, 0.2, 2.5);
        DMatrixRMaj y = row(1, 0, 1);
        DMatrixRMaj a = new DMatrixRMaj(1, 3);
        sigmoid.forward(z, a);
        DMatrixRMaj dZ = new DMatrixRMaj(1, 3);
        loss.gradient(z, a, y, sigmoid, dZ);
        for (int j = 0; j < 3; j++) {
            assertEquals(a.data[j] - y.data[j], dZ.data[j], 0.0);
            // dZ is m * dJ/dZ
            assertEquals(3 * numericalDerivative(loss, sigmoid, z, y, j), dZ.data[j], 1e-8);
        }
    }

    @Test
    void softmaxCrossEntropyIsTheMeanNegativeLogOfTheTrueClassProbability() {
        Loss loss = registry.create(Loss.class, "softmax_cross_entropy");
        DMatrixRMaj z = new DMatrixRMaj(new double[][] {{1.0, -500.0}, {2.0, 0.0}, {3.0, 500.0}});
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{0, 1}, {1, 0}, {0, 0}});
        double p1 = Math.exp(2.0) / (Math.exp(1.0) + Math.exp(2.0) + Math.exp(3.0));
        // column 2: the true class has logit -500 against 500: L = 1000 (up to e^-500 terms)
        double expected = (-Math.log(p1) + 1000.0) / 2;
        assertEquals(expected, loss.cost(z, z, y), 1e-9);
    }

    @Test
    void meanSquaredErrorIsHalfTheSquaredDistanceAndChainsThroughTheActivation() {
        Loss loss = registry.create(Loss.class, "mean_squared_error");
        Activation doubled = registry.create(Activation.class, "test_scaled(factor=2)");
        DMatrixRMaj z = row(1.0, -0.5);
        DMatrixRMaj a = row(2.0, -1.0);
        DMatrixRMaj y = row(0.5, 1.0);
        assertEquals(0.5 * (1.5 * 1.5 + 2.0 * 2.0) / 2, loss.cost(z, a, y), 1e-15);
        DMatrixRMaj dZ = new DMatrixRMaj(1, 2);
        loss.gradient(z, a, y, doubled, dZ);
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
    }

    @Test
    void fusedLossesRefuseTheWrongOutputActivation() {
        Loss bce = registry.create(Loss.class, "binary_cross_entropy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bce.checkOutputActivation(linear));
        assertTrue(e.getMessage().startsWith("binary_cross_entropy needs a sigmoid output layer, but the output activation is "
                + "test_scaled(factor=1.0)"), e.getMessage());
        bce.checkOutputActivation(sigmoid);
    }

    private static double numericalDerivative(Loss loss, Activation g, DMatrixRMaj z, DMatrixRMaj y, int j) {
        double h = 1e-6;
        DMatrixRMaj plus = z.copy();
        DMatrixRMaj minus = z.copy();
        plus.data[j] += h;
        minus.data[j] -= h;
        DMatrixRMaj aPlus = new DMatrixRMaj(plus.numRows, plus.numCols);
        DMatrixRMaj aMinus = new DMatrixRMaj(plus.numRows, plus.numCols);
        g.forward(plus, aPlus);
        g.forward(minus, aMinus);
        return (loss.cost(plus, aPlus, y) - loss.cost(minus, aMinus, y)) / (2 * h);
    }
}
