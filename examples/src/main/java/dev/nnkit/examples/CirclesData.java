package dev.nnkit.examples;

import dev.nnkit.data.Dataset;
import dev.nnkit.random.NumpyRandomState;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * The 2-D "circles" data set of the notes' initialization lesson: two noisy concentric rings, the
 * recipe of scikit-learn's {@code make_circles(n, noise, factor)}. Of {@code m} points,
 * {@code m / 2} (rounded down) lie on the outer circle of radius 1 (label 0) and the others on the
 * inner circle of radius {@code factor} (label 1), at evenly spaced angles
 * {@code 2 pi k / count}; each coordinate then gets Gaussian noise of standard deviation
 * {@code noise}. No line separates the classes; a small ReLU network does.
 *
 * <p>{@link #makeCircles} is scikit-learn's recipe itself, drawn from NumPy's legacy generator, and
 * {@link #courseTrain()} / {@link #courseTest()} are the initialization lesson's data sets, bit for
 * bit.
 */
public final class CirclesData {

    private CirclesData() {
    }

    /**
     * Generates the data set: {@code X} is {@code (2, m)}, {@code Y} is {@code (1, m)} with the
     * outer ring first.
     *
     * @param m      the number of points, {@code >= 4}
     * @param noise  the standard deviation of the Gaussian noise on each coordinate, {@code >= 0}
     * @param factor the inner radius relative to the outer one, in {@code (0, 1)}
     * @param seed   the seed of the noise
     */
    public static Dataset circles(int m, double noise, double factor, long seed) {
        if (m < 4) {
            throw new IllegalArgumentException("m=" + m + "; it must be >= 4 (two points per ring)");
        }
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("noise=" + noise + "; it must be a finite number >= 0");
        }
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("factor=" + factor + "; the inner radius must be in (0, 1)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int outer = m / 2;
        int inner = m - outer;
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int j = 0; j < m; j++) {
            boolean isInner = j >= outer;
            int k = isInner ? j - outer : j;
            int count = isInner ? inner : outer;
            double radius = isInner ? factor : 1.0;
            double angle = 2 * Math.PI * k / count;
            x.set(0, j, radius * Math.cos(angle) + noise * random.nextGaussian());
            x.set(1, j, radius * Math.sin(angle) + noise * random.nextGaussian());
            y.set(0, j, isInner ? 1 : 0);
        }
        return new Dataset(x, y);
    }

    /**
     * The initialization lesson's training set: {@code np.random.seed(1)} then
     * {@code make_circles(n_samples=300, noise=0.05)}, transposed: {@code X} is {@code (2, 300)}.
     */
    public static Dataset courseTrain() {
        return makeCircles(300, 0.05, 0.8, new NumpyRandomState(1));
    }

    /** The lesson's test set: {@code np.random.seed(2)} then {@code make_circles(n_samples=100, noise=0.05)}, transposed. */
    public static Dataset courseTest() {
        return makeCircles(100, 0.05, 0.8, new NumpyRandomState(2));
    }

    /**
     * scikit-learn's {@code make_circles(n_samples=m, shuffle=True, noise, factor)} of the 0.19 /
     * 0.20 releases, with the global NumPy generator ({@code random_state=None}), transposed to
     * nnkit's layout. The recipe: {@code n_out = m // 2} points on the outer circle at angles
     * {@code linspace(0, 2 pi, n_out, endpoint=False)} (that is {@code k * (2 pi / n_out)}), label 0,
     * then {@code n_in = m - n_out} on the inner one, {@code (factor cos, factor sin)} of
     * {@code linspace(0, 2 pi, n_in, endpoint=False)}, label 1; the rows are shuffled by
     * {@code shuffle(arange(m))} (the legacy Fisher–Yates, {@link NumpyRandomState#shuffle(int[])}),
     * then {@code normal(scale=noise, size=(m, 2))} is added in C order (point 0's x, point 0's y,
     * point 1's x, ...). For an even {@code m} 0.19's {@code linspace(0, 2 pi, m//2 + 1)[:-1]} gives
     * the same angles. {@code sin} and {@code cos} are correctly rounded ({@link RoundedTrig}).
     *
     * @param m      the number of points, {@code >= 2}
     * @param noise  the standard deviation of the noise, finite and {@code >= 0}
     * @param factor the inner radius, in {@code [0, 1)} as scikit-learn requires
     * @param random the generator, advanced by {@code m - 1} bounded draws and {@code 2 m} normal draws
     */
    public static Dataset makeCircles(int m, double noise, double factor, NumpyRandomState random) {
        if (m < 2) {
            throw new IllegalArgumentException("m=" + m + "; it must be >= 2 (one point per circle)");
        }
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("noise=" + noise + "; it must be a finite number >= 0");
        }
        if (!(factor >= 0 && factor < 1)) {
            throw new IllegalArgumentException("factor=" + factor + "; scikit-learn's factor must be in [0, 1)");
        }
        int outer = m / 2;
        int inner = m - outer;
        double[] px = new double[m];
        double[] py = new double[m];
        double[] label = new double[m];
        double outerStep = 2 * Math.PI / outer;
        double innerStep = 2 * Math.PI / inner;
        for (int k = 0; k < outer; k++) {
            px[k] = RoundedTrig.cos(k * outerStep);
            py[k] = RoundedTrig.sin(k * outerStep);
        }
        for (int k = 0; k < inner; k++) {
            px[outer + k] = RoundedTrig.cos(k * innerStep) * factor;
            py[outer + k] = RoundedTrig.sin(k * innerStep) * factor;
            label[outer + k] = 1;
        }
        int[] order = new int[m];
        for (int k = 0; k < m; k++) {
            order[k] = k;
        }
        random.shuffle(order);
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int i = 0; i < m; i++) {
            int from = order[i];
            x.set(0, i, px[from] + (0.0 + noise * random.nextGaussian()));
            x.set(1, i, py[from] + (0.0 + noise * random.nextGaussian()));
            y.set(0, i, label[from]);
        }
        return new Dataset(x, y);
    }
}
