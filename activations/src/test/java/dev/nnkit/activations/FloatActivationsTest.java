package dev.nnkit.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.FloatActivation;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every built-in activation has a float kernel ({@link FloatActivation}) that agrees with its
 * double kernel on the same float input within the bound of {@link FloatActivation}: {@code 4 u}
 * relative for element-wise passes, plus {@code (n + 4) u} for softmax's column sums and its
 * backward's dot product ({@code u = 2^-24}); inputs range over moderate, tiny and saturating
 * values, and the outputs stay finite.
 */
class FloatActivationsTest {

    private static final double U = 0x1p-24;
    private static final int N = 10;
    private static final int M = 64;

    private static FMatrixRMaj inputs(Random r) {
        FMatrixRMaj z = new FMatrixRMaj(N, M);
        for (int k = 0; k < z.data.length; k++) {
            double scale = switch (k % 4) {
                case 0 -> 1;
                case 1 -> 6;
                case 2 -> 1e-3;
                default -> 90; // saturates sigmoid, tanh and softmax in float
            };
            z.data[k] = (float) (scale * r.nextGaussian());
        }
        return z;
    }

    private static DMatrixRMaj widen(FMatrixRMaj f) {
        DMatrixRMaj d = new DMatrixRMaj(f.numRows, f.numCols);
        for (int k = 0; k < f.data.length; k++) {
            d.data[k] = f.data[k];
        }
        return d;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sigmoid", "tanh", "relu", "leaky_relu(alpha=0.2)", "identity", "softmax"})
    void theFloatKernelAgreesWithTheDoubleOneWithinFloatRoundoff(String spec) {
        Activation g = Support.create(spec);
        assertTrue(g instanceof FloatActivation, spec + " has a float kernel");
        FloatActivation f = (FloatActivation) g;
        boolean columns = spec.equals("softmax");
        double relative = columns ? (N + 4) * U : 4 * U;
        Random r = new Random(spec.hashCode());
        for (int round = 0; round < 20; round++) {
            FMatrixRMaj z = inputs(r);
            FMatrixRMaj a = new FMatrixRMaj(N, M);
            f.forward(z, a);
            DMatrixRMaj a64 = new DMatrixRMaj(N, M);
            g.forward(widen(z), a64);
            for (int k = 0; k < a.data.length; k++) {
                assertTrue(Float.isFinite(a.data[k]), spec + " forward at z=" + z.data[k] + " gave " + a.data[k]);
                assertEquals(a64.data[k], a.data[k], relative * Math.abs(a64.data[k]) + Float.MIN_NORMAL,
                        spec + " forward at z=" + z.data[k]);
            }

            FMatrixRMaj dA = new FMatrixRMaj(N, M);
            for (int k = 0; k < dA.data.length; k++) {
                dA.data[k] = (float) r.nextGaussian();
            }
            FMatrixRMaj dZ = new FMatrixRMaj(N, M);
            f.backward(z, a, dA, dZ);
            DMatrixRMaj dZ64 = new DMatrixRMaj(N, M);
            g.backward(widen(z), widen(a), widen(dA), dZ64);
            for (int k = 0; k < dZ.data.length; k++) {
                double bound = 4 * U * Math.abs(dZ64.data[k]) + Float.MIN_NORMAL;
                if (columns) { // the column's dot product sum_i a_i dA_i, computed in float
                    int j = k % M;
                    double magnitudes = 0;
                    for (int i = j; i < N * M; i += M) {
                        magnitudes += Math.abs((double) a.data[i] * dA.data[i]);
                    }
                    bound += Math.abs(a.data[k]) * (N + 2) * U * (magnitudes + Math.abs(dA.data[k]));
                }
                assertTrue(Float.isFinite(dZ.data[k]), spec + " backward at z=" + z.data[k]);
                assertEquals(dZ64.data[k], dZ.data[k], bound, spec + " backward at z=" + z.data[k] + ", dA=" + dA.data[k]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"})
    void theFloatKernelsWorkInPlaceAsTheContractAllows(String spec) {
        FloatActivation f = (FloatActivation) Support.create(spec);
        FMatrixRMaj z = inputs(new Random(3));
        FMatrixRMaj a = new FMatrixRMaj(N, M);
        f.forward(z, a);
        FMatrixRMaj inPlace = z.copy();
        f.forward(inPlace, inPlace);
        assertEquals(java.util.Arrays.toString(a.data), java.util.Arrays.toString(inPlace.data), spec + " forward in place");
        FMatrixRMaj dA = inputs(new Random(4));
        FMatrixRMaj dZ = new FMatrixRMaj(N, M);
        f.backward(z, a, dA, dZ);
        f.backward(z, a, dA, dA);
        assertEquals(java.util.Arrays.toString(dZ.data), java.util.Arrays.toString(dA.data), spec + " backward in place");
    }
}
