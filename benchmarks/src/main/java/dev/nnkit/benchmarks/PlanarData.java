package dev.nnkit.benchmarks;

import dev.nnkit.Dataset;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * A copy of nnkit's example generator {@code dev.nnkit.examples.PlanarData} (the benchmarks do
 * not depend on the examples module): the lecture notes' 2-D "flower". For class {@code j} in
 * {0, 1} and {@code N} points per class: {@code t = linspace(3.12 j, 3.12 (j + 1), N) + 0.2 randn},
 * {@code r = 4 sin(4 t) + 0.2 randn}, point {@code (r sin t, r cos t)}, label {@code j}. The same
 * recipe as the baseline's {@link SynthData#flower}, drawn from {@link SplittableRandom} instead of
 * {@link java.util.Random}, so the points differ while the workload's cost does not.
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
}
