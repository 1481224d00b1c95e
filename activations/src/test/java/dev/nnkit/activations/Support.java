package dev.nnkit.activations;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Activation;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/** Small helpers shared by the tests. */
final class Support {

    private Support() {
    }

    /** Makes an activation through the registry, as a user would. */
    static Activation create(String spec) {
        return PluginRegistry.defaults().create(Activation.class, spec);
    }

    /** A matrix of {@code rows} rows holding {@code values} in row-major order, padded with zeros. */
    static DMatrixRMaj matrix(int rows, double... values) {
        int cols = (values.length + rows - 1) / rows;
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        System.arraycopy(values, 0, out.data, 0, values.length);
        return out;
    }

    /** A matrix of the shape of {@code like} with every entry {@code value}. */
    static DMatrixRMaj filled(DMatrixRMaj like, double value) {
        DMatrixRMaj out = new DMatrixRMaj(like.numRows, like.numCols);
        Arrays.fill(out.data, value);
        return out;
    }

    static DMatrixRMaj forward(Activation g, DMatrixRMaj z) {
        DMatrixRMaj a = new DMatrixRMaj(z.numRows, z.numCols);
        g.forward(z, a);
        return a;
    }

    static DMatrixRMaj backward(Activation g, DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA) {
        DMatrixRMaj dZ = new DMatrixRMaj(z.numRows, z.numCols);
        g.backward(z, a, dA, dZ);
        return dZ;
    }

    /** The first entry of {@code actual} that is not finite, as a message, or null. */
    static String firstNonFinite(String what, DMatrixRMaj input, DMatrixRMaj actual) {
        for (int k = 0; k < actual.getNumElements(); k++) {
            if (!Double.isFinite(actual.data[k])) {
                return what + "[" + k + "] = " + actual.data[k] + " for z = " + input.data[k];
            }
        }
        return null;
    }

    /**
     * Whether two matrices hold the same values entry by entry, treating 0.0 and -0.0 as equal and
     * NaN as unequal to everything (a NaN that leaks out must fail the comparison).
     */
    static boolean sameValues(DMatrixRMaj x, DMatrixRMaj y) {
        if (x.numRows != y.numRows || x.numCols != y.numCols) {
            return false;
        }
        for (int k = 0; k < x.getNumElements(); k++) {
            if (!(x.data[k] == y.data[k])) {
                return false;
            }
        }
        return true;
    }
}
