package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loss checks catch each planted bug, saying by how much. The output activations here are the
 * kit's own logistic ({@code kit_logistic}) and a linear output ({@code kit_scaled_identity}); the
 * checks' details on core's losses with the shipped sigmoid, softmax and identity are in the
 * integration-tests module.
 */
class LossKitTest {

    private static ConformanceReport check(String spec, String output) {
        return KitRegistry.conformance().loss(spec, output).run();
    }

    @Test
    void acceptsCoreLossesWithTheKitsOwnOutputActivations() {
        ConformanceReport mse = check("mean_squared_error", "kit_scaled_identity");
        assertPasses(mse);
        assertEquals(7, mse.results().size(), "no fused form, no fused checks; a float path, so its check");
        assertPassesWith(mse, "float paths", "^general cost and gradient in float agree with double on the same input");
        ConformanceReport bce = check("binary_cross_entropy", "kit_logistic");
        assertPasses(bce);
        assertPassesWith(bce, "saturated outputs", "\\(fused path\\)$");
        assertPassesWith(bce, "float paths", "^general cost and gradient and fused cost and gradient in float agree");
        assertPasses(check("softmax_cross_entropy", "kit_softmax"));
    }

    @Test
    void catchesALossWhoseMinimumIsOffTheTarget() {
        // cost (1/2m) sum (a - y - 0.1)^2 with its exact gradient: the gradient check passes, the minimum does not.
        assertFailsOnly(check("kit_shifted_mse", "kit_scaled_identity(factor=0.5)"), List.of("minimum at the target"),
                "^loss 'kit_shifted_mse' with output 'kit_scaled_identity\\(factor=0.5\\)': minimum at the target: at A = Y the "
                        + "gradient is dZ\\[0, 0\\] = -0.05, not 0 \\(output kit_scaled_identity\\(factor=0.5\\), soft labels "
                        + "Y = g\\(Z\\*\\)\\)$");
    }

    @Test
    void catchesAGradientWithoutThePerExampleScale() {
        // dA = (A - Y) / m instead of the SPI's m dJ/dA = A - Y: with m = 4 the relative error is (1 - 1/4) / (1 + 1/4) = 0.6
        // at every entry, whatever the output activation.
        assertFailsOnly(check("kit_averaged_mse", "kit_logistic"), List.of("gradient"),
                "^loss 'kit_averaged_mse' with output 'kit_logistic': gradient at A\\[[0-9], [0-9]\\] = [-0-9.e]+: gradient\\(\\) gives "
                        + "dA = [-0-9.e]+, m times the central difference of cost is [-0-9.e]+, relative error 0.6 > 1e-6 "
                        + "\\(A = kit_logistic\\(Z\\), soft labels Y = g\\(Z\\*\\); 12 of 12 entries fail; the worst is shown\\)$");
    }

    @Test
    void catchesACostThatTakesTheLogOfASaturatedOutput() {
        // Not a FusedLoss, so even with a logistic output the network takes the general path: log(1 - 1) at z = 700.
        assertFailsOnly(check("kit_naive_bce", "kit_logistic"), List.of("saturated outputs"),
                "saturated outputs: cost is (Infinity|NaN) for logits of \\+-30, \\+-50 and \\+-700 \\(output kit_logistic, general "
                        + "path\\); compute the loss from the logits Z so that it never takes log\\(0\\)");
    }

    @Test
    void catchesAFusedCostThatIsNotTheCostOfTheDeclaredFunction() {
        // The sum over the 4 examples instead of the mean: 4 times too large, relative error 3/5.
        assertFailsOnly(check("kit_summed_bce", "kit_logistic"), List.of("fused cost"),
                "^loss 'kit_summed_bce' with output 'kit_logistic': fused cost: fusedCost\\(Z, Y\\) = [0-9.]+ but "
                        + "cost\\(LOGISTIC\\(Z\\), Y\\) = [0-9.]+ with LOGISTIC\\(z\\) = 1 / \\(1 \\+ e\\^-z\\) computed by the kit, "
                        + "relative error 0.6 > 1e-9; fusedCost must be the cost of the function fusedWith\\(\\) declares$");
    }

    @Test
    void catchesAFusedGradientThatIsNotTheGeneralOneThroughTheDeclaredFunction() {
        // (A - Y) / 2 instead of A - Y: relative error (1 - 1/2) / (1 + 1/2) = 1/3 at every entry.
        assertFailsOnly(check("kit_halved_bce", "kit_logistic"), List.of("fused gradient"),
                "^loss 'kit_halved_bce' with output 'kit_logistic': fused gradient at Z\\[[0-9], [0-9]\\] = [-0-9.e]+: fusedGradient "
                        + "gives dZ = [-0-9.e]+, the general dA = [-0-9.e]+ through the Jacobian of LOGISTIC \\(1 / \\(1 \\+ e\\^-z\\), "
                        + "computed by the kit\\) gives [-0-9.e]+, relative error 0.3333 > 1e-9");
    }
}
