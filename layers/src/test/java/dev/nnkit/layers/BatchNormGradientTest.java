package dev.nnkit.layers;

import static dev.nnkit.layers.Support.batchNorm;
import static dev.nnkit.layers.Support.parameter;
import static dev.nnkit.layers.Support.state;
import static dev.nnkit.layers.Support.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Step;
import dev.nnkit.spi.Layer;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The layer's backward pass against central differences of the scalar
 * {@code J(X, gamma, beta) = sum_ij R_ij Y_ij}, for a fixed random {@code R}. With nnkit's
 * per-example convention the layer gets {@code dY = m dJ/dY = m R} and must give back
 * {@code dX = m dJ/dX} and the plain {@code dJ/dgamma}, {@code dJ/dbeta} (averages over the batch
 * of the per-example gradients).
 */
class BatchNormGradientTest {

    private static final int N = 3;
    private static final int M = 5;
    /** Central-difference step: truncation about h^2 |J'''| and round-off about 1e-16 |J| / h, both near 1e-10. */
    private static final double H = 1e-5;

    /** J = sum(R .* Y) for one forward pass of {@code layer} on {@code x} in a fresh step of the given kind. */
    private static double cost(Layer layer, DMatrixRMaj x, DMatrixRMaj r, Supplier<Step> steps) {
        DMatrixRMaj y = new DMatrixRMaj(x.numRows, x.numCols);
        layer.forward(x, y, steps.get());
        double sum = 0;
        for (int k = 0; k < y.getNumElements(); k++) {
            sum += r.data[k] * y.data[k];
        }
        return sum;
    }

    /** Central differences of J with respect to every entry of {@code target}, which J reads. */
    private static DMatrixRMaj numeric(DMatrixRMaj target, Layer layer, DMatrixRMaj x, DMatrixRMaj r,
                                       Supplier<Step> steps) {
        DMatrixRMaj out = new DMatrixRMaj(target.numRows, target.numCols);
        for (int k = 0; k < target.getNumElements(); k++) {
            double saved = target.data[k];
            target.data[k] = saved + H;
            double plus = cost(layer, x, r, steps);
            target.data[k] = saved - H;
            double minus = cost(layer, x, r, steps);
            target.data[k] = saved;
            out.data[k] = (plus - minus) / (2 * H);
        }
        return out;
    }

    private static void assertClose(String what, DMatrixRMaj expected, DMatrixRMaj actual) {
        assertEquals(expected.numRows, actual.numRows, what);
        assertEquals(expected.numCols, actual.numCols, what);
        for (int k = 0; k < expected.getNumElements(); k++) {
            double e = expected.data[k];
            double a = actual.data[k];
            double error = Math.abs(e - a) / Math.max(1.0, Math.abs(e) + Math.abs(a));
            assertTrue(error < 1e-7, what + "[" + k + "]: numeric " + e + ", backward " + a + ", error " + error);
        }
    }

    /** A layer with gamma, beta (and, for inference, running statistics) away from their starting values. */
    private static Layer layer() {
        Layer layer = batchNorm("batch_norm(epsilon=0.001)", N);
        parameter(layer, "gamma").value().setTo(uniform(N, 1, 0.5, 2, 21));
        parameter(layer, "gamma").value().set(1, 0, -1.3);
        parameter(layer, "beta").value().setTo(uniform(N, 1, -1, 1, 22));
        state(layer, "running_mean").setTo(uniform(N, 1, -1, 1, 23));
        state(layer, "running_variance").setTo(uniform(N, 1, 0.2, 3, 24));
        return layer;
    }

    private static void checkAgainstFiniteDifferences(Supplier<Step> steps) {
        Layer layer = layer();
        DMatrixRMaj x = uniform(N, M, -2, 3, 25);
        x.set(2, 3, 40); // an outlier: xhat far from the others in its row
        DMatrixRMaj r = uniform(N, M, -1, 1, 26);

        DMatrixRMaj numericX = numeric(x, layer, x, r, steps);
        DMatrixRMaj numericGamma = numeric(parameter(layer, "gamma").value(), layer, x, r, steps);
        DMatrixRMaj numericBeta = numeric(parameter(layer, "beta").value(), layer, x, r, steps);

        Step step = steps.get();
        DMatrixRMaj y = new DMatrixRMaj(N, M);
        layer.forward(x, y, step);
        DMatrixRMaj dY = r.copy();
        for (int k = 0; k < dY.getNumElements(); k++) {
            dY.data[k] *= M; // dY = m dJ/dY
        }
        DMatrixRMaj dX = new DMatrixRMaj(N, M);
        layer.backward(x, y, dY, dX, step);
        for (int k = 0; k < dX.getNumElements(); k++) {
            dX.data[k] /= M; // back from m dJ/dX to dJ/dX
        }
        assertClose("dX", numericX, dX);
        assertClose("dgamma", numericGamma, parameter(layer, "gamma").gradient());
        assertClose("dbeta", numericBeta, parameter(layer, "beta").gradient());
    }

    @Test
    void checkingModeBackwardIsTheDerivativeOfTheBatchNormalizedOutput() {
        checkAgainstFiniteDifferences(Step::checking);
    }

    @Test
    void inferenceModeBackwardIsTheDerivativeOfTheFrozenAffineMap() {
        checkAgainstFiniteDifferences(Step::inference);
    }

    @Test
    void batchStatisticsMakeTheInputGradientSumToZeroAndBeOrthogonalToXhatInEachRow() {
        // dX = (gamma / sigma)(dY - mean(dY) - xhat mean(dY xhat)): sum_j dX_j = 0 and
        // sum_j dX_j xhat_j = 0, since mean(xhat) = 0 and mean(xhat^2) = var / (var + eps) ~ 1
        Layer layer = batchNorm("batch_norm(epsilon=1e-12)", N);
        DMatrixRMaj x = uniform(N, M, -2, 3, 31);
        DMatrixRMaj dY = uniform(N, M, -1, 1, 32);
        Step step = Step.checking();
        DMatrixRMaj y = new DMatrixRMaj(N, M);
        layer.forward(x, y, step);
        DMatrixRMaj dX = new DMatrixRMaj(N, M);
        layer.backward(x, y, dY, dX, step);
        for (int i = 0; i < N; i++) {
            double sum = 0;
            double dot = 0;
            double scale = 0;
            for (int j = 0; j < M; j++) {
                sum += dX.get(i, j);
                dot += dX.get(i, j) * y.get(i, j); // gamma = 1, beta = 0: y is xhat
                scale += Math.abs(dX.get(i, j));
            }
            assertEquals(0.0, sum, 1e-12 * scale, "row " + i);
            assertEquals(0.0, dot, 1e-9 * scale, "row " + i);
        }
    }
}
