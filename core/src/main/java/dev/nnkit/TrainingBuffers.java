package dev.nnkit;

import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * The arrays a training run needs besides the layers' own: the batch buffers, the example order
 * and the copy of the last good parameters. A network keeps one (training needs exclusive access
 * to the network anyway), so that a second {@code fit} on the same network allocates none of them
 * again. Grown when a run needs more, never shrunk.
 */
final class TrainingBuffers {

    final DMatrixRMaj xBatch = new DMatrixRMaj(1, 1);
    final DMatrixRMaj yBatch = new DMatrixRMaj(1, 1);
    private int[] order = new int[0];
    private double[][] lastGood = new double[0][];

    /** An array of {@code m} example indices (contents unspecified). */
    int[] order(int m) {
        if (order.length != m) {
            order = new int[m];
        }
        return order;
    }

    /** The training pass's context, reused by every step of every run. */
    Step step;

    /** One array per matrix (parameters, then state), as long as it (contents unspecified). */
    double[][] copies(List<DMatrixRMaj> arrays) {
        if (lastGood.length != arrays.size()) {
            lastGood = new double[arrays.size()][];
        }
        for (int p = 0; p < lastGood.length; p++) {
            int n = arrays.get(p).getNumElements();
            if (lastGood[p] == null || lastGood[p].length != n) {
                lastGood[p] = new double[n];
            }
        }
        return lastGood;
    }
}
