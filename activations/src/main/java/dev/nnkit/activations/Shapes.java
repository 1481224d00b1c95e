package dev.nnkit.activations;

import dev.nnkit.spi.Activation;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/** The shape check shared by the activations; allocates only when it fails. */
final class Shapes {

    private Shapes() {
    }

    /**
     * Fails unless {@code other} has the shape of {@code z}.
     *
     * @param activation the activation, named in the message
     * @param z          the pre-activation {@code Z}, whose shape {@code (n, m)} is the reference
     * @param name       what {@code other} is, e.g. {@code A} or {@code dZ}
     * @param other      the matrix to check
     */
    static void requireSameShape(Activation activation, DMatrixRMaj z, String name, DMatrixRMaj other) {
        if (other.numRows != z.numRows || other.numCols != z.numCols) {
            throw new IllegalArgumentException(activation + ": " + name + " is (" + other.numRows + ", " + other.numCols
                    + ") but Z is (" + z.numRows + ", " + z.numCols + "); " + name
                    + " must have the shape of Z, (n, m) with one example per column");
        }
    }

    /** Checks {@code A}, {@code dA} and {@code dZ} of a backward pass against {@code Z}. */
    static void requireBackwardShapes(Activation activation, DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA,
            DMatrixRMaj dZ) {
        requireSameShape(activation, z, "A", a);
        requireSameShape(activation, z, "dA", dA);
        requireSameShape(activation, z, "dZ", dZ);
    }

    /** {@link #requireSameShape(Activation, DMatrixRMaj, String, DMatrixRMaj)} on float matrices. */
    static void requireSameShape(Activation activation, FMatrixRMaj z, String name, FMatrixRMaj other) {
        if (other.numRows != z.numRows || other.numCols != z.numCols) {
            throw new IllegalArgumentException(activation + ": " + name + " is (" + other.numRows + ", " + other.numCols
                    + ") but Z is (" + z.numRows + ", " + z.numCols + "); " + name
                    + " must have the shape of Z, (n, m) with one example per column");
        }
    }

    /** {@link #requireBackwardShapes(Activation, DMatrixRMaj, DMatrixRMaj, DMatrixRMaj, DMatrixRMaj)} on float matrices. */
    static void requireBackwardShapes(Activation activation, FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj dA,
            FMatrixRMaj dZ) {
        requireSameShape(activation, z, "A", a);
        requireSameShape(activation, z, "dA", dA);
        requireSameShape(activation, z, "dZ", dZ);
    }
}
