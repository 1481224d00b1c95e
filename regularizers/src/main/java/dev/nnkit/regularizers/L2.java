package dev.nnkit.regularizers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import org.ejml.data.DMatrixRMaj;

/**
 * L2 weight decay (MATH §7), spec {@code l2(lambda=0.01)}: for a weight matrix {@code W[l]} and a
 * batch of {@code m} examples it adds to the cost
 * <pre>{@code penalty = (lambda / (2m)) * ||W||_F^2 = (lambda / (2m)) * sum_ij W_ij^2}</pre>
 * and to the gradient its derivative {@code dW := dW + (lambda / m) * W}, so that gradient descent
 * becomes {@code W := W - alpha (dW + (lambda / m) W)}.
 *
 * <p>{@code lambda} must be finite and {@code >= 0}; {@code lambda = 0} is a valid no-op (penalty 0,
 * {@code dW} left untouched). Biases are never penalized: the network passes only
 * {@code WEIGHT} parameters to a weight penalty. It does not transform activations and keeps no
 * state.
 */
public final class L2 implements WeightPenalty {

    /** The strength used when the spec gives none. */
    static final double DEFAULT_LAMBDA = 0.01;

    private final double lambda;

    L2(double lambda) {
        this.lambda = lambda;
    }

    /** The regularization strength {@code lambda}, {@code >= 0}. */
    public double lambda() {
        return lambda;
    }

    @Override
    public double penalty(DMatrixRMaj w, int m) {
        requirePositive(m);
        if (lambda == 0.0) {
            return 0.0;
        }
        double[] wd = w.data;
        double sumOfSquares = 0.0;
        for (int k = 0, n = w.getNumElements(); k < n; k++) {
            sumOfSquares += wd[k] * wd[k];
        }
        return lambda / (2.0 * m) * sumOfSquares;
    }

    @Override
    public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
        requirePositive(m);
        if (w.numRows != dW.numRows || w.numCols != dW.numCols) {
            throw new IllegalArgumentException(this + ": W is (" + w.numRows + ", " + w.numCols + ") but dW is ("
                    + dW.numRows + ", " + dW.numCols + "); they must have the same shape");
        }
        if (lambda == 0.0) {
            return;
        }
        double scale = lambda / m;
        double[] wd = w.data;
        double[] gd = dW.data;
        for (int k = 0, n = w.getNumElements(); k < n; k++) {
            gd[k] += scale * wd[k];
        }
    }

    private void requirePositive(int m) {
        if (m <= 0) {
            throw new IllegalArgumentException(this + ": batch size m=" + m + " must be > 0");
        }
    }

    @Override
    public String toString() {
        return PluginSpec.of("l2").with("lambda", lambda).toString();
    }

    /** Registers {@code l2}; argument {@code lambda}, default 0.01, finite and {@code >= 0}. */
    public static final class Provider extends NamedProvider<Regularizer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Regularizer.class, "l2");
        }

        @Override
        public Regularizer create(Arguments arguments) {
            double lambda = arguments.getDouble("lambda", DEFAULT_LAMBDA);
            if (!(lambda >= 0.0)) {
                throw arguments.invalid("lambda", lambda, ">= 0 (0 switches the penalty off), e.g. lambda=0.7");
            }
            return new L2(lambda);
        }
    }
}
