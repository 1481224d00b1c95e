package dev.nnkit.examples;

import dev.nnkit.data.Dataset;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * The 2-D "circles" data set of the notes' initialization lesson: two noisy concentric rings, the
 * recipe of scikit-learn's {@code make_circles(n, noise, factor)}. Of {@code m} points,
 * {@code m / 2} (rounded down) lie on the outer circle of radius 1 (label 0) and the others on the
 * inner circle of radius {@code factor} (label 1), at evenly spaced angles
 * {@code 2 pi k / count}; each coordinate then gets Gaussian noise of standard deviation
 * {@code noise}. No line separates the classes; a small ReLU network does.
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
}
