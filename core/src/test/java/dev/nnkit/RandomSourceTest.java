package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.io.DataFileException;
import dev.nnkit.io.NetworkConfigs;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.RandomSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The random source kind: registry, network build, config files. */
class RandomSourceTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.defaults();

    /** np.random.seed(2); np.random.randn(4, 2) * 0.01, then randn(1, 4) * 0.01, as NumPy prints them (hex, exact). */
    private static final double[] NUMPY_W1 = {-0x1.11205d3fe4613p-8, -0x1.27000e9f79167p-11, -0x1.5dfe8eebfe2e5p-6,
        0x1.0cbdf1b25b686p-6, -0x1.25d623f6f8f6fp-6, -0x1.13d2e308f1ae3p-7, 0x1.4991806793d16p-8, -0x1.980e5607c723bp-7};
    private static final double[] NUMPY_W2 = {-0x1.5aab76e75a518p-7, -0x1.29dd15e3beb83p-7, 0x1.6966a2dda104cp-8,
        0x1.778e2c206dac5p-6};

    @Test
    void theKindIsInTheDefaultRegistry() {
        assertTrue(REGISTRY.names(RandomSource.class).containsAll(List.of("splittable", "numpy_legacy")),
                REGISTRY.names(RandomSource.class).toString());
        assertEquals("numpy_legacy(seed=2)", REGISTRY.create(RandomSource.class, "numpy_legacy(seed=2)").toString());
        assertEquals("numpy_legacy", REGISTRY.create(RandomSource.class, "numpy_legacy").toString());
        // the spec's seed wins over the caller's; without one the caller's is used
        RandomGenerator pinned = REGISTRY.create(RandomSource.class, "numpy_legacy(seed=0)").generator(99);
        assertEquals(1.764052345967664, pinned.nextGaussian());
        assertEquals(1.764052345967664, REGISTRY.create(RandomSource.class, "numpy_legacy").generator(0).nextGaussian());
        // the default is what networks always used
        RandomGenerator splittable = REGISTRY.create(RandomSource.class, "splittable").generator(5);
        assertEquals(new SplittableRandom(5).nextGaussian(), splittable.nextGaussian());
    }

    @Test
    void badSeedsAreRefusedWithTheRange() {
        PluginException spec = assertThrows(PluginException.class, () -> REGISTRY.create(RandomSource.class, "numpy_legacy(seed=-3)"));
        assertTrue(spec.getMessage().contains("seed=-3") && spec.getMessage().contains("4294967295"), spec.getMessage());
        PluginException text = assertThrows(PluginException.class, () -> REGISTRY.create(RandomSource.class, "numpy_legacy(seed=two)"));
        assertTrue(text.getMessage().contains("seed=two"), text.getMessage());
        PluginException unknown = assertThrows(PluginException.class, () -> REGISTRY.create(RandomSource.class, "numpy"));
        assertTrue(unknown.getMessage().contains("numpy_legacy"), unknown.getMessage());
        IllegalArgumentException network = assertThrows(IllegalArgumentException.class, () -> Network.builder(2)
                .dense(1, "sigmoid").initializer("test_gaussian").loss("binary_cross_entropy").random("numpy_legacy")
                .seed(-1).build());
        assertTrue(network.getMessage().contains("-1") && network.getMessage().contains("4294967295"), network.getMessage());
    }

    @Test
    void aNumpyLegacyNetworkStartsFromTheWeightsNumpyDrawsLayerByLayer() {
        Network net = Network.builder(2).initializer("test_gaussian(std=0.01)").activation("sigmoid")
                .dense(4).dense(1).loss("binary_cross_entropy").random("numpy_legacy").seed(2).build();
        assertEquals("numpy_legacy", net.config().random());
        DMatrixRMaj w1 = net.parameter(1, "W");
        DMatrixRMaj w2 = net.parameter(2, "W");
        for (int k = 0; k < NUMPY_W1.length; k++) {
            assertEquals(NUMPY_W1[k], w1.data[k], "W[1] entry " + k);
        }
        for (int k = 0; k < NUMPY_W2.length; k++) {
            assertEquals(NUMPY_W2[k], w2.data[k], "W[2] entry " + k);
        }
        assertEquals(0.0, net.parameter(1, "b").data[0]);
        // numpy_legacy(seed=2) pins the seed in the spec, whatever the network's seed
        Network pinned = Network.builder(2).initializer("test_gaussian(std=0.01)").activation("sigmoid")
                .dense(4).dense(1).loss("binary_cross_entropy").random("numpy_legacy(seed=2)").seed(77).build();
        assertEquals(NUMPY_W1[5], pinned.parameter(1, "W").data[5]);
        assertEquals(NUMPY_W2[3], pinned.parameter(2, "W").data[3]);
        // the default source is unchanged: a network without random(...) draws from SplittableRandom(seed)
        Network plain = Network.builder(2).initializer("test_gaussian(std=0.01)").activation("sigmoid")
                .dense(4).dense(1).loss("binary_cross_entropy").seed(2).build();
        assertEquals(NetworkConfig.DEFAULT_RANDOM, plain.config().random());
        assertEquals(0.01 * new SplittableRandom(2).nextGaussian(), plain.parameter(1, "W").data[0]);
    }

    @Test
    void configFilesCarryTheSourceOnlyWhenItIsNotTheDefault() throws Exception {
        NetworkConfig numpy = new NetworkConfig(2, List.of(LayerConfig.dense(1).withActivation("sigmoid")
                .withInitializer("test_gaussian").withRegularizers()), "binary_cross_entropy", 3, "numpy_legacy(seed=3)");
        String json = NetworkConfigs.toJson(numpy);
        assertTrue(json.contains("\"random\" : \"numpy_legacy(seed=3)\""), json);
        assertEquals(numpy, NetworkConfigs.fromJson(json).network());
        NetworkConfig plain = new NetworkConfig(2, numpy.layers(), "binary_cross_entropy", 3);
        String plainJson = NetworkConfigs.toJson(plain);
        assertFalse(plainJson.contains("random"), plainJson);
        assertEquals(NetworkConfig.DEFAULT_RANDOM, NetworkConfigs.fromJson(plainJson).network().random());
        String bad = json.replace("numpy_legacy(seed=3)", "numpy_legacy(seed=99999999999)");
        PluginException e = assertThrows(PluginException.class, () -> NetworkConfigs.fromJson(bad));
        assertTrue(e.getMessage().contains("random source") && e.getMessage().contains("99999999999"), e.getMessage());
        String wrongType = json.replace("\"numpy_legacy(seed=3)\"", "3");
        DataFileException type = assertThrows(DataFileException.class, () -> NetworkConfigs.fromJson(wrongType));
        assertTrue(type.getMessage().contains("random"), type.getMessage());
    }

    @Test
    void aDatasetShuffledByNumpyLegacyIsInTheOrderOfNumpysPermutation() {
        DMatrixRMaj x = new DMatrixRMaj(1, 10);
        for (int k = 0; k < 10; k++) {
            x.set(0, k, k);
        }
        dev.nnkit.data.Dataset shuffled = new dev.nnkit.data.Dataset(x, x.copy())
                .shuffled(new dev.nnkit.random.NumpyRandomState(0));
        // np.random.seed(0); np.random.permutation(10)
        int[] numpy = {2, 8, 4, 9, 1, 6, 7, 3, 0, 5};
        for (int k = 0; k < 10; k++) {
            assertEquals(numpy[k], shuffled.features().get(0, k), "column " + k);
        }
    }
}
