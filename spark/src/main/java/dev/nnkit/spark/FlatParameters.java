package dev.nnkit.spark;

import dev.nnkit.Network;
import dev.nnkit.spi.Parameter;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A network's learned parameters as one flat array, the form in which they travel between the
 * driver and the executors: every array of {@link Network#parameters()} in its order
 * ({@code W[1], b[1], W[2], ...}), each row-major. The same layout serves the gradients.
 */
final class FlatParameters {

    private FlatParameters() {
    }

    /** The number of learned values of the network. */
    static int count(Network network) {
        int n = 0;
        for (Parameter p : network.parameters()) {
            n += p.value().getNumElements();
        }
        return n;
    }

    /** A copy of the parameter values. */
    static double[] values(Network network) {
        double[] out = new double[count(network)];
        int offset = 0;
        for (Parameter p : network.parameters()) {
            DMatrixRMaj v = p.value();
            System.arraycopy(v.data, 0, out, offset, v.getNumElements());
            offset += v.getNumElements();
        }
        return out;
    }

    /** Writes {@code flat} into the live parameter values. */
    static void setValues(Network network, double[] flat) {
        copyInto(flat, network.parameters(), false);
    }

    /** Writes {@code flat} into the live gradients. */
    static void setGradients(Network network, double[] flat) {
        copyInto(flat, network.parameters(), true);
    }

    private static void copyInto(double[] flat, List<Parameter> parameters, boolean gradients) {
        int offset = 0;
        for (Parameter p : parameters) {
            DMatrixRMaj target = gradients ? p.gradient() : p.value();
            System.arraycopy(flat, offset, target.data, 0, target.getNumElements());
            offset += target.getNumElements();
        }
        if (offset != flat.length) {
            throw new IllegalArgumentException("a flat array of " + flat.length + " values for a network of " + offset
                    + " parameters");
        }
    }
}
