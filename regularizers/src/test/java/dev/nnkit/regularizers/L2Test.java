package dev.nnkit.regularizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class L2Test {

    private static final PluginRegistry REGISTRY = PluginRegistry.defaults();

    private static WeightPenalty l2(double lambda) {
        return (WeightPenalty) REGISTRY.create(Regularizer.class, "l2(lambda=" + lambda + ")");
    }

    @Test
    void penaltyMatchesHandComputation() {
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{1, -2}, {3, 0.5}});
        // ||W||_F^2 = 1 + 4 + 9 + 0.25 = 14.25; (lambda / 2m) = 0.7 / 8 = 0.0875; 0.0875 * 14.25 = 1.246875
        assertEquals(1.246875, l2(0.7).penalty(w, 4), 1e-15);
        assertArrayEquals(new double[] {1, -2, 3, 0.5}, w.data, 0.0, "W must not be modified");
    }

    @Test
    void gradientMatchesHandComputation() {
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{1, -2}, {3, 0.5}});
        DMatrixRMaj dW = new DMatrixRMaj(new double[][] {{0.1, 0.2}, {-0.3, 0.4}});
        l2(0.7).addPenaltyGradient(w, 4, dW);
        // lambda / m = 0.175: dW + 0.175 W
        double[] expected = {0.1 + 0.175, 0.2 - 0.35, -0.3 + 0.525, 0.4 + 0.0875};
        assertArrayEquals(expected, dW.data, 1e-15);
        assertArrayEquals(new double[] {1, -2, 3, 0.5}, w.data, 0.0, "W must not be modified");
    }

    @Test
    void gradientMatchesCentralDifferencesOfPenalty() {
        SplittableRandom random = new SplittableRandom(7);
        DMatrixRMaj w = new DMatrixRMaj(5, 3);
        for (int k = 0; k < w.getNumElements(); k++) {
            w.data[k] = random.nextDouble(-2.0, 2.0);
        }
        WeightPenalty reg = l2(0.3);
        int m = 6;
        DMatrixRMaj analytic = new DMatrixRMaj(5, 3);
        reg.addPenaltyGradient(w, m, analytic);
        double eps = 1e-5;
        for (int k = 0; k < w.getNumElements(); k++) {
            double saved = w.data[k];
            w.data[k] = saved + eps;
            double plus = reg.penalty(w, m);
            w.data[k] = saved - eps;
            double minus = reg.penalty(w, m);
            w.data[k] = saved;
            double numeric = (plus - minus) / (2 * eps);
            // The penalty is quadratic, so the central difference has no truncation error; only
            // round-off remains (~1e-16 * penalty / eps ~ 1e-11). MATH §6: < 1e-7 relative is "correct".
            double relative = Math.abs(numeric - analytic.data[k]) / (Math.abs(numeric) + Math.abs(analytic.data[k]));
            assertTrue(relative < 1e-7, "entry " + k + ": numeric " + numeric + " vs analytic " + analytic.data[k]);
        }
    }

    @Test
    void lambdaZeroIsANoOp() {
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{1, -2}, {3, 0.5}});
        DMatrixRMaj dW = new DMatrixRMaj(new double[][] {{0.1, 0.2}, {-0.3, 0.4}});
        WeightPenalty reg = l2(0);
        assertEquals(0.0, reg.penalty(w, 4));
        reg.addPenaltyGradient(w, 4, dW);
        assertArrayEquals(new double[] {0.1, 0.2, -0.3, 0.4}, dW.data, 0.0);
    }

    @Test
    void isAWeightPenaltyAndDoesNotTransformActivations() {
        Regularizer reg = REGISTRY.create(Regularizer.class, "l2(lambda=0.7)");
        assertTrue(reg instanceof WeightPenalty);
        assertFalse(reg instanceof ActivationTransform, "L2 leaves the activations alone in every mode");
    }

    @Test
    void mismatchedShapesAndBadBatchSizeAreRejected() {
        WeightPenalty reg = l2(0.7);
        DMatrixRMaj w = new DMatrixRMaj(2, 3);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> reg.addPenaltyGradient(w, 4, new DMatrixRMaj(3, 2)));
        assertTrue(shape.getMessage().contains("(2, 3)") && shape.getMessage().contains("(3, 2)"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> reg.penalty(w, 0));
    }
}
