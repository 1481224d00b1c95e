package com.example.nnkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.PluginException;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Swish against its formula, computed here independently of the class. */
class SwishTest {

    private static final PluginRegistry REGISTRY = PluginRegistry.defaults();

    private static double[] forward(Activation g, double... z) {
        DMatrixRMaj a = new DMatrixRMaj(1, z.length);
        g.forward(new DMatrixRMaj(1, z.length, true, z), a);
        return a.data;
    }

    private static double[] slope(Activation g, double... z) {
        DMatrixRMaj zm = new DMatrixRMaj(1, z.length, true, z);
        DMatrixRMaj a = new DMatrixRMaj(1, z.length);
        g.forward(zm, a);
        DMatrixRMaj ones = new DMatrixRMaj(1, z.length);
        ones.fill(1.0);
        DMatrixRMaj dZ = new DMatrixRMaj(1, z.length);
        g.backward(zm, a, ones, dZ);
        return dZ.data;
    }

    @Test
    void matchesZTimesSigmoidOfBetaZ() {
        for (double beta : new double[] {1, 0.5, 3}) {
            Activation g = REGISTRY.create(Activation.class, "swish(beta=" + beta + ")");
            double[] z = {-4, -1, -0.2, 0, 0.3, 1, 5};
            double[] a = forward(g, z);
            double[] d = slope(g, z);
            for (int k = 0; k < z.length; k++) {
                double s = 1 / (1 + Math.exp(-beta * z[k]));
                // 1e-14 absolute: the naive 1 - s here loses a few digits that the class keeps.
                assertEquals(z[k] * s, a[k], 1e-14, "g at z=" + z[k] + ", beta=" + beta);
                assertEquals(s + beta * z[k] * s * (1 - s), d[k], 1e-14, "g' at z=" + z[k] + ", beta=" + beta);
            }
        }
    }

    @Test
    void hasItsMinimumAtMinus1Point2785OverBeta() {
        // g'(z) = 0 where 1 + beta z (1 - s) = 0: beta z = -1.27846, g = -0.27846 / beta.
        Activation g = REGISTRY.create(Activation.class, "swish(beta=2)");
        double zMin = -1.278464542761074 / 2;
        assertEquals(0.0, slope(g, zMin)[0], 1e-12);
        assertEquals(-0.2784645427610738 / 2, forward(g, zMin)[0], 1e-12);
    }

    @Test
    void approachesTheIdentityForLargeZAndZeroForVeryNegativeZ() {
        Activation g = REGISTRY.create(Activation.class, "swish");
        assertEquals(700.0, forward(g, 700)[0]);
        assertEquals(1.0, slope(g, 700)[0]);
        assertEquals(0.0, forward(g, -800)[0], 0.0);
        assertEquals(0.0, slope(g, -800)[0], 0.0);
        // beta z overflows to infinity: the derivative takes its limits instead of Infinity * 0 = NaN.
        Activation steep = REGISTRY.create(Activation.class, "swish(beta=4)");
        assertEquals(1.0, slope(steep, Double.MAX_VALUE)[0]);
        assertEquals(0.0, slope(steep, -Double.MAX_VALUE)[0]);
        assertEquals(Double.MAX_VALUE, forward(steep, Double.MAX_VALUE)[0]);
    }

    @Test
    void refusesANonPositiveBetaNamingTheArgument() {
        for (String bad : new String[] {"0", "-1"}) {
            PluginException e = assertThrows(PluginException.class,
                    () -> REGISTRY.create(Activation.class, "swish(beta=" + bad + ")"));
            assertTrue(e.getMessage().startsWith("swish: beta=" + Double.parseDouble(bad) + " is invalid; beta must be > 0"),
                    e.getMessage());
        }
        assertThrows(PluginException.class, () -> REGISTRY.create(Activation.class, "swish(alpha=1)"));
    }
}
