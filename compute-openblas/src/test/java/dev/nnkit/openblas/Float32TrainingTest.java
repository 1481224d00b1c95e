package dev.nnkit.openblas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Compute;
import dev.nnkit.Dtype;
import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.spi.Parameter;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingHistory;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Float32 training on the bundled OpenBLAS ({@code sgemm}): the same program gives the same bits
 * on every run, and follows the float64 run on the same backend within float roundoff.
 */
class Float32TrainingTest {

    /** 64-128-10: every product of a batch of 32 has at least 2^14 multiply-adds, so all of them reach OpenBLAS. */
    private static Network network(Dtype dtype) {
        return Network.builder(64).initializer("he_normal").dense(128, "relu").dense(10, "softmax")
                .loss("softmax_cross_entropy").seed(5).dtype(dtype).build();
    }

    private static Dataset data() {
        Random r = new Random(8);
        int m = 512;
        DMatrixRMaj x = new DMatrixRMaj(64, m);
        DMatrixRMaj y = new DMatrixRMaj(10, m);
        for (int j = 0; j < m; j++) {
            int c = r.nextInt(10);
            y.set(c, j, 1);
            for (int i = 0; i < 64; i++) {
                x.set(i, j, r.nextGaussian() * 0.5 + (i % 10 == c ? 1 : 0));
            }
        }
        return new Dataset(x, y);
    }

    private static double[] flat(Network network) {
        return network.parameters().stream().flatMapToDouble(p -> java.util.Arrays.stream(p.value().data, 0,
                p.value().getNumElements())).toArray();
    }

    @Test
    void float32RunsRepeatBitForBitAndFollowFloat64() {
        assertEquals("openblas", Compute.backend(), Compute.path());
        assertTrue(Compute.floatKernels(), "the bundled backend multiplies floats with sgemm");
        Dataset data = data();
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("adam(learning_rate=0.002)").withEpochs(5)
                .withBatchSize(32).withSeed(3);
        Network a = network(Dtype.FLOAT32);
        Network b = network(Dtype.FLOAT32);
        Network d = network(Dtype.FLOAT64);
        TrainingHistory ha = new Trainer(hp).fit(a, data);
        new Trainer(hp).fit(b, data);
        TrainingHistory hd = new Trainer(hp).fit(d, data);
        assertArrayEquals(flat(a), flat(b), 0.0, "two float32 runs, same seeds, same backend and threads");
        double[] c32 = ha.stepCosts();
        double[] c64 = hd.stepCosts();
        assertEquals(c64[0], c32[0], 1e-5 * c64[0], "the first step's cost (before any update)");
        assertTrue(c32[c32.length - 1] < 0.5 * c32[0], "float32 learned: " + c32[0] + " -> " + c32[c32.length - 1]);
        assertEquals(d.accuracy(data), a.accuracy(data), 0.02);
        assertEquals(d.cost(data), a.cost(data), 0.05 * d.cost(data));
        for (Parameter p : a.parameters()) {
            for (int k = 0; k < p.value().getNumElements(); k++) {
                double v = p.value().data[k];
                assertEquals(v, (double) (float) v, "double copies hold the float values");
            }
        }
    }
}
