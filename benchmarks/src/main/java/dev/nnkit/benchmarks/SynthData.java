package dev.nnkit.benchmarks;

import dev.nnkit.data.Dataset;
import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;

/**
 * The Deeplearning4j baseline's synthetic data ({@code ../shared/bench/dl4j-baseline/src/main/java/bench/SynthData.java}),
 * ported without change of recipe, seeds or draw order, plus its conversion to nnkit data sets.
 *
 * <p>MLP data: {@code n x 784} features uniform in {@code [0, 1)} drawn with
 * {@code new Random(seed).nextFloat()} sample by sample; labels from a fixed random linear teacher
 * {@code T} (784 x 10, {@code new Random(seed + 1).nextGaussian()}): the argmax over 10 classes of
 * {@code (x - 0.5) . T}, accumulated in double in feature order.
 *
 * <p>Tiny data: the 400-point planar "flower" of the baseline ({@code java.util.Random}).
 */
public final class SynthData {

    private SynthData() {
    }

    /** Features per example and classes of the MLP workload. */
    public static final int IN = 784;
    public static final int CLASSES = 10;

    /** Row-major {@code n x 784} features, exactly the baseline's {@code SynthData.features}. */
    public static float[] features(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return x;
    }

    /** The teacher's labels, exactly the baseline's {@code SynthData.labels}. */
    public static int[] labels(float[] x, int n, long seed) {
        double[] t = teacher(seed);
        int[] y = new int[n];
        double[] s = new double[CLASSES];
        for (int i = 0; i < n; i++) {
            Arrays.fill(s, 0);
            for (int j = 0; j < IN; j++) {
                double v = x[i * IN + j] - 0.5;
                for (int c = 0; c < CLASSES; c++) {
                    s[c] += v * t[j * CLASSES + c];
                }
            }
            y[i] = argmax(s);
        }
        return y;
    }

    private static double[] teacher(long seed) {
        Random r = new Random(seed + 1);
        double[] t = new double[IN * CLASSES];
        for (int i = 0; i < t.length; i++) {
            t[i] = r.nextGaussian();
        }
        return t;
    }

    private static int argmax(double[] s) {
        int best = 0;
        for (int c = 1; c < CLASSES; c++) {
            if (s[c] > s[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * The MLP data set: {@link #features} kept as they are, floats one example after another
     * ({@link Dataset#ofFloatRows}, 188 MB for 60,000 examples where doubles would take 376), and the
     * teacher's {@link #labels} one-hot {@code (10, n)}. The same numbers as the baseline's, widened
     * exactly to double when a batch is read.
     */
    public static Dataset mlp(int n, long seed) {
        float[] x = features(n, seed);
        int[] classes = labels(x, n, seed);
        DMatrixRMaj y = new DMatrixRMaj(CLASSES, n);
        for (int i = 0; i < n; i++) {
            y.data[classes[i] * n + i] = 1.0;
        }
        return Dataset.ofFloatRows(x, IN, y);
    }

    /**
     * The baseline's planar flower, exactly its {@code SynthData.flower}: returns
     * {@code {X (2 x 400 row-major: row 0 = x coordinates, row 1 = y coordinates), Y (400)}}.
     */
    public static double[][] flower(long seed) {
        Random r = new Random(seed);
        int m = 400;
        int per = 200;
        double a = 4;
        double[] x = new double[2 * m];
        double[] y = new double[m];
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < per; i++) {
                int ix = j * per + i;
                double theta = j * 3.12 + (3.12 * i) / (per - 1) + r.nextGaussian() * 0.2;
                double rad = a * Math.sin(4 * theta) + r.nextGaussian() * 0.2;
                x[ix] = rad * Math.sin(theta);
                x[m + ix] = rad * Math.cos(theta);
                y[ix] = j;
            }
        }
        return new double[][] {x, y};
    }

    /** {@link #flower} as an nnkit data set: {@code X} is {@code (2, 400)}, {@code Y} is {@code (1, 400)}. */
    public static Dataset flowerDataset(long seed) {
        double[][] f = flower(seed);
        return new Dataset(new DMatrixRMaj(2, 400, true, f[0]), new DMatrixRMaj(1, 400, true, f[1]));
    }
}
