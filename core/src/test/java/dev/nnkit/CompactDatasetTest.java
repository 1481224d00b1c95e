package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.training.Trainer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.Parameter;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Data sets whose features are kept as floats or bytes: every read gives exactly the widened
 * values, and training or evaluating on them is bit for bit what the same values as doubles give.
 */
class CompactDatasetTest {

    private static final int N = 5;

    /** {@code m} examples of {@code N} floats, example after example, with labels 0/1 from a rule on them. */
    private static float[] floatRows(int m, long seed) {
        Random r = new Random(seed);
        float[] rows = new float[m * N];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = r.nextFloat() * 4 - 2;
        }
        return rows;
    }

    private static DMatrixRMaj labelsOf(float[] rows, int m) {
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int e = 0; e < m; e++) {
            y.set(0, e, rows[e * N] + 0.5 * rows[e * N + 1] > rows[e * N + 2] ? 1 : 0);
        }
        return y;
    }

    /** The same numbers as doubles, one example per column, built independently of the library's copy loops. */
    private static DMatrixRMaj columnsOf(float[] rows, int m) {
        DMatrixRMaj x = new DMatrixRMaj(N, m);
        for (int e = 0; e < m; e++) {
            for (int i = 0; i < N; i++) {
                x.set(i, e, rows[e * N + i]);
            }
        }
        return x;
    }

    private static Network classifier() {
        return Network.builder(N).dense(4, "sigmoid").dense(1, "sigmoid").initializer("test_gaussian(std=0.5)")
                .loss("binary_cross_entropy").seed(9).build();
    }

    private static double[] allParameters(Network net) {
        List<Parameter> ps = net.parameters();
        int total = ps.stream().mapToInt(p -> p.value().getNumElements()).sum();
        double[] out = new double[total];
        int at = 0;
        for (Parameter p : ps) {
            System.arraycopy(p.value().data, 0, out, at, p.value().getNumElements());
            at += p.value().getNumElements();
        }
        return out;
    }

    @Test
    void floatRowsReadAsTheWidenedFloatsOneExamplePerColumn() {
        int m = 37;
        float[] rows = floatRows(m, 1);
        Dataset data = Dataset.ofFloatRows(rows, N, labelsOf(rows, m));
        assertEquals(m, data.size());
        assertEquals(N, data.inputSize());
        assertArrayEquals(columnsOf(rows, m).data, data.features().data, 0.0);
        assertTrue(data.toString().contains("float rows"), data.toString());
    }

    @Test
    void unsignedBytesAreReadAsZeroTo255TimesTheScale() {
        byte[] rows = {0, 1, (byte) 127, (byte) 128, (byte) 255, 7, 8, 9, 10, 11};
        DMatrixRMaj y = new DMatrixRMaj(1, 2);
        Dataset data = Dataset.ofUnsignedByteRows(rows, N, 1.0 / 255, y);
        DMatrixRMaj x = data.features();
        assertEquals(0.0, x.get(0, 0), 0.0);
        assertEquals(1 * (1.0 / 255), x.get(1, 0), 0.0);
        assertEquals(128 * (1.0 / 255), x.get(3, 0), 0.0, "0x80 is 128, not -128");
        assertEquals(1.0, x.get(4, 0), 1e-15);
        assertEquals(11 * (1.0 / 255), x.get(4, 1), 0.0);
        assertTrue(data.toString().contains("unsigned byte rows"), data.toString());
    }

    @Test
    void slicesAreViewsOfTheRightExamplesAndShufflingKeepsFeaturesWithTheirLabels() {
        int m = 40;
        float[] rows = floatRows(m, 2);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int e = 0; e < m; e++) {
            y.set(0, e, e); // the label is the example's index
        }
        Dataset data = Dataset.ofFloatRows(rows, N, y);
        Dataset slice = data.slice(10, 25);
        DMatrixRMaj expected = columnsOf(rows, m);
        for (int e = 0; e < 15; e++) {
            for (int i = 0; i < N; i++) {
                assertEquals(expected.get(i, 10 + e), slice.features().get(i, e), 0.0);
            }
            assertEquals(10 + e, slice.labels().get(0, e), 0.0);
        }
        Dataset shuffled = data.shuffled(new SplittableRandom(4));
        DMatrixRMaj sx = shuffled.features();
        boolean moved = false;
        for (int e = 0; e < m; e++) {
            int original = (int) shuffled.labels().get(0, e);
            moved |= original != e;
            for (int i = 0; i < N; i++) {
                assertEquals(expected.get(i, original), sx.get(i, e), 0.0);
            }
        }
        assertTrue(moved);
        assertEquals(List.of(16, 16, 8), data.batches(16).stream().map(Dataset::size).toList());
    }

    @Test
    void trainingOnFloatRowsIsBitIdenticalToTrainingOnTheSameDoubles() {
        int m = 300;
        float[] rows = floatRows(m, 3);
        DMatrixRMaj y = labelsOf(rows, m);
        Dataset compact = Dataset.ofFloatRows(rows, N, y);
        Dataset doubles = new Dataset(columnsOf(rows, m), y);
        for (int batch : new int[] {0, 32, 300}) {
            Hyperparameters hp = Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.5)").withEpochs(15)
                    .withBatchSize(batch).withShuffle(true).withSeed(21);
            Network a = classifier();
            Network b = classifier();
            double[] costsA = new Trainer(hp).fit(a, compact).stepCosts();
            double[] costsB = new Trainer(hp).fit(b, doubles).stepCosts();
            assertArrayEquals(costsB, costsA, 0.0, "batch " + batch);
            assertArrayEquals(allParameters(b), allParameters(a), 0.0, "batch " + batch);
            assertTrue(costsA[costsA.length - 1] < costsA[0], "it learned: " + costsA[0] + " -> " + costsA[costsA.length - 1]);
        }
    }

    @Test
    void costAndAccuracyOfLargeDataSetsGoChunkByChunkAndAgreeWithOneWholePass() {
        int m = 2 * Network.EVALUATION_CHUNK + 517; // three chunks, the last one partial
        float[] rows = floatRows(m, 5);
        DMatrixRMaj y = labelsOf(rows, m);
        Dataset compact = Dataset.ofFloatRows(rows, N, y);
        Network net = classifier();
        new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.5)").withEpochs(3).withBatchSize(64))
                .fit(net, compact);

        // the reference: one forward pass over all examples, and the mean binary cross-entropy written out
        DMatrixRMaj a = net.predict(columnsOf(rows, m));
        double sum = 0;
        int correct = 0;
        for (int e = 0; e < m; e++) {
            double p = a.get(0, e);
            double label = y.get(0, e);
            sum += -(label * Math.log(p) + (1 - label) * Math.log(1 - p));
            correct += (p > 0.5 ? 1 : 0) == (int) label ? 1 : 0;
        }
        assertEquals(sum / m, net.cost(compact), 1e-12);
        assertEquals((double) correct / m, net.accuracy(compact), 0.0);
        assertNotEquals(0.5, net.accuracy(compact), 0.05);
        Dataset doubles = new Dataset(columnsOf(rows, m), y);
        assertEquals(net.cost(doubles), net.cost(compact), 0.0, "the same chunks in the same order");
    }

    @Test
    void badCompactInputIsRefusedWithTheValue() {
        DMatrixRMaj y2 = new DMatrixRMaj(1, 2);
        assertEquals("the float array has 9 values, not a positive multiple of inputSize=5; it must hold m whole "
                        + "examples of inputSize values each",
                assertThrows(IllegalArgumentException.class, () -> Dataset.ofFloatRows(new float[9], N, y2)).getMessage());
        assertEquals("inputSize=0; it must be > 0 (values per example)",
                assertThrows(IllegalArgumentException.class, () -> Dataset.ofFloatRows(new float[10], 0, y2)).getMessage());
        float[] nan = new float[10];
        nan[7] = Float.NaN;
        assertEquals("the features contain NaN at value 2 of example 1; every entry must be a finite number",
                assertThrows(IllegalArgumentException.class, () -> Dataset.ofFloatRows(nan, N, y2)).getMessage());
        assertEquals("scale=-1.0; it must be a positive number with 255 * scale finite (e.g. 1.0 / 255 for pixels)",
                assertThrows(IllegalArgumentException.class,
                        () -> Dataset.ofUnsignedByteRows(new byte[10], N, -1, y2)).getMessage());
        // finite, but 255 times it is not: a pixel of 255 would read as Infinity
        assertThrows(IllegalArgumentException.class, () -> Dataset.ofUnsignedByteRows(new byte[10], N, 1e307, y2));
        Dataset largest = Dataset.ofUnsignedByteRows(new byte[] {(byte) 255, 0, 0, 0, 0, (byte) 255, 0, 0, 0, 0}, N,
                Double.MAX_VALUE / 256, y2);
        assertTrue(Double.isFinite(largest.features().get(0, 0)));
        assertEquals("X has 2 columns (examples) but Y has 3; examples are columns, so X (n[0], m) and Y (n[L], m) "
                        + "need the same m",
                assertThrows(IllegalArgumentException.class,
                        () -> Dataset.ofUnsignedByteRows(new byte[10], N, 1, new DMatrixRMaj(1, 3))).getMessage());
    }
}
