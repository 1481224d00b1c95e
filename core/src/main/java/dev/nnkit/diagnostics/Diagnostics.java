package dev.nnkit.diagnostics;

import dev.nnkit.ForwardTrace;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.internal.Access;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * Per-layer statistics of a network on one batch (MATH §5): run one forward and one backward pass
 * in {@linkplain StepContext.Mode#CHECKING checking} mode (the arithmetic of training: batch
 * statistics, no unit dropped, no state updated), and report for every layer the variance of {@code Z[l]} and {@code A[l]}
 * next to what the initializer's formula predicts, the norm of {@code dW[l]}, and the fraction of
 * dead or saturated units. A layer without a {@link Parameter.Role#WEIGHT} parameter (batch norm)
 * has no prediction, weight variance or weight-gradient norm: those are NaN.
 *
 * <pre>{@code
 * List<LayerStatistics> stats = Diagnostics.measure(network, batch);
 * log.info("per-layer statistics:\n{}", Diagnostics.format(stats));
 * }</pre>
 *
 * The measurement overwrites the network's gradient buffers but not its parameters.
 */
public final class Diagnostics {

    /** The slope {@code |g'(z)|} below which an entry counts as inactive (dead or saturated). */
    public static final double INACTIVE_SLOPE = 1e-2;

    private Diagnostics() {
    }

    /**
     * Measures every layer on {@code batch}.
     *
     * @param network the network; its parameters are not changed
     * @param batch   examples with labels valid for the network's loss
     * @return one entry per layer, layer 1 first
     */
    public static List<LayerStatistics> measure(Network network, Dataset batch) {
        network.computeGradients(batch);
        DMatrixRMaj input = Access.data().x(batch);
        // the same pass as the gradients': batch statistics where a layer has them, as in training
        ForwardTrace trace = network.forwardTrace(input, StepContext.Mode.CHECKING);
        List<LayerStatistics> out = new ArrayList<>();
        for (int l = 1; l <= network.depth(); l++) {
            DMatrixRMaj z = trace.z(l);
            DMatrixRMaj a = trace.a(l);
            Parameter weights = Access.model().parameters(network, l).stream()
                    .filter(p -> p.role() == Parameter.Role.WEIGHT).findFirst().orElse(null);
            int fanIn = network.units(l - 1);
            // the variance-preservation formula is about a weight matrix drawn by the initializer;
            // a layer without one (batch norm) has no prediction, not the initializer's
            double declared = weights == null ? Double.NaN : network.initializer(l).variance(fanIn, network.units(l));
            double weightVariance = weights == null ? Double.NaN : variance(weights.value());
            double gradientNorm = weights == null ? Double.NaN : frobenius(weights.gradient());

            DMatrixRMaj slope = new DMatrixRMaj(z.numRows, z.numCols);
            DMatrixRMaj ones = new DMatrixRMaj(z.numRows, z.numCols);
            ones.fill(1.0);
            network.activation(l).backward(z, a, ones, slope);
            int inactive = 0;
            int deadUnits = 0;
            for (int i = 0; i < z.numRows; i++) {
                int inactiveInRow = 0;
                for (int j = 0; j < z.numCols; j++) {
                    if (Math.abs(slope.get(i, j)) < INACTIVE_SLOPE) {
                        inactiveInRow++;
                    }
                }
                inactive += inactiveInRow;
                if (inactiveInRow == z.numCols) {
                    deadUnits++;
                }
            }
            out.add(new LayerStatistics(l, network.units(l), network.activation(l).toString(), variance(z), variance(a),
                    fanIn * declared * meanSquare(input), weightVariance, declared, gradientNorm,
                    (double) inactive / z.getNumElements(), (double) deadUnits / z.numRows));
            input = a;
        }
        return out;
    }

    /**
     * A fixed-width table of the statistics, one row per layer; {@code -} where a layer has no
     * weight matrix (e.g. batch norm) and so no prediction, {@code Var(W)} or {@code ||dW||}.
     */
    public static String format(List<LayerStatistics> statistics) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%5s %6s %-22s %11s %11s %11s %11s %11s %9s %9s%n",
                "layer", "units", "activation", "Var(Z)", "predicted", "Var(A)", "Var(W)", "||dW||", "inactive", "dead"));
        for (LayerStatistics s : statistics) {
            out.append(String.format(Locale.ROOT, "%5d %6d %-22s %11s %11s %11s %11s %11s %8.1f%% %8.1f%%%n",
                    s.layer(), s.units(), s.activation(), cell(s.zVariance()), cell(s.predictedZVariance()),
                    cell(s.aVariance()), cell(s.weightVariance()), cell(s.gradientNorm()),
                    100 * s.inactiveFraction(), 100 * s.deadUnitFraction()));
        }
        return out.toString();
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4g", value);
    }

    static double variance(DMatrixRMaj m) {
        int n = m.getNumElements();
        double mean = 0.0;
        for (int k = 0; k < n; k++) {
            mean += m.data[k];
        }
        mean /= n;
        double sum = 0.0;
        for (int k = 0; k < n; k++) {
            double d = m.data[k] - mean;
            sum += d * d;
        }
        return sum / n;
    }

    private static double meanSquare(DMatrixRMaj m) {
        double sum = 0.0;
        int n = m.getNumElements();
        for (int k = 0; k < n; k++) {
            sum += m.data[k] * m.data[k];
        }
        return sum / n;
    }

    private static double frobenius(DMatrixRMaj m) {
        double sum = 0.0;
        for (int k = 0, n = m.getNumElements(); k < n; k++) {
            sum += m.data[k] * m.data[k];
        }
        return Math.sqrt(sum);
    }
}
