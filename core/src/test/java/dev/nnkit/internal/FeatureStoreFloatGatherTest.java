package dev.nnkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * A float32 batch read straight from a store is the double batch rounded to float, value by
 * value, for every layout, in order and by an index list.
 */
class FeatureStoreFloatGatherTest {

    private static void check(FeatureStore store) {
        int[] order = {4, 0, 3, 3, 1};
        for (int[] o : new int[][] {null, order}) {
            DMatrixRMaj d = new DMatrixRMaj(1, 1);
            FMatrixRMaj f = new FMatrixRMaj(1, 1);
            int from = o == null ? 1 : 0;
            store.gather(o, from, 4, d);
            store.gather(o, from, 4, f);
            assertEquals(d.numRows, f.numRows);
            assertEquals(d.numCols, f.numCols);
            for (int k = 0; k < d.getNumElements(); k++) {
                assertEquals((float) d.data[k], f.data[k], 0.0f, store.describe() + " value " + k);
            }
        }
    }

    @Test
    void everyLayoutGathersTheRoundedDoubles() {
        Random r = new Random(3);
        int n = 3;
        int m = 5;
        DMatrixRMaj columns = new DMatrixRMaj(n, m);
        float[] floats = new float[n * m];
        byte[] bytes = new byte[n * m];
        for (int k = 0; k < n * m; k++) {
            columns.data[k] = r.nextGaussian() / 3; // not floats: rounding happens
            floats[k] = r.nextFloat();
            bytes[k] = (byte) r.nextInt(256);
        }
        check(new FeatureStore.DoubleColumns(columns));
        check(new FeatureStore.FloatRows(floats, 0, n, m));
        check(new FeatureStore.ByteRows(bytes, 0, n, m, 1.0 / 255));
        DMatrixRMaj labels = new DMatrixRMaj(2, m);
        labels.data[3] = 1;
        labels.data[6] = 0.1;
        FMatrixRMaj f = new FMatrixRMaj(1, 1);
        FeatureStore.gatherColumns(labels, new int[] {3, 1}, 0, 2, f);
        assertEquals(1.0f, f.get(0, 0));
        assertEquals(0.1f, f.get(1, 1));
        assertEquals(0.0f, f.get(1, 0));
    }
}
