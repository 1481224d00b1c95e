package dev.nnkit.activations;

import static dev.nnkit.activations.Support.backward;
import static dev.nnkit.activations.Support.create;
import static dev.nnkit.activations.Support.filled;
import static dev.nnkit.activations.Support.firstNonFinite;
import static dev.nnkit.activations.Support.forward;
import static dev.nnkit.activations.Support.matrix;
import static dev.nnkit.activations.Support.sameValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnkit.spi.Activation;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values and derivatives of the element-wise activations against formulas written here, central
 * finite differences, the SPI's aliasing rules and extreme inputs.
 */
class ElementwiseActivationsTest {

    /**
     * One element-wise activation: its spec and an independent formula for g(z). The formulas are
     * deliberately different from the implementations' (naive sigmoid, tanh through expm1, relu and
     * leaky relu through max and abs) so that a shared mistake is unlikely.
     */
    record Case(String spec, DoubleUnaryOperator reference, boolean kinkAtZero) {
        @Override
        public String toString() {
            return spec;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // Naive 1/(1+e^-z): in IEEE arithmetic e^-z overflows to +Infinity for z < -709.8 and
                // 1/Infinity = 0, the correct limit, so this never gives NaN for finite z.
                new Case("sigmoid", z -> 1.0 / (1.0 + Math.exp(-z)), false),
                new Case("tanh", ElementwiseActivationsTest::tanhReference, false),
                new Case("relu", z -> 0.5 * z + 0.5 * Math.abs(z), true),
                new Case("leaky_relu", z -> Math.max(z, 0.01 * z), true),
                new Case("leaky_relu(alpha=0.3)", z -> Math.max(z, 0.3 * z), true),
                new Case("identity", z -> z, false));
    }

    /**
     * tanh(z) = expm1(2z) / (expm1(2z) + 2) for z >= 0, odd in z. For |z| >= 20,
     * 1 - tanh|z| = 2 / (e^(2|z|) + 1) < 1e-17, less than half an ulp of 1, so tanh rounds to +-1.
     */
    static double tanhReference(double z) {
        double x = Math.abs(z);
        double t = x >= 20.0 ? 1.0 : Math.expm1(2.0 * x) / (Math.expm1(2.0 * x) + 2.0);
        return Math.copySign(t, z);
    }

