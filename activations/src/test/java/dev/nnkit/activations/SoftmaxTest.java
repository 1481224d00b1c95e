package dev.nnkit.activations;

import static dev.nnkit.activations.Support.backward;
import static dev.nnkit.activations.Support.create;
import static dev.nnkit.activations.Support.filled;
import static dev.nnkit.activations.Support.firstNonFinite;
import static dev.nnkit.activations.Support.forward;
import static dev.nnkit.activations.Support.sameValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnkit.spi.Activation;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Softmax per column: values against a formula without the max shift, probability columns,
 * shift invariance, the Jacobian-vector product against central differences, aliasing, extremes.
 * Matrices are deliberately not square, so that mixing up rows and columns fails.
 */
class SoftmaxTest {

    private final Activation softmax = create("softmax");

    /** A (4, 7) matrix of N(0, 3^2) scores; columns 5 and 6 hold extremes. */
    private static DMatrixRMaj scores(long seed) {
        Random random = new Random(seed);
        DMatrixRMaj z = new DMatrixRMaj(4, 7);
        for (int k = 0; k < z.getNumElements(); k++) {
            z.data[k] = 3.0 * random.nextGaussian();
        }
        double[] extreme = {1e300, -1e300, 0.0, 1e300};
        double[] large = {700.0, 710.0, -745.0, 705.0};
        for (int i = 0; i < 4; i++) {
            z.set(i, 5, extreme[i]);
            z.set(i, 6, large[i]);
        }
        return z;
    }

    /**
     * a_i = 1 / sum_k e^(z_k - z_i): an equivalent formula with no max shift. A difference that
     * overflows gives e^Infinity = Infinity and a_i = 0, the correct limit, so it is exact enough
     * at the extremes too.
     */
    private static double reference(DMatrixRMaj z, int i, int j) {
        double sum = 0.0;
        for (int k = 0; k < z.numRows; k++) {
            sum += Math.exp(z.get(k, j) - z.get(i, j));
        }
        return 1.0 / sum;
    }

    @Test
    void valuesMatchAFormulaWithoutTheMaxShift() {
        DMatrixRMaj z = scores(1);
        DMatrixRMaj a = forward(softmax, z);
        for (int i = 0; i < z.numRows; i++) {
            for (int j = 0; j < z.numCols; j++) {
                double expected = reference(z, i, j);
                // 1e-13 relative: n = 4 exponentials (1 ulp each), a sum and a division in each formula;
                // the exponent e^(z_k - z_i) amplifies the rounding of z_k - z_i by up to |z_k - z_i| ~ 20.
                double tolerance = 1e-13 * expected + 1e-300;
                if (!(Math.abs(a.get(i, j) - expected) <= tolerance)) {
                    fail("softmax at (" + i + ", " + j + ") = " + a.get(i, j) + ", expected " + expected);
                }
            }
        }
        // The extreme column is exactly (0.5, 0, 0, 0.5).
        assertEquals(0.5, a.get(0, 5), 0.0);
        assertEquals(0.0, a.get(1, 5), 0.0);
        assertEquals(0.0, a.get(2, 5), 0.0);
        assertEquals(0.5, a.get(3, 5), 0.0);
    }

    @Test
    void everyColumnIsAProbabilityVector() {
        for (long seed = 0; seed < 20; seed++) {
            DMatrixRMaj a = forward(softmax, scores(seed));
            for (int j = 0; j < a.numCols; j++) {
                double sum = 0.0;
                for (int i = 0; i < a.numRows; i++) {
                    double v = a.get(i, j);
                    assertTrue(v >= 0.0 && v <= 1.0, "softmax entry (" + i + ", " + j + ") = " + v);
                    sum += v;
                }
                // Each of 4 entries is within about 3 ulps and the sum adds 3 roundings: < 1e-15.
                assertEquals(1.0, sum, 1e-14, "column " + j + " (seed " + seed + ")");
            }
        }
    }

    @Test
    void addingAConstantToAColumnChangesNothing() {
        DMatrixRMaj z = scores(2);
        DMatrixRMaj a = forward(softmax, z);
        double[] shifts = {1.0, -50.0, 300.0, 1e4, -1e4, 0.0, 0.0};
        DMatrixRMaj shifted = z.copy();
        for (int i = 0; i < z.numRows; i++) {
            for (int j = 0; j < z.numCols; j++) {
                shifted.set(i, j, z.get(i, j) + shifts[j]);
            }
        }
        DMatrixRMaj b = forward(softmax, shifted);
        for (int k = 0; k < a.getNumElements(); k++) {
            // Adding 1e4 rounds z to ulp(1e4) = 1.8e-12; a changes by at most about |da/dz| * 2e-12.
            assertEquals(a.data[k], b.data[k], 1e-11, "entry " + k);
        }
        // Without the max shift, e^(z + 1e4) would overflow; with it the output stays finite.
        assertNull(firstNonFinite("softmax", shifted, b));
    }

