package dev.nnkit.gradcheck.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.gradcheck.kit.Numerics.Difference;
import dev.nnkit.gradcheck.kit.Numerics.Term;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** Central differences, kink detection, tolerances and number formatting of the kit. */
class NumericsTest {

    private static Difference at(double x, DoubleUnaryOperator f) {
        return Numerics.difference(x, v -> new Term(f.applyAsDouble(v), Math.abs(f.applyAsDouble(v))));
    }

    @Test
    void theCentralDifferenceOfASquareAtThreeIsSix() {
        // MATH §6's worked example: J = theta^2 at theta = 3.
        Difference d = at(3.0, t -> t * t);
        assertEquals(6.0, d.central(), 1e-9);
        assertFalse(d.kink());
        assertTrue(d.agrees(6.0));
        assertFalse(d.agrees(6.001));
    }

    @Test
    void findsKinksOnlyWithinAStep() {
        DoubleUnaryOperator relu = z -> Math.max(0, z);
        assertTrue(at(0.0, relu).kink());
        assertTrue(at(5e-7, relu).kink());
        assertTrue(at(-9e-7, relu).kink());
        assertFalse(at(2e-6, relu).kink());
        assertFalse(at(1e-5, relu).kink());
        assertTrue(at(0.0, Math::abs).kink());
    }

    @Test
    void doesNotMistakeAStationaryPointOrASteepSmoothFunctionForAKink() {
        assertFalse(at(0.0, w -> 0.05 * w * w).kink());
        assertFalse(at(0.0, Math::cos).kink());
        assertFalse(at(2.0, w -> Math.exp(5 * w)).kink());
        assertFalse(at(30.0, KitActivations::sigmoid).kink());
    }

    @Test
    void toleratesRoundOffWhereTheSlopeIsTinyAgainstTheValue() {
        // sigmoid at 30: value ~1, slope 9.4e-14, far below what a difference quotient can resolve.
        double a = KitActivations.sigmoid(30);
        Difference d = at(30.0, KitActivations::sigmoid);
        assertTrue(d.agrees(a * (1 - a)));
        assertTrue(d.noise() > 0);
    }

    @Test
    void theRelativeErrorIsSpecSixs() {
        assertEquals(0.5, Numerics.relativeError(0.75, 0.25));
        assertEquals(0.0, Numerics.relativeError(0.0, 0.0));
        assertEquals(1.0, Numerics.relativeError(1.0, -1.0));
    }

    @Test
    void formatsNumbersWithFourSignificantDigits() {
        assertEquals("0.25", Numerics.fmt(0.25));
        assertEquals("0.1966", Numerics.fmt(0.19661193324148185));
        assertEquals("1e-6", Numerics.fmt(1e-6));
        assertEquals("-3.213e-4", Numerics.fmt(-3.2129e-4));
        assertEquals("-700", Numerics.fmt(-700));
        assertEquals("4.893e7", Numerics.fmt(48930000));
        assertEquals("0", Numerics.fmt(-0.0));
        assertEquals("NaN", Numerics.fmt(Double.NaN));
        assertEquals("1.0E300", String.valueOf(1e300));
    }
}
