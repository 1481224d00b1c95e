package dev.nnkit.internal;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatLoss;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.NamedProvider;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * Mean squared error for regression, spec {@code mean_squared_error}:
 * {@code L(a, y) = (1/2) ||a - y||^2} per example, {@code J = (1/m) sum L}, so the per-example
 * gradient is {@code dA = A - Y}, and the network forms {@code dZ = dA * g'(Z)} through any output activation
 * (usually {@code identity}, where {@code dZ = A - Y}). Labels may be any finite numbers.
 */
public final class MeanSquaredError implements Loss, FloatLoss {

    @Override
    public double cost(DMatrixRMaj a, DMatrixRMaj y) {
        double sum = 0.0;
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            double d = a.data[k] - y.data[k];
            sum += d * d;
        }
        return 0.5 * sum / a.numCols;
    }

    @Override
    public void gradient(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dA) {
        Losses.difference(a, y, dA);
    }

    /** The cost accumulated in double from the float entries; see {@link FloatLoss}. */
    @Override
    public double cost(FMatrixRMaj a, FMatrixRMaj y) {
        double sum = 0.0;
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            double d = (double) a.data[k] - y.data[k];
            sum += d * d;
        }
        return 0.5 * sum / a.numCols;
    }

    @Override
    public void gradient(FMatrixRMaj a, FMatrixRMaj y, FMatrixRMaj dA) {
        Losses.difference(a, y, dA);
    }

    @Override
    public String toString() {
        return "mean_squared_error";
    }

    /** Registers {@code mean_squared_error}. */
    public static final class Provider extends NamedProvider<Loss> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Loss.class, "mean_squared_error");
        }

        @Override
        public Loss create(Arguments arguments) {
            return new MeanSquaredError();
        }
    }
}
