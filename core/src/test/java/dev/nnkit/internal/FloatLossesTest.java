package dev.nnkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.FloatFusedLoss;
import dev.nnkit.spi.FloatLoss;
import dev.nnkit.spi.FusedLoss;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.StandardFunction;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Core's three losses have float paths that agree with their double paths on the same float
 * input: the gradient within {@code 4 u} relative ({@code u = 2^-24}; {@code A - Y} is one
 * rounding, the cross-entropy quotients a few), the cost (accumulated in double) within
 * {@code 1e-12} relative; the float clamps keep saturated outputs finite; a loss with double paths
 * only works in float through {@link WideningLoss}.
 */
class FloatLossesTest {

    private static final double U = 0x1p-24;

    private static DMatrixRMaj widen(FMatrixRMaj f) {
        DMatrixRMaj d = new DMatrixRMaj(f.numRows, f.numCols);
        for (int k = 0; k < f.data.length; k++) {
            d.data[k] = f.data[k];
        }
        return d;
    }

    /** Probabilities (columns of softmax outputs when {@code columns}), away from the clamps (which the saturation test covers). */
    private static FMatrixRMaj outputs(int n, int m, boolean columns, Random r) {
        FMatrixRMaj a = new FMatrixRMaj(n, m);
        for (int j = 0; j < m; j++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double v = Math.exp(3 * r.nextGaussian());
                a.set(i, j, (float) v);
                sum += v;
            }
            for (int i = 0; i < n; i++) {
                a.set(i, j, columns ? (float) (a.get(i, j) / sum) : (float) (1 / (1 + Math.exp(-2 * r.nextGaussian()))));
            }
        }
        return a;
    }

    private static FMatrixRMaj labels(int n, int m, boolean oneHot, Random r) {
        FMatrixRMaj y = new FMatrixRMaj(n, m);
        for (int j = 0; j < m; j++) {
            int hot = r.nextInt(n);
            for (int i = 0; i < n; i++) {
                y.set(i, j, oneHot ? (i == hot ? 1f : 0f) : (r.nextBoolean() ? 1f : 0f));
            }
        }
        return y;
    }

    private static void assertGeneralPathAgrees(Loss loss, FMatrixRMaj a, FMatrixRMaj y) {
        FloatLoss f = (FloatLoss) loss;
        double cost64 = loss.cost(widen(a), widen(y));
        assertEquals(cost64, f.cost(a, y), 1e-12 * Math.abs(cost64), loss + " cost");
        FMatrixRMaj dA = new FMatrixRMaj(a.numRows, a.numCols);
        f.gradient(a, y, dA);
        DMatrixRMaj dA64 = new DMatrixRMaj(a.numRows, a.numCols);
        loss.gradient(widen(a), widen(y), dA64);
        for (int k = 0; k < dA.data.length; k++) {
            assertTrue(Float.isFinite(dA.data[k]), loss + " gradient at a=" + a.data[k]);
            // outputs clamped differently in float (within 2^-24 of 0 or 1) are compared on the float clamp's terms
            boolean clamped = a.data[k] < 0x1p-24f || a.data[k] > 1 - 0x1p-24f;
            if (!clamped) {
                assertEquals(dA64.data[k], dA.data[k], 4 * U * Math.abs(dA64.data[k]) + Float.MIN_NORMAL,
                        loss + " gradient at a=" + a.data[k] + ", y=" + y.data[k]);
            }
        }
    }

    @Test
    void theGeneralPathsAgreeWithDoubleOnTheSameInput() {
        Random r = new Random(12);
        assertGeneralPathAgrees(new MeanSquaredError(), outputs(3, 50, false, r), labels(3, 50, false, r));
        assertGeneralPathAgrees(new BinaryCrossEntropy(), outputs(1, 400, false, r), labels(1, 400, false, r));
        assertGeneralPathAgrees(new SoftmaxCrossEntropy(), outputs(10, 128, true, r), labels(10, 128, true, r));
    }

    @Test
    void theFusedPathsAgreeWithDoubleOnTheSameInput() {
        Random r = new Random(13);
        for (FusedLoss loss : new FusedLoss[] {new BinaryCrossEntropy(), new SoftmaxCrossEntropy()}) {
            boolean softmax = loss.fusedWith() == StandardFunction.SOFTMAX;
            int n = softmax ? 10 : 1;
            FMatrixRMaj z = new FMatrixRMaj(n, 128);
            for (int k = 0; k < z.data.length; k++) {
                z.data[k] = (float) (8 * r.nextGaussian());
            }
            FMatrixRMaj a = outputs(n, 128, softmax, r);
            FMatrixRMaj y = labels(n, 128, softmax, r);
            FloatFusedLoss f = (FloatFusedLoss) loss;
            double cost64 = loss.fusedCost(widen(z), widen(y));
            assertEquals(cost64, f.fusedCost(z, y), 1e-12 * Math.abs(cost64), loss + " fused cost");
            FMatrixRMaj dZ = new FMatrixRMaj(n, 128);
            f.fusedGradient(z, a, y, dZ);
            for (int k = 0; k < dZ.data.length; k++) {
                double expected = (double) a.data[k] - y.data[k];
                assertEquals(expected, dZ.data[k], U * Math.abs(expected), loss + " dZ = A - Y");
            }
        }
    }

    @Test
    void saturatedOutputsGiveFiniteGradientsInFloat() {
        FMatrixRMaj a = new FMatrixRMaj(1, 4, true, 0f, 1f, Float.MIN_VALUE, 1 - 0x1p-24f);
        FMatrixRMaj y = new FMatrixRMaj(1, 4, true, 1f, 0f, 1f, 0f);
        for (FloatLoss loss : new FloatLoss[] {new BinaryCrossEntropy(), new SoftmaxCrossEntropy()}) {
            FMatrixRMaj dA = new FMatrixRMaj(1, 4);
            loss.gradient(a, y, dA);
            for (int k = 0; k < 4; k++) {
                assertTrue(Float.isFinite(dA.data[k]), loss + " gradient at a=" + a.data[k] + ": " + dA.data[k]);
            }
            assertTrue(Double.isFinite(loss.cost(a, y)), loss + " cost");
        }
    }

    /** Mean absolute error, {@code J = (1/m) sum |a - y|}, {@code dA = sign(a - y)}: double paths only. */
    private static final class MeanAbsoluteError implements Loss {
        @Override
        public double cost(DMatrixRMaj a, DMatrixRMaj y) {
            double sum = 0;
            for (int k = 0; k < a.getNumElements(); k++) {
                sum += Math.abs(a.data[k] - y.data[k]);
            }
            return sum / a.numCols;
        }

        @Override
        public void gradient(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dA) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dA.data[k] = Math.signum(a.data[k] - y.data[k]);
            }
        }
    }

    @Test
    void aLossWithDoublePathsOnlyWorksInFloatThroughTheAdapter() {
        FloatLoss f = WideningLoss.of(new MeanAbsoluteError());
        FMatrixRMaj a = new FMatrixRMaj(2, 2, true, 0.5f, -1f, 2f, 0.25f);
        FMatrixRMaj y = new FMatrixRMaj(2, 2, true, 1f, -1f, 0f, 0f);
        assertEquals((0.5 + 0 + 2 + 0.25) / 2, f.cost(a, y), 1e-15);
        FMatrixRMaj dA = new FMatrixRMaj(2, 2);
        f.gradient(a, y, dA);
        assertEquals("[-1.0, 0.0, 1.0, 1.0]", java.util.Arrays.toString(dA.data));
        Loss sce = new SoftmaxCrossEntropy();
        assertSame(sce, WideningLoss.of(sce));
        assertSame(sce, WideningLoss.fused((FusedLoss) sce));
    }
}
