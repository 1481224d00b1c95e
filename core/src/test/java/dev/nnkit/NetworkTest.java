package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.spi.PluginException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.Parameter;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class NetworkTest {

    private static DMatrixRMaj random(int rows, int cols, long seed) {
        Random r = new Random(seed);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            m.data[k] = r.nextGaussian();
        }
        return m;
    }

    private static Network linearNet(int... units) {
        Network.Builder b = Network.builder(units[0]).activation("test_scaled(factor=1)")
                .initializer("test_gaussian(std=0.5)").loss("mean_squared_error").seed(7);
        for (int l = 1; l < units.length; l++) {
            b.dense(units[l]);
        }
        return b.build();
    }

    @Test
    void forwardIsWAPlusBWithBiasBroadcastOverColumns() {
        Network net = linearNet(3, 2);
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{1, 2, 3}, {-1, 0, 0.5}});
        DMatrixRMaj b = new DMatrixRMaj(new double[][] {{0.1}, {-0.2}});
        net.setParameter(1, "W", w);
        net.setParameter(1, "b", b);
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 0}, {0, 1}, {2, -1}});
        DMatrixRMaj expected = new DMatrixRMaj(new double[][] {{1 + 6 + 0.1, 2 - 3 + 0.1}, {-1 + 1 - 0.2, -0.5 - 0.2}});
        assertArrayEquals(expected.data, net.predict(x).data, 1e-15);
    }

    @Test
    void withoutANonlinearityDepthCollapsesToOneLinearMap() {
        // MATH §2: W2 (W1 X + b1) + b2 = W' X + b' with W' = W2 W1, b' = W2 b1 + b2
        Network net = linearNet(3, 5, 2);
        DMatrixRMaj w1 = net.parameter(1, "W");
        DMatrixRMaj w2 = net.parameter(2, "W");
        DMatrixRMaj b1 = random(5, 1, 1);
        DMatrixRMaj b2 = random(2, 1, 2);
        net.setParameter(1, "b", b1);
        net.setParameter(2, "b", b2);
        DMatrixRMaj wPrime = new DMatrixRMaj(2, 3);
        CommonOps_DDRM.mult(w2, w1, wPrime);
        DMatrixRMaj bPrime = new DMatrixRMaj(2, 1);
        CommonOps_DDRM.mult(w2, b1, bPrime);
        CommonOps_DDRM.addEquals(bPrime, b2);
        DMatrixRMaj x = random(3, 9, 3);
        DMatrixRMaj expected = new DMatrixRMaj(2, 9);
        CommonOps_DDRM.mult(wPrime, x, expected);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 9; j++) {
                expected.add(i, j, bPrime.get(i, 0));
            }
        }
        assertArrayEquals(expected.data, net.predict(x).data, 1e-12);
    }

    @Test
    void backwardMatchesCentralDifferencesOfTheCost() {
        for (Network net : List.of(linearNet(3, 4, 2),
                Network.builder(3).activation("test_scaled(factor=0.7)").initializer("test_gaussian(std=0.8)")
                        .dense(4).dense(1, "sigmoid").loss("binary_cross_entropy").seed(11).build())) {
            int outputs = net.units(net.depth());
            DMatrixRMaj y = new DMatrixRMaj(outputs, 6);
            for (int k = 0; k < y.getNumElements(); k++) {
                y.data[k] = outputs == 1 ? k % 2 : 0.3 * k - 1;
            }
            Dataset data = new Dataset(random(3, 6, 5), y);
            net.computeGradients(data);
            for (Parameter p : net.parameters()) {
                for (int k = 0; k < p.value().getNumElements(); k++) {
                    double saved = p.value().data[k];
                    double h = 1e-6;
                    p.value().data[k] = saved + h;
                    double plus = net.cost(data);
                    p.value().data[k] = saved - h;
                    double minus = net.cost(data);
                    p.value().data[k] = saved;
                    double numeric = (plus - minus) / (2 * h);
                    double analytic = p.gradient().data[k];
                    double relative = Math.abs(numeric - analytic) / Math.max(1e-8, Math.abs(numeric) + Math.abs(analytic));
                    assertTrue(relative < 1e-6, net + " " + p.name() + "[" + k + "]: numeric " + numeric + " vs backprop " + analytic);
                }
            }
        }
    }

    @Test
    void parametersAreReadableAndSettableByLayerWithShapeChecks() {
        Network net = linearNet(2, 3, 1);
        assertEquals(2, net.depth());
        assertEquals(2, net.units(0));
        assertEquals(3, net.units(1));
        assertEquals(1, net.units(2));
        assertEquals(3, net.parameter(1, "W").numRows);
        assertEquals(2, net.parameter(1, "W").numCols);
        assertArrayEquals(new double[3], net.parameter(1, "b").data, 0.0, "biases start at zero");
        DMatrixRMaj copy = net.parameter(1, "W");
        copy.set(0, 0, 99);
        assertTrue(net.parameter(1, "W").get(0, 0) != 99, "parameter() returns a copy");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.setParameter(1, "W", new DMatrixRMaj(2, 3)));
        assertEquals("W[1] is (3, 2) but the given matrix is (2, 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.parameter(3, "W"));
        assertEquals("layer 3 does not exist; layers are numbered 1..2 (0 is the input)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.parameter(1, "gamma"));
        assertEquals("layer 1 (dense(units=3)) has no parameter 'gamma'; it has W, b", e.getMessage());
        DMatrixRMaj bad = new DMatrixRMaj(1, 3);
        bad.set(0, 1, Double.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> net.setParameter(2, "W", bad));
        assertEquals("W[2] contains NaN at row 0, column 1; every entry must be a finite number", e.getMessage());
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndAnotherSeedDifferentOnes() {
        Network a = linearNet(4, 8, 2);
        Network b = linearNet(4, 8, 2);
        assertArrayEquals(a.parameter(1, "W").data, b.parameter(1, "W").data, 0.0);
        Network c = Network.builder(4).activation("test_scaled").initializer("test_gaussian(std=0.5)")
                .dense(8).dense(2).loss("mean_squared_error").seed(8).build();
        assertTrue(a.parameter(1, "W").get(0, 0) != c.parameter(1, "W").get(0, 0));
    }

    @Test
    void badInputsAreRefusedWithTheValue() {
        Network net = linearNet(2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.predict(new DMatrixRMaj(3, 4)));
        assertEquals("X has 3 rows but the network's input size n[0] is 2; examples are columns, so X must be (2, m); "
                + "it is (3, 4)", e.getMessage());
        DMatrixRMaj x = new DMatrixRMaj(2, 4);
        x.set(1, 3, Double.POSITIVE_INFINITY);
        e = assertThrows(IllegalArgumentException.class, () -> net.predict(x));
        assertEquals("X contains Infinity at row 1, column 3; every entry must be a finite number", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> net.cost(new Dataset(new DMatrixRMaj(2, 4), new DMatrixRMaj(2, 4))));
        assertTrue(e.getMessage().startsWith("Y has 2 rows but the network's output size n[L] is 1"), e.getMessage());
    }

    @Test
    void buildRefusesInconsistentArchitectures() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Network.builder(2).dense(1, "sigmoid").initializer("test_gaussian").build());
        assertEquals("loss is not set; give a spec string such as binary_cross_entropy", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).loss("mean_squared_error").build());
        assertTrue(e.getMessage().startsWith("a network needs at least one layer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).dense(0));
        assertEquals("dense layer: units=0; units must be > 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Network.builder(0).dense(1, "sigmoid").initializer("test_gaussian").loss("binary_cross_entropy").build());
        assertEquals("input size n[0]=0; it must be > 0", e.getMessage());
        PluginException unknown = assertThrows(PluginException.class,
                () -> Network.builder(2).dense(1, "sigmoid").initializer("he_normal").loss("binary_cross_entropy").build());
        assertTrue(unknown.getMessage().startsWith("unknown initializer 'he_normal'"), unknown.getMessage());
    }

    @Test
    void predictIsSafeFromManyThreadsAtOnce() throws Exception {
        Network net = linearNet(5, 16, 3);
        List<DMatrixRMaj> inputs = new java.util.ArrayList<>();
        List<DMatrixRMaj> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            inputs.add(random(5, 1 + i % 7, 100 + i));
            expected.add(net.predict(inputs.get(i)));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int round = 0; round < 2000; round++) {
                int i = round % inputs.size();
                results.add(pool.submit(() -> java.util.Arrays.equals(expected.get(i).data, net.predict(inputs.get(i)).data)));
            }
            for (var result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void accuracyIsRefusedForRegressionTargetsAndCountsClassLabels() {
        Network net = Network.builder(2).activation("test_scaled").initializer("test_gaussian(std=0.5)")
                .dense(1).loss("mean_squared_error").seed(3).build();
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.accuracy(new Dataset(x, new DMatrixRMaj(new double[][] {{0.0, 1.0, 0.37}}))));
        assertTrue(e.getMessage().startsWith("accuracy needs class labels, but the label of example 2 is 0.37"), e.getMessage());
        // the same network on 0/1 labels: the fraction of outputs on the label's side of 0.5, counted here
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{0.0, 1.0, 1.0}});
        DMatrixRMaj out = net.predict(x);
        int agree = 0;
        for (int j = 0; j < 3; j++) {
            agree += (out.get(0, j) > 0.5 ? 1.0 : 0.0) == y.get(0, j) ? 1 : 0;
        }
        assertEquals(agree / 3.0, net.accuracy(new Dataset(x, y)), 0.0);

        Network multi = Network.builder(2).activation("test_scaled").initializer("test_gaussian(std=0.5)")
                .dense(2).loss("mean_squared_error").seed(3).build();
        IllegalArgumentException notOneHot = assertThrows(IllegalArgumentException.class, () -> multi.accuracy(
                new Dataset(x, new DMatrixRMaj(new double[][] {{1.0, 0.0, 1.0}, {0.0, 1.0, 1.0}}))));
        assertTrue(notOneHot.getMessage().contains("label column of example 2 is not one-hot"), notOneHot.getMessage());
    }


    @Test
    void outputLayersThatCannotServeTheLossAreRefused() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> Network.builder(2)
                .registry(ModelFixtures.stepRegistry()).activation("test_scaled").initializer("test_gaussian").dense(3).dense(1, "test_softmax")
                .loss("binary_cross_entropy").build());
        assertTrue(one.getMessage().startsWith("the output layer has 1 unit with test_softmax, which is always 1"), one.getMessage());
        IllegalArgumentException pairing = assertThrows(IllegalArgumentException.class, () -> Network.builder(2)
                .activation("test_scaled").initializer("test_gaussian").dense(3).dense(3, "sigmoid")
                .loss("softmax_cross_entropy").build());
        assertTrue(pairing.getMessage().startsWith("the loss softmax_cross_entropy needs a softmax (a distribution over the "
                + "classes) output, but the output activation sigmoid computes the logistic function"), pairing.getMessage());
        // an activation without a declaration takes the general path; outputs that are not probabilities are refused there
        Network scaled = Network.builder(2).activation("test_scaled").initializer("test_gaussian(std=3)").dense(1)
                .loss("binary_cross_entropy").seed(4).build();
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{4.0, -4.0}, {4.0, -4.0}});
        DMatrixRMaj out = scaled.predict(x);
        assertTrue(out.get(0, 0) > 1 || out.get(0, 0) < 0 || out.get(0, 1) > 1 || out.get(0, 1) < 0, "outputs " + out);
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> scaled.cost(new Dataset(x, new DMatrixRMaj(new double[][] {{1.0, 0.0}}))));
        assertTrue(range.getMessage().startsWith("binary_cross_entropy: output A[0, ") && range.getMessage().contains(
                "is not a probability in [0, 1]"), range.getMessage());
    }

}
