package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.internal.Access;
import dev.nnkit.internal.SplitMix;
import dev.nnkit.training.Trainer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.StepContext.Mode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link Network#traceStep} against the notes' formulas (MATH §3 backward pass, §7 inverted
 * dropout) written out here on plain {@code double[][]} arrays, for the network
 * {@code 3-4(sigmoid, dropout 0.8)-3(sigmoid, dropout 0.5)-1(sigmoid)} with binary cross-entropy.
 */
class StepTraceTest {

    private static final PluginRegistry REGISTRY = ModelFixtures.stepRegistry();
    private static final int M = 5;
    private static final double KEEP1 = 0.8;
    private static final double KEEP2 = 0.5;
    private static final double TOLERANCE = 1e-14;

    private static final double[][] X = {
        {0.5, -1.0, 2.0, 0.0, -0.5},
        {1.5, 0.25, -0.75, 1.0, 0.0},
        {-1.0, 0.5, 0.5, -2.0, 1.25}};
    private static final double[][] Y = {{1, 0, 1, 1, 0}};
    private static final double[][] D1 = {
        {1, 0, 1, 1, 1},
        {1, 1, 0, 1, 1},
        {0, 1, 1, 1, 0},
        {1, 1, 1, 0, 1}};
    private static final double[][] D2 = {
        {1, 0, 0, 1, 1},
        {0, 1, 1, 1, 0},
        {1, 1, 0, 0, 1}};

    /** Weights and biases drawn once, so the network and the hand computation share them. */
    private static final double[][][] W = new double[4][][];
    private static final double[][][] B = new double[4][][];

    static {
        Random r = new Random(2024);
        int[] n = {3, 4, 3, 1};
        for (int l = 1; l <= 3; l++) {
            W[l] = new double[n[l]][n[l - 1]];
            B[l] = new double[n[l]][1];
            for (int i = 0; i < n[l]; i++) {
                for (int k = 0; k < n[l - 1]; k++) {
                    W[l][i][k] = r.nextGaussian();
                }
                B[l][i][0] = 0.5 * r.nextGaussian();
            }
        }
    }

    private static Network network(String dropout1, String dropout2) {
        Network net = Network.builder(3).registry(REGISTRY).initializer("test_gaussian")
                .layer(LayerConfig.dense(4).withActivation("sigmoid").withRegularizers(dropout1))
                .layer(LayerConfig.dense(3).withActivation("sigmoid").withRegularizers(dropout2))
                .dense(1, "sigmoid").loss("binary_cross_entropy").seed(1).build();
        for (int l = 1; l <= 3; l++) {
            net.setParameter(l, "W", new DMatrixRMaj(W[l]));
            net.setParameter(l, "b", new DMatrixRMaj(B[l]));
        }
        return net;
    }

    private static Network withDropout() {
        return network("test_dropout(keep_prob=" + KEEP1 + ")", "test_dropout(keep_prob=" + KEEP2 + ")");
    }

    // ---- the notes' formulas on plain arrays ----

    private static double[][] times(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                double s = 0;
                for (int k = 0; k < b.length; k++) {
                    s += a[i][k] * b[k][j];
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** {@code W A + b}, b broadcast over the columns. */
    private static double[][] affine(double[][] w, double[][] a, double[][] b) {
        double[][] z = times(w, a);
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[0].length; j++) {
                z[i][j] += b[i][0];
            }
        }
        return z;
    }

