package com.example.nnkit;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginSpec;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * Orthogonal initialization (Saxe, McClelland &amp; Ganguli, 2014), spec {@code orthogonal(gain=1)}:
 * {@code W (fanOut, fanIn)} is {@code gain} times a uniformly random (Haar-distributed) matrix with
 * orthonormal columns when it is tall or square ({@code fanOut >= fanIn}: {@code W^T W = gain^2 I})
 * and orthonormal rows when it is wide ({@code W W^T = gain^2 I}).
 *
 * <p>Construction: draw a Gaussian matrix {@code G} with {@code k = min(fanIn, fanOut)} columns of
 * length {@code max(fanIn, fanOut)} (the columns of {@code W}, or its rows when wide), and
 * orthonormalize them by Gram–Schmidt, run twice for accuracy. This is the QR decomposition
 * {@code G = QR} with the signs corrected so that {@code diag(R) > 0}, which makes {@code Q}
 * exactly Haar-distributed (Mezzadri 2007); a plain QR routine leaves the signs to the algorithm
 * and biases the distribution. It works in {@code W}'s own array and allocates nothing.
 *
 * <p>Declared moments, exact: {@code mean() = 0} (the distribution is symmetric under flipping
 * the sign of any column), and {@code variance(fanIn, fanOut) = gain^2 / max(fanIn, fanOut)}: the
 * {@code k} orthonormal vectors give {@code ||W||_F^2 = gain^2 k} over {@code fanIn fanOut} entries
 * that all have the same distribution. For a square matrix that is LeCun's {@code gain^2 / fanIn}.
 * The entries are not independent (a row or column has a fixed norm), which is the point.
 * {@code gain > 0}, default 1.
 */
public final class Orthogonal implements Initializer {

    /** The default gain. */
    static final double DEFAULT_GAIN = 1.0;

    private final double gain;

    Orthogonal(double gain) {
        this.gain = gain;
    }

    @Override
    public void initialize(DMatrixRMaj w, RandomGenerator random) {
        int rows = w.numRows;
        int cols = w.numCols;
        if (rows == 0 || cols == 0) {
            return;
        }
        double[] d = w.data;
        for (int k = 0, n = rows * cols; k < n; k++) {
            d[k] = random.nextGaussian();
        }
        if (rows >= cols) {
            // Tall or square: orthonormal columns, vector j is d[j], d[j + cols], ...
            orthonormalize(d, cols, rows, 1, cols, random);
        } else {
            // Wide: orthonormal rows, vector i is d[i * cols], d[i * cols + 1], ...
            orthonormalize(d, rows, cols, cols, 1, random);
        }
        for (int k = 0, n = rows * cols; k < n; k++) {
            d[k] *= gain;
        }
    }

    /**
     * Gram–Schmidt, twice, on {@code count} vectors of {@code length} entries; vector {@code v}
     * starts at {@code v * vectorStride} and its entries are {@code entryStride} apart. A vector
     * that is (numerically) in the span of the earlier ones, which has probability 0, is drawn again.
     */
    private static void orthonormalize(double[] d, int count, int length, int vectorStride, int entryStride,
            RandomGenerator random) {
        for (int v = 0; v < count; v++) {
            int start = v * vectorStride;
            while (true) {
                double before = norm(d, start, length, entryStride);
                for (int pass = 0; pass < 2; pass++) {
                    for (int u = 0; u < v; u++) {
                        int other = u * vectorStride;
                        double dot = 0;
                        for (int i = 0; i < length; i++) {
                            dot += d[start + i * entryStride] * d[other + i * entryStride];
                        }
                        for (int i = 0; i < length; i++) {
                            d[start + i * entryStride] -= dot * d[other + i * entryStride];
                        }
                    }
                }
                double after = norm(d, start, length, entryStride);
                if (after > 1e-10 * before) {
                    for (int i = 0; i < length; i++) {
                        d[start + i * entryStride] /= after;
                    }
                    break;
                }
                for (int i = 0; i < length; i++) {
                    d[start + i * entryStride] = random.nextGaussian();
                }
            }
        }
    }

    private static double norm(double[] d, int start, int length, int stride) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            double x = d[start + i * stride];
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    @Override
    public double variance(int fanIn, int fanOut) {
        if (fanIn < 1 || fanOut < 1) {
            throw new IllegalArgumentException(this + ": fanIn=" + fanIn + ", fanOut=" + fanOut + "; both must be >= 1");
        }
        return gain * gain / Math.max(fanIn, fanOut);
    }

    @Override
    public String toString() {
        return PluginSpec.of("orthogonal").with("gain", gain).toString();
    }

    /** Registers {@code orthogonal}; argument {@code gain > 0}, default 1. */
    public static final class Provider extends NamedProvider<Initializer> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(Initializer.class, "orthogonal");
        }

        @Override
        public Initializer create(Arguments arguments) {
            double gain = arguments.getDouble("gain", DEFAULT_GAIN);
            if (!(gain > 0)) {
                throw arguments.invalid("gain", gain, "> 0, e.g. gain=1");
            }
            return new Orthogonal(gain);
        }
    }
}
