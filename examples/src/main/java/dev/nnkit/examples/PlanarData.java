package dev.nnkit.examples;

import dev.nnkit.data.Dataset;
import dev.nnkit.random.NumpyRandomState;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * Small 2-D data sets for the examples, generated from a seed.
 *
 * <p>{@link #flower}: the lecture notes' "flower": two classes of points on the petals of a rose
 * curve. For class {@code j} in {0, 1} and {@code N} points per class:
 * {@code t = linspace(3.12 j, 3.12 (j + 1), N) + 0.2 randn},
 * {@code r = 4 sin(4 t) + 0.2 randn}, point {@code (r sin t, r cos t)}, label {@code j}.
 * A linear boundary cannot separate the classes (logistic regression stays near 47 %).
 *
 * <p>{@link #courseFlower()}: the course's own flower, bit for bit: the same recipe drawn from
 * NumPy's legacy generator in the assignment's order ({@code np.random.seed(1)}, then per class all
 * 200 angle draws, then all 200 radius draws).
 *
 * <p>{@link #moons}: two interleaved half-moons blurred by Gaussian noise, small and noisy enough
 * for a network to overfit (the regularization example).
 */
public final class PlanarData {

    private PlanarData() {
    }

    /**
     * Generates the data set: {@code X} is {@code (2, 2N)}, {@code Y} is {@code (1, 2N)}.
     *
     * @param perClass points per class {@code N}; the notes use 200 (m = 400)
     * @param seed     the seed of the noise
     */
    public static Dataset flower(int perClass, long seed) {
        if (perClass < 2) {
            throw new IllegalArgumentException("perClass=" + perClass + "; it must be >= 2");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int m = 2 * perClass;
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        double radius = 4.0;
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < perClass; i++) {
                int col = j * perClass + i;
                double start = 3.12 * j;
                double t = start + 3.12 * i / (perClass - 1) + 0.2 * random.nextGaussian();
                double r = radius * Math.sin(4 * t) + 0.2 * random.nextGaussian();
                x.set(0, col, r * Math.sin(t));
                x.set(1, col, r * Math.cos(t));
                y.set(0, col, j);
            }
        }
        return new Dataset(x, y);
    }

    /**
     * The course's flower data, as its {@code load_planar_dataset()} makes it after
     * {@code np.random.seed(1)}: {@code X} is {@code (2, 400)}, {@code Y} is {@code (1, 400)}, class 0
     * in the first 200 columns.
     */
    public static Dataset courseFlower() {
        return flower(200, new NumpyRandomState(1));
    }

    /**
     * The flower recipe drawn from a NumPy legacy generator in NumPy's order: for class
     * {@code j = 0, 1}, {@code t = linspace(3.12 j, 3.12 (j + 1), N) + 0.2 randn(N)}, then
     * {@code r = 4 sin(4 t) + 0.2 randn(N)}, the point {@code (r sin t, r cos t)}. {@code linspace}
     * is NumPy's: {@code start + i * ((stop - start) / (N - 1))}, its last value {@code stop} exactly;
     * {@code sin} and {@code cos} are correctly rounded, as the C library's were when the course
     * was made ({@link RoundedTrig}).
     *
     * @param perClass points per class {@code N >= 2}
     * @param random   the generator, advanced by {@code 4 N} normal draws
     */
    public static Dataset flower(int perClass, NumpyRandomState random) {
        if (perClass < 2) {
            throw new IllegalArgumentException("perClass=" + perClass + "; it must be >= 2");
        }
        int m = 2 * perClass;
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int j = 0; j < 2; j++) {
            double start = j * 3.12;
            double stop = (j + 1) * 3.12;
            double step = (stop - start) / (perClass - 1);
            double[] angleNoise = random.randn(perClass);
            double[] radiusNoise = random.randn(perClass);
            for (int i = 0; i < perClass; i++) {
                double grid = i == perClass - 1 ? stop : i * step + start;
                double t = grid + angleNoise[i] * 0.2;
                double r = 4 * RoundedTrig.sin(4 * t) + radiusNoise[i] * 0.2;
                int col = j * perClass + i;
                x.set(0, col, r * RoundedTrig.sin(t));
                x.set(1, col, r * RoundedTrig.cos(t));
                y.set(0, col, j);
            }
        }
        return new Dataset(x, y);
    }

    /**
     * Two interleaved half-moons with Gaussian noise, centred on the origin: {@code t ~ U(0, pi)},
     * the point {@code (cos t - 0.5, sin t - 0.25)} for class 0 and its mirror image through the
     * origin, {@code (0.5 - cos t, 0.25 - sin t)}, for class 1; then {@code noise * randn} is added
     * to each coordinate. The classes overlap where the moons
     * interleave, so no boundary is perfect and a flexible one can chase the noise.
     * {@code X} is {@code (2, 2N)} with class 0 in the first {@code N} columns, {@code Y} is
     * {@code (1, 2N)}.
     *
     * @param perClass points per class {@code N}, {@code >= 1}
     * @param noise    the standard deviation of the Gaussian noise, {@code >= 0}
     * @param seed     the seed of the angles and the noise; use different seeds for a training
     *                 and a test set
     */
    public static Dataset moons(int perClass, double noise, long seed) {
        if (perClass < 1) {
            throw new IllegalArgumentException("perClass=" + perClass + "; it must be >= 1");
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise=" + noise + "; it must be a finite value >= 0");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int m = 2 * perClass;
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < perClass; i++) {
                int col = j * perClass + i;
                double t = Math.PI * random.nextDouble();
                double sign = j == 0 ? 1 : -1;
                double x1 = sign * (Math.cos(t) - 0.5);
                double x2 = sign * (Math.sin(t) - 0.25);
                x.set(0, col, x1 + noise * random.nextGaussian());
                x.set(1, col, x2 + noise * random.nextGaussian());
                y.set(0, col, j);
            }
        }
        return new Dataset(x, y);
    }
}
