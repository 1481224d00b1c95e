package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The loss checks accept core's losses and catch each planted bug, saying by how much. */
class LossKitTest {

    private static ConformanceReport check(String spec, String output) {
        return KitRegistry.conformance().loss(spec, output).run();
    }

    @Test
    void usesTheLabelsEachLossAccepts() {
        assertPassesWith(check("mean_squared_error", "identity"), "labels", "^checkLabels accepts soft labels Y = g\\(Z\\*\\)$");
        assertPassesWith(check("binary_cross_entropy", "sigmoid"), "labels",
                "^checkLabels accepts 0/1 labels and refuses soft labels Y = g\\(Z\\*\\) \\(binary_cross_entropy: label Y\\[0, 0\\]");
        assertPassesWith(check("softmax_cross_entropy", "softmax"), "labels",
                "^checkLabels accepts one-hot columns and refuses soft labels .*, 0/1 labels \\(softmax_cross_entropy: ");
    }

    @Test
    void checksTheMinimumAtReachableAndAtUnreachableTargets() {
        assertPassesWith(check("mean_squared_error", "sigmoid"), "minimum at the target",
                "^with soft labels Y = g\\(Z\\*\\) the gradient is 0 at A = Y");
        assertPassesWith(check("softmax_cross_entropy", "softmax"), "minimum at the target",
                "^with one-hot columns the cost falls strictly from [0-9.]+ to [0-9.e-]+ as the logits move toward the target");
    }

    @Test
    void catchesALossWhoseMinimumIsOffTheTarget() {
        // cost (1/2m) sum (a - y - 0.1)^2 with its exact gradient: the gradient check passes, the minimum does not.
        assertFailsOnly(check("kit_shifted_mse", "identity"), List.of("minimum at the target"),
                "^loss 'kit_shifted_mse' with output 'identity': minimum at the target: at A = Y the gradient is "
                        + "dZ\\[0, 0\\] = -0.1, not 0 \\(output identity, soft labels Y = g\\(Z\\*\\)\\)$");
    }

    @Test
    void catchesAGradientWithoutThePerExampleScale() {
        // dA = (A - Y) / m instead of the SPI's m dJ/dA = A - Y: with m = 4 the relative error is (1 - 1/4) / (1 + 1/4) = 0.6
        // at every entry, whatever the output activation.
        assertFailsOnly(check("kit_averaged_mse", "sigmoid"), List.of("gradient"),
                "^loss 'kit_averaged_mse' with output 'sigmoid': gradient at A\\[[0-9], [0-9]\\] = [-0-9.e]+: gradient\\(\\) gives "
                        + "dA = [-0-9.e]+, m times the central difference of cost is [-0-9.e]+, relative error 0.6 > 1e-6 "
                        + "\\(A = sigmoid\\(Z\\), soft labels Y = g\\(Z\\*\\); 12 of 12 entries fail; the worst is shown\\)$");
    }

    @Test
    void catchesACostThatTakesTheLogOfASaturatedOutput() {
        // Not a FusedLoss, so even with a sigmoid output the network takes the general path: log(1 - 1) at z = 700.
        assertFailsOnly(check("kit_naive_bce", "sigmoid"), List.of("saturated outputs"),
                "saturated outputs: cost is (Infinity|NaN) for logits of \\+-30, \\+-50 and \\+-700 \\(output sigmoid, general "
                        + "path\\); compute the loss from the logits Z so that it never takes log\\(0\\)");
    }

    @Test
    void checksTheFusedFormsOfAFusedLoss() {
        ConformanceReport report = check("binary_cross_entropy", "sigmoid");
        assertPasses(report);
        assertEquals(List.of("registered", "spec round-trip", "labels", "gradient", "fused cost", "fused gradient",
                "minimum at the target", "saturated outputs"), report.results().stream().map(CheckResult::check).toList());
        assertPassesWith(report, "fused cost", "^fusedCost\\(Z, Y\\) = [0-9.]+ equals cost\\(LOGISTIC\\(Z\\), Y\\) with the "
                + "kit's LOGISTIC");
        assertPassesWith(report, "fused gradient", "through the kit's Jacobian of LOGISTIC at all 12 entries$");
        assertPassesWith(report, "saturated outputs", "\\(fused path\\)$");
        assertPassesWith(check("softmax_cross_entropy", "softmax"), "fused gradient", "Jacobian of SOFTMAX");
        assertEquals(6, check("mean_squared_error", "identity").results().size());
    }

    @Test
    void checksTheFusedFormsWhateverTheOutputActivation() {
        // With the identity output the network takes the general path, but the fused forms are still checked, against
        // the kit's own logistic; the general path of cross-entropy needs A in (0, 1), which the identity does not give.
        ConformanceReport report = check("binary_cross_entropy", "identity");
        assertPassesWith(report, "fused cost", "LOGISTIC");
        assertPassesWith(report, "fused gradient", "LOGISTIC");
        assertFailsOnly(report, List.of("gradient", "minimum at the target"),
                "gradient at A\\[[0-9], [0-9]\\] = [-0-9.e]+: gradient\\(\\) gives dA = ");
    }

    @Test
    void catchesAFusedCostThatIsNotTheCostOfTheDeclaredFunction() {
        // The sum over the 4 examples instead of the mean: 4 times too large, relative error 3/5.
        assertFailsOnly(check("kit_summed_bce", "sigmoid"), List.of("fused cost"),
                "^loss 'kit_summed_bce' with output 'sigmoid': fused cost: fusedCost\\(Z, Y\\) = [0-9.]+ but "
                        + "cost\\(LOGISTIC\\(Z\\), Y\\) = [0-9.]+ with LOGISTIC\\(z\\) = 1 / \\(1 \\+ e\\^-z\\) computed by the kit, "
                        + "relative error 0.6 > 1e-9; fusedCost must be the cost of the function fusedWith\\(\\) declares$");
    }

    @Test
    void catchesAFusedGradientThatIsNotTheGeneralOneThroughTheDeclaredFunction() {
        // (A - Y) / 2 instead of A - Y: relative error (1 - 1/2) / (1 + 1/2) = 1/3 at every entry.
        assertFailsOnly(check("kit_halved_bce", "sigmoid"), List.of("fused gradient"),
                "^loss 'kit_halved_bce' with output 'sigmoid': fused gradient at Z\\[[0-9], [0-9]\\] = [-0-9.e]+: fusedGradient "
                        + "gives dZ = [-0-9.e]+, the general dA = [-0-9.e]+ through the Jacobian of LOGISTIC \\(1 / \\(1 \\+ e\\^-z\\), "
                        + "computed by the kit\\) gives [-0-9.e]+, relative error 0.3333 > 1e-9");
    }
}
