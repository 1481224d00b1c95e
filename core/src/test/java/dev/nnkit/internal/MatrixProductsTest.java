package dev.nnkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The BLAS path computes the same three products as EJML, up to round-off, with the row-major to
 * column-major mapping checked on the pure-Java BLAS (always present) and on whatever BLAS this
 * machine provides (native or Vector API when available).
 */
class MatrixProductsTest {

    private static final int[][] SHAPES = {{1, 1, 1}, {1, 7, 1}, {5, 1, 3}, {3, 4, 5}, {17, 33, 9}, {64, 100, 40}, {2, 300, 1}};

    private static DMatrixRMaj random(int rows, int cols, Random r) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < m.getNumElements(); k++) {
            m.data[k] = r.nextGaussian();
        }
        return m;
    }

    /** Reference products from their definition, independent of both implementations. */
    private static double product(DMatrixRMaj a, boolean transA, DMatrixRMaj b, boolean transB, int i, int j) {
        int k = transA ? a.numRows : a.numCols;
        double sum = 0;
        for (int p = 0; p < k; p++) {
            sum += (transA ? a.get(p, i) : a.get(i, p)) * (transB ? b.get(j, p) : b.get(p, j));
        }
        return sum;
    }

    private static void assertProducts(MatrixProducts products) {
        Random r = new Random(3);
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            DMatrixRMaj a = random(m, k, r);
            DMatrixRMaj b = random(k, n, r);
            DMatrixRMaj c = new DMatrixRMaj(1, 1);
            c.fill(Double.NaN);
            products.mult(a, b, c);
            check(products, "A B", m, n, c, (i, j) -> product(a, false, b, false, i, j));

            DMatrixRMaj at = random(k, m, r);
            products.multTransA(at, b, c);
            check(products, "A^T B", m, n, c, (i, j) -> product(at, true, b, false, i, j));

            DMatrixRMaj bt = random(n, k, r);
            products.multTransB(0.25, a, bt, c);
            check(products, "0.25 A B^T", m, n, c, (i, j) -> 0.25 * product(a, false, bt, true, i, j));
        }
    }

    private interface Entry {
        double at(int i, int j);
    }

    private static void check(MatrixProducts products, String what, int m, int n, DMatrixRMaj c, Entry expected) {
        assertEquals(m, c.numRows, products.name() + " " + what + " rows");
        assertEquals(n, c.numCols, products.name() + " " + what + " cols");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double e = expected.at(i, j);
                assertEquals(e, c.get(i, j), 1e-12 * (1 + Math.abs(e)), products.name() + " " + what + " at (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void ejmlComputesTheThreeProducts() {
        assertProducts(new MatrixProducts.Ejml());
    }

    @Test
    void theBlasMappingOfRowMajorArraysIsRightOnThePureJavaBlas() {
        assertProducts(new MatrixProducts.Blas(JavaBLAS.getInstance()));
    }

    @Test
    void thisMachinesBlasAgreesWithEjml() {
        // native (JNIBLAS) when libblas.so.3 is installed, VectorBLAS with the incubator module, else pure Java
        assertProducts(new MatrixProducts.Blas(BLAS.getInstance()));
        assertProducts(MatrixProducts.get());
    }

    @Test
    void theChoiceCanBeForcedAndABadSettingIsNamed() {
        assertEquals("ejml", MatrixProducts.choose("ejml").name());
        assertEquals(true, MatrixProducts.choose("BLAS").name().startsWith("blas ("));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatrixProducts.choose("gpu"));
        assertEquals("system property nnkit.compute=gpu is not understood; use auto, blas or ejml", e.getMessage());
        for (String setting : List.of("auto", " Auto ")) {
            MatrixProducts.choose(setting);
        }
    }

    @Test
    void mismatchedInnerDimensionsAreRefused() {
        MatrixProducts blas = new MatrixProducts.Blas(JavaBLAS.getInstance());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> blas.mult(new DMatrixRMaj(2, 3), new DMatrixRMaj(4, 2), new DMatrixRMaj(1, 1)));
        assertEquals("cannot form A B: inner dimensions 3 and 4 differ", e.getMessage());
    }
}