    /** A grid over [-20, 20] with the points near 0 and the extremes the brief asks for. */
    static double[] valueGrid() {
        DoubleStream grid = DoubleStream.iterate(-20.0, z -> z <= 20.0, z -> z + 0.125);
        DoubleStream special = DoubleStream.of(0.0, -0.0, 1e-3, -1e-3, 1e-9, -1e-9, 1e-300, -1e-300,
                0.3, -0.3, 2.5, -2.5, 37.0, -37.0, 700.0, -700.0, 709.5, -709.5, 745.0, -745.0, 1e300, -1e300);
        return DoubleStream.concat(grid, special).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valuesMatchAnIndependentFormula(Case c) {
        Activation g = create(c.spec());
        double[] zs = valueGrid();
        DMatrixRMaj z = matrix(1, zs);
        DMatrixRMaj a = forward(g, z);
        for (int k = 0; k < zs.length; k++) {
            double expected = c.reference().applyAsDouble(zs[k]);
            // 1e-14 relative: a few ulps of the library functions (exp, expm1 are within 1 ulp) and
            // of the few roundings of each formula. 1e-300 absolute: sigmoid(-745) is subnormal in
            // the implementation but underflows to 0 in the naive reference.
            double tolerance = 1e-14 * Math.abs(expected) + 1e-300;
            if (!(Math.abs(a.data[k] - expected) <= tolerance)) {
                fail(c.spec() + "(" + zs[k] + ") = " + a.data[k] + ", expected " + expected);
            }
        }
    }

    /** Points for the derivative check: a grid over [-20, 20] that avoids 0, plus near-0 and large points. */
    static double[] derivativeGrid() {
        DoubleStream grid = DoubleStream.iterate(-20.0, z -> z <= 20.0, z -> z + 0.1);
        DoubleStream special = DoubleStream.of(1e-3, -1e-3, 1e-2, -1e-2, 30.0, -30.0, 700.0, -700.0);
        return DoubleStream.concat(grid, special).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardWithUnitGradientMatchesCentralDifferences(Case c) {
        Activation g = create(c.spec());
        double h = 1e-6;
        double[] zs = derivativeGrid();
        DMatrixRMaj z = matrix(1, zs);
        DMatrixRMaj zPlus = matrix(1, DoubleStream.of(zs).map(x -> x + h).toArray());
        DMatrixRMaj zMinus = matrix(1, DoubleStream.of(zs).map(x -> x - h).toArray());
        DMatrixRMaj gPlus = forward(g, zPlus);
        DMatrixRMaj gMinus = forward(g, zMinus);
        DMatrixRMaj slope = backward(g, z, forward(g, z), filled(z, 1.0));
        int checked = 0;
        for (int k = 0; k < zs.length; k++) {
            if (c.kinkAtZero() && Math.abs(zs[k]) <= h) {
                continue; // the difference would straddle the kink
            }
            // Divide by the step actually taken: z +- h is rounded, exactly so for large |z|.
            double step = zPlus.data[k] - zMinus.data[k];
            double numeric = (gPlus.data[k] - gMinus.data[k]) / step;
            double analytic = slope.data[k];
            // Relative 1e-6 as the brief asks; truncation error h^2 |g'''| / 6 < 4e-13 is far below it.
            // Absolute part: round-off of the difference quotient, each of g(z+h) and g(z-h) being
            // within 8 ulps, divided by the step (about 1e-9 where |g| is of order 1).
            double roundOff = 8.0 * (Math.ulp(gPlus.data[k]) + Math.ulp(gMinus.data[k])) / step;
            double tolerance = 1e-6 * Math.max(Math.abs(numeric), Math.abs(analytic)) + roundOff;
            if (!(Math.abs(numeric - analytic) <= tolerance)) {
                fail(c.spec() + "'(" + zs[k] + "): backward gives " + analytic + ", central difference " + numeric);
            }
            checked++;
        }
        assertTrue(checked > 400, "only " + checked + " points were checked");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardMultipliesTheGivenGradientBySlope(Case c) {
        Activation g = create(c.spec());
        Random random = new Random(11);
        DMatrixRMaj z = new DMatrixRMaj(5, 7);
        DMatrixRMaj dA = new DMatrixRMaj(5, 7);
        for (int k = 0; k < z.getNumElements(); k++) {
            z.data[k] = 4.0 * random.nextGaussian();
            dA.data[k] = 3.0 * random.nextGaussian();
        }
        DMatrixRMaj a = forward(g, z);
        DMatrixRMaj slope = backward(g, z, a, filled(z, 1.0));
        DMatrixRMaj dZ = backward(g, z, a, dA);
        for (int k = 0; k < z.getNumElements(); k++) {
            // dZ = dA * g'(z) is one rounded product either way: 2 ulps of slack.
            double expected = dA.data[k] * slope.data[k];
            assertEquals(expected, dZ.data[k], 2.0 * Math.ulp(expected), c.spec() + " at z = " + z.data[k]);
        }
    }

    /** A (4, 6) matrix covering negative, zero, positive and large entries. */
    static DMatrixRMaj mixedInput() {
        Random random = new Random(5);
        DMatrixRMaj z = new DMatrixRMaj(4, 6);
        for (int k = 0; k < z.getNumElements(); k++) {
            z.data[k] = 6.0 * random.nextGaussian();
        }
        z.data[0] = 0.0;
        z.data[1] = -1e300;
        z.data[2] = 1e300;
        z.data[3] = -700.0;
        return z;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inPlaceForwardAndBackwardEqualSeparateBuffers(Case c) {
        Activation g = create(c.spec());
        DMatrixRMaj z = mixedInput();
        DMatrixRMaj a = forward(g, z);
        DMatrixRMaj inPlace = z.copy();
        g.forward(inPlace, inPlace);
        assertTrue(sameValues(a, inPlace), c.spec() + ": forward(z, z) differs from forward(z, a)");

        DMatrixRMaj dA = new DMatrixRMaj(z.numRows, z.numCols);
        Random random = new Random(3);
        for (int k = 0; k < dA.getNumElements(); k++) {
            dA.data[k] = random.nextGaussian();
        }
        DMatrixRMaj dZ = backward(g, z, a, dA);
        DMatrixRMaj gradientInPlace = dA.copy();
        g.backward(z, a, gradientInPlace, gradientInPlace);
        assertTrue(sameValues(dZ, gradientInPlace), c.spec() + ": backward(z, a, dA, dA) differs from separate dZ");

        // After an in-place forward pass Z is gone; backward is given A for both.
        DMatrixRMaj afterInPlace = backward(g, inPlace, inPlace, dA);
        assertTrue(sameValues(dZ, afterInPlace), c.spec() + ": backward after in-place forward differs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputsDoNotDependOnTheOldContentOfTheOutputBuffer(Case c) {
        Activation g = create(c.spec());
        DMatrixRMaj z = mixedInput();
        DMatrixRMaj a = filled(z, Double.NaN);
        g.forward(z, a);
        assertTrue(sameValues(forward(g, z), a), c.spec() + ": forward depends on the old content of A");
        DMatrixRMaj dA = filled(z, 0.75);
        DMatrixRMaj dZ = filled(z, Double.NaN);
        g.backward(z, a, dA, dZ);
        assertTrue(sameValues(backward(g, z, a, dA), dZ), c.spec() + ": backward depends on the old content of dZ");
        assertNull(firstNonFinite("dZ", z, dZ));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void extremeInputsGiveFiniteOutputs(Case c) {
        Activation g = create(c.spec());
        DMatrixRMaj z = matrix(2, 700.0, -700.0, 710.0, -710.0, 1e300, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE,
                Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL, 0.0, -0.0);
        DMatrixRMaj a = forward(g, z);
        assertNull(firstNonFinite(c.spec() + " forward", z, a));
        for (double gradient : new double[] {1.0, -3.5, 1e300}) {
            DMatrixRMaj dZ = backward(g, z, a, filled(z, gradient));
            assertNull(firstNonFinite(c.spec() + " backward with dA = " + gradient, z, dZ));
        }
    }

    @Test
    void sigmoidSlopeIsAtMostAQuarterWithEqualityAtZero() {
        Activation g = create("sigmoid");
        double[] zs = DoubleStream.concat(DoubleStream.iterate(-40.0, x -> x <= 40.0, x -> x + 1e-3),
                DoubleStream.of(1e-8, -1e-8, 1e-12, -1e-12, 1e-17, -1e-17, 1e-300, -1e-300, Double.MIN_VALUE)).toArray();
        DMatrixRMaj z = matrix(1, zs);
        DMatrixRMaj slope = backward(g, z, forward(g, z), filled(z, 1.0));
        for (int k = 0; k < zs.length; k++) {
            assertTrue(slope.data[k] >= 0.0 && slope.data[k] <= 0.25, "sigmoid'(" + zs[k] + ") = " + slope.data[k]);
        }
        DMatrixRMaj zero = matrix(1, 0.0);
        assertEquals(0.25, backward(g, zero, forward(g, zero), filled(zero, 1.0)).data[0], 0.0);
        // Saturation (MATH §2): the slope at |z| = 10 is e^-10 / (1 + e^-10)^2 < 5e-5.
        DMatrixRMaj ten = matrix(1, 10.0, -10.0);
        DMatrixRMaj saturated = backward(g, ten, forward(g, ten), filled(ten, 1.0));
        assertTrue(saturated.data[0] < 5e-5 && saturated.data[1] < 5e-5, "sigmoid does not saturate");
    }

    @Test
    void kinksFollowTheDocumentedConventions() {
        DMatrixRMaj z = matrix(1, 0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE);
        DMatrixRMaj ones = filled(z, 1.0);
        Activation relu = create("relu");
        DMatrixRMaj reluSlope = backward(relu, z, forward(relu, z), ones);
        assertEquals(0.0, reluSlope.data[0], 0.0, "relu'(0) = 0 by convention");
        assertEquals(0.0, reluSlope.data[1], 0.0, "relu'(-0) = 0 by convention");
        assertEquals(1.0, reluSlope.data[2], 0.0, "relu' of the smallest positive double");
        assertEquals(0.0, reluSlope.data[3], 0.0);
        Activation leaky = create("leaky_relu(alpha=0.2)");
        DMatrixRMaj leakySlope = backward(leaky, z, forward(leaky, z), ones);
        assertEquals(0.2, leakySlope.data[0], 0.0, "leaky_relu'(0) = alpha by convention");
        assertEquals(0.2, leakySlope.data[1], 0.0);
        assertEquals(1.0, leakySlope.data[2], 0.0);
        assertEquals(0.2, leakySlope.data[3], 0.0);
    }

    @Test
    void tanhIsCentredAndSaturatesAtPlusMinusOne() {
        Activation g = create("tanh");
        DMatrixRMaj z = matrix(1, 0.0, 1e300, -1e300, 700.0, -700.0);
        DMatrixRMaj a = forward(g, z);
        assertEquals(0.0, a.data[0], 0.0);
        assertEquals(1.0, a.data[1], 0.0);
        assertEquals(-1.0, a.data[2], 0.0);
        assertEquals(1.0, a.data[3], 0.0);
        assertEquals(-1.0, a.data[4], 0.0);
        DMatrixRMaj slope = backward(g, z, a, filled(z, 1.0));
        assertEquals(1.0, slope.data[0], 0.0, "tanh'(0) = 1");
        assertEquals(0.0, slope.data[1], 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mismatchedShapesAreRefusedWithTheActivationNamed(Case c) {
        Activation g = create(c.spec());
        DMatrixRMaj z = new DMatrixRMaj(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.forward(z, new DMatrixRMaj(4, 3)));
        assertTrue(e.getMessage().contains(g.toString()) && e.getMessage().contains("(4, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> g.backward(z, z, z, new DMatrixRMaj(3, 5)));
        assertTrue(e.getMessage().contains("dZ is (3, 5)"), e.getMessage());
    }
}
