package dev.nnkit;

import dev.nnkit.data.Dataset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class DatasetTest {

    private static Dataset numbered(int m) {
        DMatrixRMaj x = new DMatrixRMaj(2, m);
        DMatrixRMaj y = new DMatrixRMaj(1, m);
        for (int j = 0; j < m; j++) {
            x.set(0, j, j);
            x.set(1, j, -j);
            y.set(0, j, j % 2);
        }
        return new Dataset(x, y);
    }

    @Test
    void shufflingIsAPermutationThatKeepsColumnsTogetherAndDependsOnlyOnTheSeed() {
        Dataset data = numbered(50);
        Dataset a = data.shuffled(new SplittableRandom(5));
        Dataset b = data.shuffled(new SplittableRandom(5));
        assertArrayEquals(a.features().data, b.features().data, 0.0);
        double[] firstRow = Arrays.copyOf(a.features().data, 50);
        double[] sorted = firstRow.clone();
        Arrays.sort(sorted);
        for (int j = 0; j < 50; j++) {
            assertEquals(j, sorted[j], 0.0);
            double original = a.features().get(0, j);
            assertEquals(-original, a.features().get(1, j), 0.0);
            assertEquals(original % 2, a.labels().get(0, j), 0.0);
        }
        assertEquals(false, Arrays.equals(firstRow, Arrays.copyOf(data.features().data, 50)));
    }

    @Test
    void batchesAreConsecutiveWithASmallerLastOne() {
        List<Dataset> batches = numbered(10).batches(4);
        assertEquals(List.of(4, 4, 2), batches.stream().map(Dataset::size).toList());
        assertEquals(8.0, batches.get(2).features().get(0, 0), 0.0);
    }

    @Test
    void badDataIsRefusedWithTheValue() {
        assertEquals("X has 3 columns (examples) but Y has 2; examples are columns, so X (n[0], m) and Y (n[L], m) "
                + "need the same m", assertThrows(IllegalArgumentException.class,
                () -> new Dataset(new DMatrixRMaj(2, 3), new DMatrixRMaj(1, 2))).getMessage());
        DMatrixRMaj y = new DMatrixRMaj(1, 3);
        y.set(0, 2, Double.NaN);
        assertEquals("Y contains NaN at row 0, column 2; every entry must be a finite number",
                assertThrows(IllegalArgumentException.class, () -> new Dataset(new DMatrixRMaj(2, 3), y)).getMessage());
        assertEquals("X is (2, 0); it needs at least one row and one column (one example)",
                assertThrows(IllegalArgumentException.class,
                        () -> new Dataset(new DMatrixRMaj(2, 0), new DMatrixRMaj(1, 0))).getMessage());
    }

    @Test
    void theConstructorCopies() {
        DMatrixRMaj x = new DMatrixRMaj(1, 2);
        Dataset data = new Dataset(x, new DMatrixRMaj(1, 2));
        x.set(0, 0, 7);
        assertEquals(0.0, data.features().get(0, 0), 0.0);
    }
}
