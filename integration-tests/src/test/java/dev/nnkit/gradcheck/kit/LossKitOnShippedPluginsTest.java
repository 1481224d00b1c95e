package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Reports.assertPasses;
import static dev.nnkit.gradcheck.kit.Reports.assertPassesWith;
import static dev.nnkit.gradcheck.kit.Reports.loss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the loss checks say about core's losses with the shipped output activations: the labels each
 * loss accepts, the minimum at reachable and unreachable targets, the fused forms. (gradcheck's own
 * tests show each check catching a broken loss.)
 */
class LossKitOnShippedPluginsTest {

    @Test
    void usesTheLabelsEachLossAccepts() {
        assertPassesWith(loss("mean_squared_error", "identity"), "labels", "^checkLabels accepts soft labels Y = g\\(Z\\*\\)$");
        assertPassesWith(loss("binary_cross_entropy", "sigmoid"), "labels",
                "^checkLabels accepts 0/1 labels and refuses soft labels Y = g\\(Z\\*\\) \\(binary_cross_entropy: label Y\\[0, 0\\]");
        assertPassesWith(loss("softmax_cross_entropy", "softmax"), "labels",
                "^checkLabels accepts one-hot columns and refuses soft labels .*, 0/1 labels \\(softmax_cross_entropy: ");
    }

    @Test
    void checksTheMinimumAtReachableAndAtUnreachableTargets() {
        assertPassesWith(loss("mean_squared_error", "sigmoid"), "minimum at the target",
                "^with soft labels Y = g\\(Z\\*\\) the gradient is 0 at A = Y");
        assertPassesWith(loss("softmax_cross_entropy", "softmax"), "minimum at the target",
                "^with one-hot columns the cost falls strictly from [0-9.]+ to [0-9.e-]+ as the logits move toward the target");
    }

    @Test
    void checksTheFusedFormsOfAFusedLoss() {
        ConformanceReport report = loss("binary_cross_entropy", "sigmoid");
        assertPasses(report);
        assertEquals(List.of("registered", "spec round-trip", "labels", "gradient", "fused cost", "fused gradient",
                "float paths", "minimum at the target", "saturated outputs"),
                report.results().stream().map(CheckResult::check).toList());
        assertPassesWith(report, "fused cost", "^fusedCost\\(Z, Y\\) = [0-9.]+ equals cost\\(LOGISTIC\\(Z\\), Y\\) with the "
                + "kit's LOGISTIC");
        assertPassesWith(report, "fused gradient", "through the kit's Jacobian of LOGISTIC at all 12 entries$");
        assertPassesWith(report, "saturated outputs", "\\(fused path\\)$");
        assertPassesWith(loss("softmax_cross_entropy", "softmax"), "fused gradient", "Jacobian of SOFTMAX");
        assertEquals(7, loss("mean_squared_error", "identity").results().size(), "no fused checks; float paths");
    }

    @Test
    void checksTheFusedFormsWhateverTheOutputActivation() {
        // With the identity output the network takes the general path, but the fused forms are still checked, against
        // the kit's own logistic; the general path of cross-entropy needs A in (0, 1), which the identity does not give.
        ConformanceReport report = loss("binary_cross_entropy", "identity");
        assertPassesWith(report, "fused cost", "LOGISTIC");
        assertPassesWith(report, "fused gradient", "LOGISTIC");
        List<String> failed = report.failures().stream().map(CheckResult::check).toList();
        // outside (0, 1) the float path's clamp (2^-24) and the double path's (1e-15) differ too
        assertEquals(List.of("gradient", "float paths", "minimum at the target"), failed, report::toString);
        CheckResult gradient = report.result("gradient");
        assertFalse(gradient.passed());
        assertTrue(gradient.message().matches("(?s).*gradient at A\\[[0-9], [0-9]\\] = [-0-9.e]+: gradient\\(\\) gives dA = .*"),
                gradient::message);
    }
}
