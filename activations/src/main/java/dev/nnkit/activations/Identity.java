package dev.nnkit.activations;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatActivation;
import dev.nnkit.spi.NamedProvider;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The identity, or linear, activation (MATH §2), spec {@code identity}, element-wise on
 * {@code (n, m)} matrices: {@code a = g(z) = z}, {@code g'(z) = 1}, so backward copies
 * {@code dZ = dA}. Meant for regression outputs (with {@code mean_squared_error}); in hidden layers
 * it makes the network collapse to one linear map, {@code W2(W1 X + b1) + b2 = W'X + b'}.
 * Takes no arguments.
 */
public final class Identity implements Activation, FloatActivation {

    Identity() {
    }

    @Override
    public void forward(DMatrixRMaj z, DMatrixRMaj a) {
        Shapes.requireSameShape(this, z, "A", a);
        if (a != z) {
            System.arraycopy(z.data, 0, a.data, 0, z.getNumElements());
        }
    }

    @Override
    public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
        Shapes.requireBackwardShapes(this, z, a, dA, dZ);
        if (dZ != dA) {
            System.arraycopy(dA.data, 0, dZ.data, 0, dA.getNumElements());
        }
    }

    @Override
    public void forward(FMatrixRMaj z, FMatrixRMaj a) {
        Shapes.requireSameShape(this, z, "A", a);
        if (a != z) {
            System.arraycopy(z.data, 0, a.data, 0, z.getNumElements());
        }
    }

    @Override
    public void backward(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj dA, FMatrixRMaj dZ) {
        Shapes.requireBackwardShapes(this, z, a, dA, dZ);
        if (dZ != dA) {
            System.arraycopy(dA.data, 0, dZ.data, 0, dA.getNumElements());
        }
    }

    @Override
    public String toString() {
        return "identity";
    }

    /** Registers {@code identity}. */
    public static final class Provider extends NamedProvider<Activation> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Activation.class, "identity");
        }

        @Override
        public Activation create(Arguments arguments) {
            return new Identity();
        }
    }
}
