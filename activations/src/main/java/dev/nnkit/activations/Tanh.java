package dev.nnkit.activations;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.PluginProvider;
import org.ejml.data.DMatrixRMaj;

/**
 * The hyperbolic tangent (SPEC §2), spec {@code tanh}, element-wise on {@code (n, m)} matrices:
 * {@code a = g(z) = (e^z - e^-z) / (e^z + e^-z)}, computed with {@link Math#tanh}, which never
 * overflows; the output lies in {@code [-1, 1]} and is centred on 0, which usually makes tanh a
 * better hidden-layer activation than sigmoid.
 *
 * <p>Backward: {@code dZ = dA * (1 - a^2)}, evaluated as {@code (1 - a)(1 + a)}, which keeps its
 * relative accuracy when {@code |a|} is close to 1. Backward reads only {@code A}, not {@code Z}.
 * Takes no arguments.
 */
public final class Tanh implements Activation {

    Tanh() {
    }

    @Override
    public void forward(DMatrixRMaj z, DMatrixRMaj a) {
        Shapes.requireSameShape(this, z, "A", a);
        double[] zd = z.data;
        double[] ad = a.data;
        for (int k = 0, n = z.getNumElements(); k < n; k++) {
            ad[k] = Math.tanh(zd[k]);
        }
    }

    @Override
    public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
        Shapes.requireBackwardShapes(this, z, a, dA, dZ);
        double[] ad = a.data;
        double[] dad = dA.data;
        double[] dzd = dZ.data;
        for (int k = 0, n = a.getNumElements(); k < n; k++) {
            double ak = ad[k];
            dzd[k] = dad[k] * ((1.0 - ak) * (1.0 + ak));
        }
    }

    @Override
    public String toString() {
        return "tanh";
    }

    /** Registers {@code tanh}. */
    public static final class Provider implements PluginProvider<Activation> {
        @Override
        public Class<Activation> kind() {
            return Activation.class;
        }

        @Override
        public String name() {
            return "tanh";
        }

        @Override
        public Activation create(Arguments arguments) {
            return new Tanh();
        }
    }
}