    @Test
    void backwardMatchesCentralDifferencesOfAWeightedSum() {
        Random random = new Random(7);
        DMatrixRMaj z = new DMatrixRMaj(5, 3);
        DMatrixRMaj c = new DMatrixRMaj(5, 3);
        for (int k = 0; k < z.getNumElements(); k++) {
            z.data[k] = 2.0 * random.nextGaussian();
            c.data[k] = random.nextGaussian();
        }
        // f(Z) = sum(C * softmax(Z)); df/dA = C, so backward with dA = C must give df/dZ.
        DMatrixRMaj gradient = backward(softmax, z, forward(softmax, z), c);
        double h = 1e-6;
        double gradientNorm = 0.0;
        for (int k = 0; k < z.getNumElements(); k++) {
            DMatrixRMaj plus = z.copy();
            DMatrixRMaj minus = z.copy();
            plus.data[k] += h;
            minus.data[k] -= h;
            double numeric = (weightedSum(c, plus) - weightedSum(c, minus)) / (plus.data[k] - minus.data[k]);
            double analytic = gradient.data[k];
            // Relative 1e-6 as the brief asks. Absolute 1e-8: f is a sum of 15 terms of size <= 3,
            // each evaluation is off by at most ~50 ulps of 3 (7e-15), divided by 2h = 2e-6: 3.5e-9.
            double tolerance = 1e-6 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 1e-8;
            if (!(Math.abs(numeric - analytic) <= tolerance)) {
                fail("dZ[" + k + "]: backward gives " + analytic + ", central difference " + numeric);
            }
            gradientNorm += analytic * analytic;
        }
        assertTrue(gradientNorm > 1e-2, "the check is vacuous: the gradient is nearly zero");
    }

    private double weightedSum(DMatrixRMaj c, DMatrixRMaj z) {
        DMatrixRMaj a = forward(softmax, z);
        double sum = 0.0;
        for (int k = 0; k < a.getNumElements(); k++) {
            sum += c.data[k] * a.data[k];
        }
        return sum;
    }

    @Test
    void backwardIsTheJacobianVectorProductWrittenOut() {
        DMatrixRMaj z = scores(3);
        DMatrixRMaj a = forward(softmax, z);
        Random random = new Random(9);
        DMatrixRMaj dA = new DMatrixRMaj(z.numRows, z.numCols);
        for (int k = 0; k < dA.getNumElements(); k++) {
            dA.data[k] = random.nextGaussian();
        }
        DMatrixRMaj dZ = backward(softmax, z, a, dA);
        for (int j = 0; j < z.numCols; j++) {
            for (int i = 0; i < z.numRows; i++) {
                // dZ_i = sum_k J_ik dA_k with J_ik = da_k/dz_i = a_k (delta_ik - a_i).
                double expected = 0.0;
                for (int k = 0; k < z.numRows; k++) {
                    double jacobian = a.get(k, j) * ((i == k ? 1.0 : 0.0) - a.get(i, j));
                    expected += jacobian * dA.get(k, j);
                }
                assertEquals(expected, dZ.get(i, j), 1e-14, "dZ at (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void inPlaceForwardAndBackwardEqualSeparateBuffers() {
        DMatrixRMaj z = scores(4);
        DMatrixRMaj a = forward(softmax, z);
        DMatrixRMaj inPlace = z.copy();
        softmax.forward(inPlace, inPlace);
        assertTrue(sameValues(a, inPlace), "forward(z, z) differs from forward(z, a)");
        DMatrixRMaj dA = new DMatrixRMaj(z.numRows, z.numCols);
        Random random = new Random(4);
        for (int k = 0; k < dA.getNumElements(); k++) {
            dA.data[k] = random.nextGaussian();
        }
        DMatrixRMaj dZ = backward(softmax, z, a, dA);
        DMatrixRMaj gradientInPlace = dA.copy();
        softmax.backward(z, a, gradientInPlace, gradientInPlace);
        assertTrue(sameValues(dZ, gradientInPlace), "backward(z, a, dA, dA) differs from a separate dZ");
    }

    @Test
    void outputsDoNotDependOnTheOldContentOfTheOutputBuffer() {
        DMatrixRMaj z = scores(5);
        DMatrixRMaj a = filled(z, Double.NaN);
        softmax.forward(z, a);
        assertTrue(sameValues(forward(softmax, z), a), "forward depends on the old content of A");
        DMatrixRMaj dA = filled(z, -0.5);
        dA.set(1, 2, 3.0);
        DMatrixRMaj dZ = filled(z, Double.NaN);
        softmax.backward(z, a, dA, dZ);
        assertTrue(sameValues(backward(softmax, z, a, dA), dZ), "backward depends on the old content of dZ");
    }

    @Test
    void extremeInputsGiveFiniteOutputs() {
        DMatrixRMaj z = new DMatrixRMaj(new double[][] {
                {Double.MAX_VALUE, -Double.MAX_VALUE, 1e300, 700.0, 0.0},
                {-Double.MAX_VALUE, -Double.MAX_VALUE, -1e300, -700.0, Double.MIN_VALUE},
                {Double.MAX_VALUE, -Double.MAX_VALUE, 1e300, 710.0, -0.0}});
        DMatrixRMaj a = forward(softmax, z);
        assertNull(firstNonFinite("softmax", z, a));
        assertEquals(1.0 / 3.0, a.get(0, 1), 1e-16, "equal scores give equal probabilities");
        for (double gradient : new double[] {1.0, -3.5, 1e300}) {
            DMatrixRMaj dA = filled(z, gradient);
            dA.set(0, 0, -gradient);
            assertNull(firstNonFinite("softmax backward", z, backward(softmax, z, a, dA)));
        }
    }

    @Test
    void aSingleClassAlwaysHasProbabilityOneAndNoGradient() {
        DMatrixRMaj z = new DMatrixRMaj(new double[][] {{-3.0, 0.0, 1e300, 42.0}});
        DMatrixRMaj a = forward(softmax, z);
        DMatrixRMaj dZ = backward(softmax, z, a, new DMatrixRMaj(new double[][] {{1.0, -2.0, 3.0, 0.5}}));
        for (int j = 0; j < z.numCols; j++) {
            assertEquals(1.0, a.get(0, j), 0.0);
            assertEquals(0.0, dZ.get(0, j), 0.0);
        }
    }
}
