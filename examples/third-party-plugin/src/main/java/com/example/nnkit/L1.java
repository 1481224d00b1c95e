package com.example.nnkit;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import org.ejml.data.DMatrixRMaj;

/**
 * L1 weight penalty (lasso), spec {@code l1(lambda=0.01)}: for a weight matrix {@code W[l]} and a
 * batch of {@code m} examples it adds to the cost
 * <pre>{@code penalty = (lambda / m) * sum_ij |W_ij|}</pre>
 * and to the gradient {@code dW := dW + (lambda / m) * sign(W)}, with the convention
 * {@code sign(0) = 0} (the penalty has a kink at 0, where any value in {@code [-1, 1]} is a
 * subgradient; 0 leaves an exact zero weight where it is). Unlike L2's pull proportional to the
 * weight, the pull is the same for every nonzero weight, which drives small weights to zero and
 * makes the layer sparse.
 *
 * <p>{@code lambda} must be {@code >= 0}; default 0.01; {@code lambda = 0} is a no-op. A
 * {@link WeightPenalty}: the network applies it to the {@code WEIGHT} arrays of its layer only, never
 * to biases or scales. No state.
 */
public final class L1 implements WeightPenalty {

    /** The default strength. */
    static final double DEFAULT_LAMBDA = 0.01;

    private final double lambda;

    L1(double lambda) {
        this.lambda = lambda;
    }

    @Override
    public double penalty(DMatrixRMaj w, int m) {
        requirePositive(m);
        if (lambda == 0) {
            return 0;
        }
        double[] wd = w.data;
        double sum = 0;
        for (int k = 0, n = w.getNumElements(); k < n; k++) {
            sum += Math.abs(wd[k]);
        }
        return lambda / m * sum;
    }

    @Override
    public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
        requirePositive(m);
        if (w.numRows != dW.numRows || w.numCols != dW.numCols) {
            throw new IllegalArgumentException(this + ": W is (" + w.numRows + ", " + w.numCols + ") but dW is ("
                    + dW.numRows + ", " + dW.numCols + "); they must have the same shape");
        }
        if (lambda == 0) {
            return;
        }
        double scale = lambda / m;
        double[] wd = w.data;
        double[] gd = dW.data;
        for (int k = 0, n = w.getNumElements(); k < n; k++) {
            double x = wd[k];
            if (x > 0) {
                gd[k] += scale;
            } else if (x < 0) {
                gd[k] -= scale;
            }
        }
    }

    private void requirePositive(int m) {
        if (m <= 0) {
            throw new IllegalArgumentException(this + ": batch size m=" + m + " must be > 0");
        }
    }

    @Override
    public String toString() {
        return PluginSpec.of("l1").with("lambda", lambda).toString();
    }

    /** Registers {@code l1}; argument {@code lambda >= 0}, default 0.01. */
    public static final class Provider extends NamedProvider<Regularizer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Regularizer.class, "l1");
        }

        @Override
        public Regularizer create(Arguments arguments) {
            double lambda = arguments.getDouble("lambda", DEFAULT_LAMBDA);
            if (!(lambda >= 0)) {
                throw arguments.invalid("lambda", lambda, ">= 0 (0 switches the penalty off), e.g. lambda=0.01");
            }
            return new L1(lambda);
        }
    }
}
