package dev.nnkit.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.FusedLoss;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StandardFunction;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@code sigmoid} and {@code softmax} declare the standard functions they compute, which lets
 * binary and softmax cross-entropy take their fused path ({@code dZ = A - Y} from the logits). The
 * declaration is a promise about values: with these activations, the fused cost and {@code dZ}
 * equal the general path's (the loss's {@code dA} through the activation's own backward), and both
 * equal central differences of the cost.
 */
class FusedPathTest {

    private final PluginRegistry registry = PluginRegistry.defaults();

    private static DMatrixRMaj logits(int rows, int cols, long seed) {
        Random r = new Random(seed);
        DMatrixRMaj z = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < z.getNumElements(); k++) {
            z.data[k] = 3 * r.nextGaussian();
        }
        return z;
    }

    /** m dJ/dZ by central differences of the general cost J(g(Z)). */
    private static double numeric(Loss loss, Activation g, DMatrixRMaj z, DMatrixRMaj y, int k) {
        double h = 1e-6;
        DMatrixRMaj plus = z.copy();
        DMatrixRMaj minus = z.copy();
        plus.data[k] += h;
        minus.data[k] -= h;
        return z.numCols * (loss.cost(Support.forward(g, plus), y) - loss.cost(Support.forward(g, minus), y)) / (2 * h);
    }

    private static void check(Activation g, FusedLoss loss, DMatrixRMaj z, DMatrixRMaj y) {
        StandardActivation standard = assertInstanceOf(StandardActivation.class, g);
        assertEquals(loss.fusedWith(), standard.function());
        DMatrixRMaj a = Support.forward(g, z);
        double fusedCost = loss.fusedCost(z, y);
        assertEquals(fusedCost, loss.cost(a, y), 1e-12 * fusedCost, "fused and general cost");
        DMatrixRMaj fused = new DMatrixRMaj(z.numRows, z.numCols);
        loss.fusedGradient(z, a, y, fused);
        DMatrixRMaj dA = new DMatrixRMaj(z.numRows, z.numCols);
        loss.gradient(a, y, dA);
        DMatrixRMaj general = Support.backward(g, z, a, dA);
        for (int k = 0; k < z.getNumElements(); k++) {
            assertEquals(a.data[k] - y.data[k], fused.data[k], 0.0, "fused dZ is A - Y");
            assertEquals(fused.data[k], general.data[k], 1e-12 * Math.max(1e-3, Math.abs(fused.data[k])), "dZ[" + k + "]");
            assertEquals(numeric(loss, g, z, y, k), fused.data[k], 1e-6, "dZ[" + k + "] against central differences");
        }
    }

    @Test
    void sigmoidWithBinaryCrossEntropyGivesTheSameDzOnBothPaths() {
        DMatrixRMaj z = logits(2, 12, 1);
        DMatrixRMaj y = new DMatrixRMaj(2, 12);
        for (int k = 0; k < y.getNumElements(); k++) {
            y.data[k] = k % 3 == 0 ? 1 : 0;
        }
        check(Support.create("sigmoid"), (FusedLoss) registry.create(Loss.class, "binary_cross_entropy"), z, y);
        assertEquals(StandardFunction.LOGISTIC, ((StandardActivation) Support.create("sigmoid")).function());
    }

    @Test
    void softmaxWithCrossEntropyGivesTheSameDzOnBothPaths() {
        DMatrixRMaj z = logits(4, 10, 2);
        DMatrixRMaj y = new DMatrixRMaj(4, 10);
        for (int j = 0; j < 10; j++) {
            y.set((j * 7) % 4, j, 1);
        }
        check(Support.create("softmax"), (FusedLoss) registry.create(Loss.class, "softmax_cross_entropy"), z, y);
        assertEquals(StandardFunction.SOFTMAX, ((StandardActivation) Support.create("softmax")).function());
    }

    @Test
    void theOtherActivationsDeclareNoStandardFunction() {
        for (String spec : new String[] {"tanh", "relu", "leaky_relu", "identity"}) {
            assertFalse(Support.create(spec) instanceof StandardActivation, spec);
        }
    }
}
