package dev.nnkit.initializers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.PluginRegistry;
import dev.nnkit.random.NumpyRandomState;
import dev.nnkit.spi.Initializer;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * With NumPy's legacy generator the normal initializers draw exactly what NumPy draws for
 * {@code np.random.seed(N)} followed by {@code randn(n[1], n[0]) * std} and
 * {@code randn(n[2], n[1]) * std} (one stream, C order, each draw times the standard deviation).
 * The expected values are NumPy's own, as exact hex literals.
 */
class NumpyDrawOrderTest {

    private static void assertDraws(String spec, double[] first, double[] second) {
        Initializer init = PluginRegistry.defaults().create(Initializer.class, spec);
        NumpyRandomState random = new NumpyRandomState(5); // np.random.seed(5)
        DMatrixRMaj w1 = new DMatrixRMaj(3, 2);
        DMatrixRMaj w2 = new DMatrixRMaj(1, 3);
        init.initialize(w1, random);
        init.initialize(w2, random);
        for (int k = 0; k < first.length; k++) {
            assertEquals(first[k], w1.data[k], spec + " W[1] entry " + k);
        }
        for (int k = 0; k < second.length; k++) {
            assertEquals(second[k], w2.data[k], spec + " W[2] entry " + k);
        }
    }

    @Test
    void xavierNormalIsRandnTimesSqrtTwoOverFanInPlusFanOut() {
        // np.random.randn(3, 2) * np.sqrt(2 / (2 + 3)); np.random.randn(1, 3) * np.sqrt(2 / (3 + 1))
        assertDraws("xavier_normal", new double[] {0x1.1dc10e7d05a1fp-2, -0x1.ac90da11e2bf2p-3, 0x1.8990139b8dfc4p+0,
            -0x1.4686f036c05d8p-3, 0x1.1bf2cd3fba8ddp-4, 0x1.0037a2cbe5b18p+0},
                new double[] {-0x1.492d630849216p-1, -0x1.ac6404e7c0f7cp-2, 0x1.0fadb19550465p-3});
    }

    @Test
    void lecunNormalIsTheNotesXavierRandnTimesSqrtOneOverFanIn() {
        // np.random.randn(3, 2) * np.sqrt(1 / 2); np.random.randn(1, 3) * np.sqrt(1 / 3)
        assertDraws("lecun_normal", new double[] {0x1.3f7b9a8917999p-2, -0x1.df26b285d601ep-3, 0x1.b8043efe451f0p+0,
            -0x1.6d11829d28154p-3, 0x1.3d76c97acdc50p-4, 0x1.1e75ada7b7f7ep+0},
                new double[] {-0x1.0cc5aa8e70afep-1, -0x1.5dc7900bf28a0p-2, 0x1.bba62c981d531p-4});
    }
}
