package dev.nnkit;

import dev.nnkit.spi.Parameter;
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

    /** One array per parameter, as long as its value (contents unspecified). */
    double[][] parameterCopies(List<Parameter> parameters) {
        if (lastGood.length != parameters.size()) {
            lastGood = new double[parameters.size()][];
        }
        for (int p = 0; p < lastGood.length; p++) {
            int n = parameters.get(p).value().getNumElements();
            if (lastGood[p] == null || lastGood[p].length != n) {
                lastGood[p] = new double[n];
            }
        }
        return lastGood;
    }
}
