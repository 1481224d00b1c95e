package dev.nnkit.activations;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatActivation;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StandardFunction;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The softmax (MATH §2), spec {@code softmax}, column by column on {@code (n, m)} matrices (each
 * column is one example, and its {@code n} entries are the scores of {@code n} classes):
 * {@code a_i = e^(z_i) / sum_k e^(z_k)}. It is computed as {@code e^(z_i - max) / sum_k e^(z_k - max)}
 * with {@code max} the column's largest entry, which gives the same value without overflow: every
 * exponent is {@code <= 0} and the sum is at least 1. Each output column is a probability vector
 * (entries in {@code [0, 1]}, summing to 1), and adding a constant to a column does not change it.
 *
 * <p>Backward: the Jacobian {@code da_i/dz_j = a_i (delta_ij - a_j)} applied to {@code dA} per
 * column, {@code dZ_i = a_i (dA_i - sum_k a_k dA_k)}; it reads only {@code A}, not {@code Z}. With
 * {@code softmax_cross_entropy} the loss writes the fused {@code dZ = A - Y} itself and this method
 * is not called, but it is exact for any other loss. Takes no arguments.
 */
public final class Softmax implements StandardActivation, FloatActivation {

    /** {@link StandardFunction#SOFTMAX}: losses with a fused form for it use {@code dZ = A - Y}. */
    @Override
    public StandardFunction function() {
        return StandardFunction.SOFTMAX;
    }


    Softmax() {
    }

    @Override
    public void forward(DMatrixRMaj z, DMatrixRMaj a) {
        Shapes.requireSameShape(this, z, "A", a);
        int n = z.numRows;
        int m = z.numCols;
        int end = n * m;
        double[] zd = z.data;
        double[] ad = a.data;
        for (int j = 0; j < m; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = j; k < end; k += m) {
                max = Math.max(max, zd[k]);
            }
            double sum = 0.0;
            for (int k = j; k < end; k += m) {
                double e = Math.exp(zd[k] - max);
                ad[k] = e;
                sum += e;
            }
            for (int k = j; k < end; k += m) {
                ad[k] /= sum;
            }
        }
    }

    @Override
    public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
        Shapes.requireBackwardShapes(this, z, a, dA, dZ);
        int n = a.numRows;
        int m = a.numCols;
        int end = n * m;
        double[] ad = a.data;
        double[] dad = dA.data;
        double[] dzd = dZ.data;
        for (int j = 0; j < m; j++) {
            double dot = 0.0;
            for (int k = j; k < end; k += m) {
                dot += ad[k] * dad[k];
            }
            for (int k = j; k < end; k += m) {
                dzd[k] = ad[k] * (dad[k] - dot);
            }
        }
    }

    @Override
    public void forward(FMatrixRMaj z, FMatrixRMaj a) {
        Shapes.requireSameShape(this, z, "A", a);
        int n = z.numRows;
        int m = z.numCols;
        int end = n * m;
        float[] zd = z.data;
        float[] ad = a.data;
        for (int j = 0; j < m; j++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int k = j; k < end; k += m) {
                max = Math.max(max, zd[k]);
            }
            float sum = 0f;
            for (int k = j; k < end; k += m) {
                float e = (float) Math.exp((double) zd[k] - max); // the difference is exact in double
                ad[k] = e;
                sum += e;
            }
            for (int k = j; k < end; k += m) {
                ad[k] /= sum;
            }
        }
    }

    @Override
    public void backward(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj dA, FMatrixRMaj dZ) {
        Shapes.requireBackwardShapes(this, z, a, dA, dZ);
        int n = a.numRows;
        int m = a.numCols;
        int end = n * m;
        float[] ad = a.data;
        float[] dad = dA.data;
        float[] dzd = dZ.data;
        for (int j = 0; j < m; j++) {
            float dot = 0f;
            for (int k = j; k < end; k += m) {
                dot += ad[k] * dad[k];
            }
            for (int k = j; k < end; k += m) {
                dzd[k] = ad[k] * (dad[k] - dot);
            }
        }
    }

    @Override
    public String toString() {
        return "softmax";
    }

    /** Registers {@code softmax}. */
    public static final class Provider extends NamedProvider<Activation> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Activation.class, "softmax");
        }

        @Override
        public Activation create(Arguments arguments) {
            return new Softmax();
        }
    }
}
