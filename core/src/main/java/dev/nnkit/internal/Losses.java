package dev.nnkit.internal;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/** Pieces shared by the built-in losses. */
final class Losses {

    private Losses() {
    }

    /** {@code out = a - y}, element-wise. */
    static void difference(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj out) {
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            out.data[k] = a.data[k] - y.data[k];
        }
    }

    /** {@code out = a - y}, element-wise, in float. */
    static void difference(FMatrixRMaj a, FMatrixRMaj y, FMatrixRMaj out) {
        int n = a.getNumElements();
        for (int k = 0; k < n; k++) {
            out.data[k] = a.data[k] - y.data[k];
        }
    }
}
