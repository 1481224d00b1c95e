package com.example.nnkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.WeightPenalty;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** L1 against its formula: (lambda / m) sum |w| and (lambda / m) sign(w) with sign(0) = 0. */
class L1Test {

    private static final PluginRegistry REGISTRY = PluginRegistry.defaults();

    private static WeightPenalty l1(String spec) {
        Regularizer made = REGISTRY.create(Regularizer.class, spec);
        assertTrue(made instanceof WeightPenalty, spec + " is a " + made.getClass());
        return (WeightPenalty) made;
    }

    @Test
    void penaltyAndGradientFollowTheFormula() {
        WeightPenalty l1 = l1("l1(lambda=0.6)");
        DMatrixRMaj w = new DMatrixRMaj(2, 3, true, 1.5, -2, 0, 0.25, -0.0, -7);
        // (0.6 / 3) * (1.5 + 2 + 0 + 0.25 + 0 + 7) = 0.2 * 10.75 = 2.15
        assertEquals(2.15, l1.penalty(w, 3), 1e-15);
        DMatrixRMaj dW = new DMatrixRMaj(2, 3, true, 1, 1, 1, 1, 1, 1);
        l1.addPenaltyGradient(w, 3, dW);
        assertArrayEquals(new double[] {1.2, 0.8, 1, 1.2, 1, 0.8}, dW.data, 1e-15);
        assertFalse(l1 instanceof ActivationTransform, "l1 acts on weights only");
    }

    @Test
    void lambdaZeroIsANoOp() {
        WeightPenalty off = l1("l1(lambda=0)");
        DMatrixRMaj w = new DMatrixRMaj(1, 2, true, 3, -4);
        assertEquals(0.0, off.penalty(w, 5));
        DMatrixRMaj dW = new DMatrixRMaj(1, 2, true, 0.5, -0.5);
        off.addPenaltyGradient(w, 5, dW);
        assertArrayEquals(new double[] {0.5, -0.5}, dW.data);
    }

    @Test
    void refusesANegativeLambdaAndABadBatch() {
        PluginException e = assertThrows(PluginException.class, () -> REGISTRY.create(Regularizer.class, "l1(lambda=-1)"));
        assertTrue(e.getMessage().startsWith("l1: lambda=-1.0 is invalid; lambda must be >= 0"), e.getMessage());
        WeightPenalty l1 = l1("l1");
        assertThrows(IllegalArgumentException.class, () -> l1.penalty(new DMatrixRMaj(1, 1), 0));
        assertThrows(IllegalArgumentException.class, () -> l1.addPenaltyGradient(new DMatrixRMaj(1, 2), 1, new DMatrixRMaj(2, 1)));
    }
}
