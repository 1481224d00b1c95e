package com.example.nnkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.PluginException;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** The orthogonal initializer: orthonormal columns or rows times gain, and its declared variance. */
class OrthogonalTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.defaults();

    private static DMatrixRMaj draw(String spec, int rows, int cols, long seed) {
        DMatrixRMaj w = new DMatrixRMaj(rows, cols);
        REGISTRY.create(Initializer.class, spec).initialize(w, new SplittableRandom(seed));
        return w;
    }

    /** The largest entry of |M - c I|. */
    private static double distanceFromScaledIdentity(DMatrixRMaj m, double c) {
        double worst = 0;
        for (int i = 0; i < m.numRows; i++) {
            for (int j = 0; j < m.numCols; j++) {
                worst = Math.max(worst, Math.abs(m.get(i, j) - (i == j ? c : 0)));
            }
        }
        return worst;
    }

    @Test
    void aTallMatrixHasOrthonormalColumnsTimesGain() {
        DMatrixRMaj w = draw("orthogonal(gain=1.5)", 60, 25, 1);
        DMatrixRMaj wtw = new DMatrixRMaj(25, 25);
        CommonOps_DDRM.multTransA(w, w, wtw);
        assertTrue(distanceFromScaledIdentity(wtw, 2.25) < 1e-12, "W^T W - 2.25 I: " + distanceFromScaledIdentity(wtw, 2.25));
    }

    @Test
    void aWideMatrixHasOrthonormalRowsTimesGain() {
        DMatrixRMaj w = draw("orthogonal(gain=0.5)", 20, 70, 2);
        DMatrixRMaj wwt = new DMatrixRMaj(20, 20);
        CommonOps_DDRM.multTransB(w, w, wwt);
        assertTrue(distanceFromScaledIdentity(wwt, 0.25) < 1e-12, "W W^T - 0.25 I: " + distanceFromScaledIdentity(wwt, 0.25));
    }

    @Test
    void aSquareMatrixIsOrthogonalBothWays() {
        DMatrixRMaj w = draw("orthogonal", 40, 40, 3);
        DMatrixRMaj product = new DMatrixRMaj(40, 40);
        CommonOps_DDRM.multTransA(w, w, product);
        assertTrue(distanceFromScaledIdentity(product, 1) < 1e-12);
        CommonOps_DDRM.multTransB(w, w, product);
        assertTrue(distanceFromScaledIdentity(product, 1) < 1e-12);
        assertEquals(1.0, Math.abs(CommonOps_DDRM.det(w)), 1e-10);
    }

    @Test
    void declaresGainSquaredOverTheLargerFan() {
        Initializer init = REGISTRY.create(Initializer.class, "orthogonal(gain=2)");
        assertEquals(4.0 / 700, init.variance(300, 700));
        assertEquals(4.0 / 700, init.variance(700, 300));
        assertEquals(4.0 / 30, init.variance(30, 30));
        assertEquals(0.0, init.mean());
        // The mean square of the entries is exactly the declared variance: ||W||_F^2 = gain^2 min(r, c).
        DMatrixRMaj w = draw("orthogonal(gain=2)", 30, 70, 4);
        double sum = 0;
        for (double x : w.data) {
            sum += x * x;
        }
        assertEquals(4.0 / 70, sum / w.getNumElements(), 1e-14);
    }

    @Test
    void theDiagonalOfRIsPositiveSoTheSignsAreNotBiased() {
        // Haar distribution: each entry is symmetric about 0. Over 4000 draws of a 3 x 3 matrix, W[0, 0] is
        // positive about half the time; a QR without sign correction (Householder) would skew it. The share
        // of positives has standard error 0.5 / sqrt(4000) = 0.0079; allow 5 of them.
        SplittableRandom random = new SplittableRandom(5);
        Initializer init = REGISTRY.create(Initializer.class, "orthogonal");
        int positive = 0;
        int draws = 4000;
        DMatrixRMaj w = new DMatrixRMaj(3, 3);
        for (int i = 0; i < draws; i++) {
            init.initialize(w, random);
            positive += w.get(0, 0) > 0 ? 1 : 0;
        }
        assertEquals(0.5, positive / (double) draws, 5 * 0.5 / Math.sqrt(draws));
    }

    @Test
    void refusesANonPositiveGain() {
        PluginException e = assertThrows(PluginException.class, () -> REGISTRY.create(Initializer.class, "orthogonal(gain=0)"));
        assertTrue(e.getMessage().startsWith("orthogonal: gain=0.0 is invalid; gain must be > 0"), e.getMessage());
    }
}
