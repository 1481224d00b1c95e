package dev.nnkit.initializers;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.NamedProvider;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * All weights zero, spec {@code zeros}: {@code W = 0}; mean 0, variance 0. Takes no arguments and
 * draws no random numbers.
 *
 * <p><b>For demonstrating the symmetry problem only (MATH §4); never use it to train.</b> When every
 * weight of a layer starts equal, every hidden unit computes the same function, receives the same
 * gradient and stays identical to the others forever: the layer behaves like a single unit. With
 * all-zero weights and zero biases, a tanh or ReLU hidden layer even passes back no gradient at all.
 * Biases may start at zero (they do not cause symmetry); weights need a random initializer such as
 * {@link HeNormal he_normal} or {@link XavierNormal xavier_normal}.
 */
public final class Zeros implements Initializer {

    Zeros() {
    }

    @Override
    public void initialize(DMatrixRMaj w, RandomGenerator random) {
        Arrays.fill(w.data, 0, w.getNumElements(), 0.0);
    }

    @Override
    public double variance(int fanIn, int fanOut) {
        Initializers.checkFans(this, fanIn, fanOut);
        return 0.0;
    }

    @Override
    public String toString() {
        return "zeros";
    }

    /** Registers {@code zeros}. */
    public static final class Provider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Initializer.class, "zeros");
        }

        @Override
        public Initializer create(Arguments arguments) {
            return new Zeros();
        }
    }
}
