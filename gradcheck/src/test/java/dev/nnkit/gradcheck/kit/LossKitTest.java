package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;

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
    void catchesAGradientThatForgetsTheOutputActivation() {
        // dZ = A - Y without the sigmoid's a (1 - a): wrong by that factor, so the relative error is (1 - s) / (1 + s)
        // with s = a (1 - a) <= 0.25, at least 0.6.
        assertFailsOnly(check("kit_forgetful_mse", "sigmoid"), List.of("gradient"),
                "gradient at Z\\[[0-9], [0-9]\\] = [-0-9.e]+: gradient\\(\\) gives dZ = [-0-9.e]+, m times the central difference "
                        + "of cost is [-0-9.e]+, relative error 0.[6-9][0-9]* > 1e-6 \\(output sigmoid, soft labels Y = g\\(Z\\*\\); "
                        + "12 of 12 entries fail; the worst is shown\\)");
        assertPasses(check("kit_forgetful_mse", "identity"));
    }

    @Test
    void catchesACostThatTakesTheLogOfASaturatedOutput() {
        assertFailsOnly(check("kit_naive_bce", "sigmoid"), List.of("saturated outputs"),
                "saturated outputs: cost is (Infinity|NaN) for logits of \\+-30, \\+-50 and \\+-700 \\(output sigmoid\\); "
                        + "compute the loss from the logits Z so that it never takes log\\(0\\)");
    }

    @Test
    void reportsAnOutputActivationTheLossRefuses() {
        ConformanceReport report = check("binary_cross_entropy", "identity");
        assertFailsOnly(report, List.of("output activation accepted", "labels", "gradient", "minimum at the target",
                        "saturated outputs", "spec round-trip"),
                "output activation accepted: binary_cross_entropy refuses the output activation identity: "
                        + "binary_cross_entropy needs a sigmoid output layer");
    }
}