    private static double[][] sigmoid(double[][] z) {
        double[][] a = new double[z.length][z[0].length];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[0].length; j++) {
                a[i][j] = 1 / (1 + Math.exp(-z[i][j]));
            }
        }
        return a;
    }

    /** {@code a * d / keep}, element-wise. */
    private static double[][] drop(double[][] a, double[][] d, double keep) {
        double[][] out = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[i][j] = a[i][j] * d[i][j] / keep;
            }
        }
        return out;
    }

    /** {@code dA * g'(Z)} for the sigmoid: {@code dA * A (1 - A)}. */
    private static double[][] throughSigmoid(double[][] dA, double[][] a) {
        double[][] dZ = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                dZ[i][j] = dA[i][j] * a[i][j] * (1 - a[i][j]);
            }
        }
        return dZ;
    }

    private static double[][] scale(double[][] a, double s) {
        double[][] out = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[i][j] = a[i][j] * s;
            }
        }
        return out;
    }

    /** {@code (1/m) sum over columns}. */
    private static double[][] rowMeans(double[][] a) {
        double[][] out = new double[a.length][1];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (double v : a[i]) {
                s += v;
            }
            out[i][0] = s / a[i].length;
        }
        return out;
    }

    private static void assertMatrix(double[][] expected, DMatrixRMaj actual, String what) {
        assertEquals(expected.length, actual.numRows, what + " rows");
        assertEquals(expected[0].length, actual.numCols, what + " columns");
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[0].length; j++) {
                assertEquals(expected[i][j], actual.get(i, j), TOLERANCE * Math.max(1, Math.abs(expected[i][j])),
                        what + "[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void aTracedStepWithGivenMasksIsTheWorkedExampleNumberForNumber() {
        // forward, MATH §1 and §7
        double[][] z1 = affine(W[1], X, B[1]);
        double[][] a1 = sigmoid(z1);
        double[][] a1d = drop(a1, D1, KEEP1);
        double[][] z2 = affine(W[2], a1d, B[2]);
        double[][] a2 = sigmoid(z2);
        double[][] a2d = drop(a2, D2, KEEP2);
        double[][] z3 = affine(W[3], a2d, B[3]);
        double[][] a3 = sigmoid(z3);
        double cost = 0;
        for (int j = 0; j < M; j++) {
            cost -= Y[0][j] * Math.log(a3[0][j]) + (1 - Y[0][j]) * Math.log(1 - a3[0][j]);
        }
        cost /= M;
        // backward, MATH §3 with the masks of §7
        double[][] dZ3 = new double[1][M];
        for (int j = 0; j < M; j++) {
            dZ3[0][j] = a3[0][j] - Y[0][j];
        }
        double[][] dW3 = scale(times(dZ3, transpose(a2d)), 1.0 / M);
        double[][] db3 = rowMeans(dZ3);
        double[][] dA2 = drop(times(transpose(W[3]), dZ3), D2, KEEP2);
        double[][] dZ2 = throughSigmoid(dA2, a2);
        double[][] dW2 = scale(times(dZ2, transpose(a1d)), 1.0 / M);
        double[][] db2 = rowMeans(dZ2);
        double[][] dA1 = drop(times(transpose(W[2]), dZ2), D1, KEEP1);
        double[][] dZ1 = throughSigmoid(dA1, a1);
        double[][] dW1 = scale(times(dZ1, transpose(X)), 1.0 / M);
        double[][] db1 = rowMeans(dZ1);

        Network net = withDropout();
        StepTrace trace = net.traceStep(new DMatrixRMaj(X), new DMatrixRMaj(Y),
                Map.of(1, new DMatrixRMaj(D1), 2, new DMatrixRMaj(D2)));

        assertEquals(cost, trace.cost(), TOLERANCE);
        assertMatrix(z1, trace.z(1), "Z[1]");
        assertMatrix(a1d, trace.a(1), "A[1] after dropout");
        assertMatrix(D1, trace.d(1).orElseThrow(), "D[1]");
        assertMatrix(z2, trace.z(2), "Z[2]");
        assertMatrix(a2d, trace.a(2), "A[2] after dropout");
        assertMatrix(D2, trace.d(2).orElseThrow(), "D[2]");
        assertMatrix(z3, trace.z(3), "Z[3]");
        assertMatrix(a3, trace.a(3), "A[3]");
        assertFalse(trace.d(3).isPresent(), "no dropout on the output layer");
        assertFalse(trace.dA(3).isPresent(), "binary cross-entropy with sigmoid goes straight to dZ[3] = A[3] - Y");
        assertMatrix(dZ3, trace.dZ(3), "dZ[3]");
        assertMatrix(dW3, trace.gradient(3, "W"), "dW[3]");
        assertMatrix(db3, trace.gradient(3, "b"), "db[3]");
        assertMatrix(dA2, trace.dA(2).orElseThrow(), "dA[2]");
        assertMatrix(dZ2, trace.dZ(2), "dZ[2]");
        assertMatrix(dW2, trace.gradient(2, "W"), "dW[2]");
        assertMatrix(db2, trace.gradient(2, "b"), "db[2]");
        assertMatrix(dA1, trace.dA(1).orElseThrow(), "dA[1]");
        assertMatrix(dZ1, trace.dZ(1), "dZ[1]");
        assertMatrix(dW1, trace.gradient(1, "W"), "dW[1]");
        assertMatrix(db1, trace.gradient(1, "b"), "db[1]");

        // the network keeps the traced step's gradients; the trace's matrices are copies
        for (int l = 1; l <= 3; l++) {
            assertArrayEquals(trace.gradient(l, "W").data, net.gradient(l, "W").data, 0.0, "dW[" + l + "]");
            assertArrayEquals(trace.gradient(l, "b").data, net.gradient(l, "b").data, 0.0, "db[" + l + "]");
        }
        trace.gradient(1, "W").set(0, 0, 1e9);
        assertTrue(net.gradient(1, "W").get(0, 0) != 1e9);
        // tracing changes no parameter
        for (int l = 1; l <= 3; l++) {
            assertArrayEquals(new DMatrixRMaj(W[l]).data, net.parameter(l, "W").data, 0.0);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trace.gradient(1, "gamma"));
        assertEquals("layer 1 has no parameter 'gamma'; it has [W, b]", e.getMessage());
    }

    @Test
    void masksOfAllOnesOnlyRescaleAndWithoutDropoutATraceIsComputeGradients() {
        DMatrixRMaj x = new DMatrixRMaj(X);
        DMatrixRMaj y = new DMatrixRMaj(Y);
        DMatrixRMaj ones1 = new DMatrixRMaj(4, M);
        ones1.fill(1);
        DMatrixRMaj ones2 = new DMatrixRMaj(3, M);
        ones2.fill(1);
        Network net = withDropout();
        StepTrace trace = net.traceStep(x, y, Map.of(1, ones1, 2, ones2));
        ForwardTrace checking = net.forwardTrace(x, Mode.CHECKING);
        DMatrixRMaj expected = checking.a(1).copy();
        for (int k = 0; k < expected.getNumElements(); k++) {
            expected.data[k] = expected.data[k] * (1.0 / KEEP1); // test_dropout scales the mask once, then multiplies
        }
        assertArrayEquals(expected.data, trace.a(1).data, 0.0, "inverted dropout keeps every unit and divides by keep_prob");
        assertArrayEquals(checking.z(1).data, trace.z(1).data, 0.0);

        // the same weights without dropout: a trace is one checking-mode forward and backward, bit for bit
        Network plain = network("test_l2(lambda=0)", "test_l2(lambda=0)");
        StepTrace untraced = plain.traceStep(x, y, Map.of());
        Dataset data = new Dataset(x, y);
        double cost = plain.computeGradients(data);
        assertEquals(cost, untraced.cost(), 0.0);
        for (int l = 1; l <= 3; l++) {
            assertFalse(untraced.d(l).isPresent());
            assertArrayEquals(plain.gradient(l, "W").data, untraced.gradient(l, "W").data, 0.0, "dW[" + l + "]");
            assertArrayEquals(plain.gradient(l, "b").data, untraced.gradient(l, "b").data, 0.0, "db[" + l + "]");
        }
        // and computeGradients on the dropout network drops nothing: the same gradients as without dropout
        Network dropped = withDropout();
        assertEquals(cost, dropped.computeGradients(data), 0.0);
        for (int l = 1; l <= 3; l++) {
            assertArrayEquals(plain.gradient(l, "W").data, dropped.gradient(l, "W").data, 0.0, "dW[" + l + "]");
        }
    }

    @Test
    void drawnMasksComeRowMajorFromTheGeneratorLayerByLayer() {
        Network net = withDropout();
        StepTrace trace = net.traceStep(new DMatrixRMaj(X), new DMatrixRMaj(Y), new SplittableRandom(77));
        SplittableRandom independent = new SplittableRandom(77);
        double[][] d1 = new double[4][M];
        double[][] d2 = new double[3][M];
        for (double[][] d : List.of(d1, d2)) {
            double keep = d == d1 ? KEEP1 : KEEP2;
            for (int i = 0; i < d.length; i++) {
                for (int j = 0; j < M; j++) {
                    d[i][j] = independent.nextDouble() < keep ? 1 : 0;
                }
            }
        }
        assertMatrix(d1, trace.d(1).orElseThrow(), "D[1]");
        assertMatrix(d2, trace.d(2).orElseThrow(), "D[2]");
        // the drawn masks give the same trace as the same masks given
        StepTrace given = withDropout().traceStep(new DMatrixRMaj(X), new DMatrixRMaj(Y),
                Map.of(1, new DMatrixRMaj(d1), 2, new DMatrixRMaj(d2)));
        assertEquals(given.cost(), trace.cost(), 0.0);
        assertArrayEquals(given.gradient(1, "W").data, trace.gradient(1, "W").data, 0.0);
    }

    @Test
    void aGeneratorSeededAsTheFirstEpochReproducesTheTrainersFirstStep() {
        Dataset data = new Dataset(new DMatrixRMaj(X), new DMatrixRMaj(Y));
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)").withEpochs(1).withSeed(31);
        Network trained = withDropout();
        double stepCost = new Trainer(hp).fit(trained, data).stepCosts()[0];
        // the trainer's streams of epoch 1: one for shuffling, then one for dropout
        SplitMix epoch = new SplitMix(SplitMix.epochSeed(31, 1));
        new SplitMix(0).splitFrom(epoch);
        SplitMix dropout = new SplitMix(0);
        dropout.splitFrom(epoch);
        StepTrace trace = withDropout().traceStep(Access.data().x(data), Access.data().y(data), dropout);
        assertEquals(stepCost, trace.cost(), 0.0);
        for (int l = 1; l <= 3; l++) {
            assertArrayEquals(trained.gradient(l, "W").data, trace.gradient(l, "W").data, 0.0, "dW[" + l + "]");
        }
        // another epoch's stream draws other masks
        StepTrace other = withDropout().traceStep(Access.data().x(data), Access.data().y(data), new SplitMix(SplitMix.epochSeed(31, 2)));
        assertFalse(java.util.Arrays.equals(trace.d(1).orElseThrow().data, other.d(1).orElseThrow().data));
    }

    @Test
    void givenMasksAreChecked() {
        Network net = withDropout();
        DMatrixRMaj x = new DMatrixRMaj(X);
        DMatrixRMaj y = new DMatrixRMaj(Y);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.traceStep(x, y, Map.of(3, new DMatrixRMaj(1, M))));
        assertEquals("a mask is given for layer 3, which has no active activation transform (e.g. dropout); its regularizers are []",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.traceStep(x, y, Map.of(1, new DMatrixRMaj(4, M + 1))));
        assertEquals("the mask given for part 1 is (4, 6) but the pass needs (4, 5)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.traceStep(x, new DMatrixRMaj(1, M - 1), Map.of()));
        assertTrue(e.getMessage().startsWith("X has 5 columns but Y has 4"), e.getMessage());
    }

    @Test
    void aTracedStepLeavesTheLayersStateAsItWas() {
        Network net = Network.builder(3).registry(REGISTRY).initializer("test_gaussian")
                .layer(LayerConfig.dense(4).withActivation("sigmoid").withRegularizers("test_dropout(keep_prob=0.5)"))
                .layer(new LayerConfig("running_shift(momentum=0.25)", "test_scaled(factor=1)", null, List.of()))
                .dense(1, "sigmoid").loss("binary_cross_entropy").seed(3).build();
        DMatrixRMaj x = new DMatrixRMaj(X);
        DMatrixRMaj y = new DMatrixRMaj(Y);
        double[] start = {0.25, -0.5, 0.125, 1.0};
        net.state(2).get(0).value().setTo(new DMatrixRMaj(4, 1, true, start));
        double[] parameters = ModelFixtures.flatParameters(net);

        StepTrace trace = net.traceStep(x, y, new SplittableRandom(5));
        assertArrayEquals(start, net.state(2).get(0).value().data, 0.0, "running_mean after a traced step");
        assertArrayEquals(parameters, ModelFixtures.flatParameters(net), 0.0);
        // the traced step itself used the batch mean, as a training step does
        DMatrixRMaj a1 = trace.a(1);
        for (int i = 0; i < 4; i++) {
            double mean = 0;
            for (int j = 0; j < M; j++) {
                mean += a1.get(i, j);
            }
            mean /= M;
            for (int j = 0; j < M; j++) {
                assertEquals(a1.get(i, j) - mean, trace.z(2).get(i, j), 1e-15);
            }
        }
        // nor do the other read-only passes change it; a training step does
        net.computeGradients(new Dataset(x, y));
        net.cost(new Dataset(x, y), Mode.CHECKING);
        net.forwardTrace(x, Mode.CHECKING);
        net.predict(x);
        assertArrayEquals(start, net.state(2).get(0).value().data, 0.0);
        new Trainer(Hyperparameters.defaults().withEpochs(1)).fit(net, new Dataset(x, y));
        assertFalse(java.util.Arrays.equals(start, net.state(2).get(0).value().data));
        assertThrows(IllegalArgumentException.class, () -> net.forwardTrace(x, Mode.TRAINING));
        assertThrows(IllegalArgumentException.class, () -> net.cost(new Dataset(x, y), Mode.TRAINING));
    }
}
