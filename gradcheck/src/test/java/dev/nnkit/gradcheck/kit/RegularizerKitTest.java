package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The regularizer checks accept a correct regularizer and catch each planted bug, saying by how much.
 * The checks' details on the shipped l2 and dropout are in the integration-tests module.
 */
class RegularizerKitTest {

    private static ConformanceReport check(String spec, String zero) {
        return KitRegistry.conformance().regularizer(spec, zero).run();
    }

    private static List<String> checkNames(ConformanceReport report) {
        return report.results().stream().map(CheckResult::check).toList();
    }

    @Test
    void acceptsL1AndSkipsItsKinkAtZero() {
        ConformanceReport report = check("kit_l1(lambda=0.3)", "kit_l1(lambda=0)");
        assertPasses(report);
        assertEquals(List.of("registered", "spec round-trip", "penalty gradient", "adds to dW", "strength 0 is a no-op"),
                checkNames(report));
        assertPassesWith(report, "penalty gradient",
                "at 38 of 40 entries .*; skipped within a step of a kink: W\\[0, 0\\] = 0 with m = 1, W\\[0, 0\\] = 0 with m = 7$");
    }

    @Test
    void catchesADropoutThatDoesNotRescale() {
        // out = A * D without / keep_prob: E[out] = 0.8 A. At A = 1 the draws have standard deviation
        // sqrt(0.8 * 0.2) = 0.4, so the mean of 4000 has standard error 0.0063 and is ~32 of them below 1.
        assertFailsOnly(check("kit_plain_dropout(keep_prob=0.8)", null), List.of("expectation in training"),
                "^regularizer 'kit_plain_dropout\\(keep_prob=0.8\\)': expectation in training: at A\\[[0-9], [0-9]\\] = "
                        + "[-0-9.e]+, the mean of the TRAINING forward pass over 4000 draws is [-0-9.e]+ \\(standard error "
                        + "[0-9.e]+\\), [0-9.]+ standard errors from A, more than 5; a training transform must keep E\\[out\\] = A");
    }

    @Test
    void catchesADropoutWhoseBackwardForgetsTheMask() {
        assertFailsOnly(check("kit_forgetful_dropout(keep_prob=0.5)", null), List.of("backward is the adjoint of forward"),
                "backward is the adjoint of forward: at A\\[[0-9], [0-9]\\] = [-0-9.e]+ with dA = [-0-9.e]+, backward gives "
                        + "[-0-9.e]+, the derivative of sum\\(dA \\* forward\\(A\\)\\) with a step of the same seed is 0 "
                        + "\\(central difference\\), relative error 1 > 1e-6");
    }

    @Test
    void catchesADropoutThatKeepsItsMaskInAField() {
        // Correct alone; but another step's forward pass overwrites the field before the first step's backward pass.
        assertFailsOnly(check("kit_field_dropout(keep_prob=0.5)", null), List.of("backward is the adjoint of forward"),
                "relative error 1 > 1e-6; backward must apply the mask and scale of the forward pass of the same step \\(keep "
                        + "the mask in context.buffer, not in a field: another step's forward pass ran in between\\)$");
    }

    @Test
    void catchesADropoutThatDrawsFromItsOwnGenerator() {
        ConformanceReport report = check("kit_private_dropout(keep_prob=0.5)", null);
        // Its draws depend on how often the instance ran, so every check that runs one instance twice fails.
        assertFailsOnly(report, List.of("masks drawn through the context", "deterministic by seed",
                        "backward is the adjoint of forward"),
                "masks drawn through the context: the TRAINING forward pass changes A but draws nothing from the context "
                        + "\\(no context.drawMask, no context.random\\(\\)\\)");
        assertTrue(report.result("deterministic by seed").message().contains("one instance gives out"), report::toString);
        assertTrue(report.result("backward is the adjoint of forward").message().contains(
                "with steps of one seed the forward pass is not a smooth function of A"), report::toString);
    }

    @Test
    void catchesADropoutThatActsWhileGradientsAreChecked() {
        assertFailsOnly(check("kit_eager_dropout(keep_prob=0.5)", null), List.of("identity outside training"),
                "identity outside training: the CHECKING forward pass asked for random numbers \\(part 0 asked for random "
                        + "numbers in a CHECKING pass; only TRAINING passes draw .*\\); draw only when "
                        + "context.mode\\(\\).isStochastic\\(\\)$");
    }

    @Test
    void catchesATransformThatSaysItIsActiveAtStrengthZero() {
        assertFailsOnly(check("kit_busy_dropout(keep_prob=0.5)", "kit_busy_dropout(keep_prob=1)"),
                List.of("strength 0 is a no-op"),
                "strength 0 is a no-op: kit_busy_dropout\\(keep_prob=1.0\\) is the identity but isActive\\(\\) is true; "
                        + "return false when the arguments make the transform the identity");
    }

    @Test
    void catchesAPenaltyGradientWithoutOneOverM() {
        // lambda W instead of (lambda / m) W: right for m = 1, a factor 7 off for m = 7 (relative error 6/8 = 0.75).
        assertFailsOnly(check("kit_wrong_l2(lambda=0.5)", null), List.of("penalty gradient"),
                "penalty gradient at W\\[0, 0\\] = 0 with m = 7: addPenaltyGradient 0, .*|"
                        + "penalty gradient at W\\[[0-9], [0-9]\\] = [-0-9.e]+ with m = 7: addPenaltyGradient [-0-9.e]+, central "
                        + "difference of penalty\\(W, m\\) [-0-9.e]+, relative error 0.75 > 1e-6 \\(19 of 40 entries fail");
    }

    @Test
    void catchesAPenaltyThatIsNotZeroAtStrengthZero() {
        assertFailsOnly(check("kit_leaky_zero(lambda=0.5)", "kit_leaky_zero(lambda=0)"), List.of("strength 0 is a no-op"),
                "strength 0 is a no-op: kit_leaky_zero\\(lambda=0.0\\) gives penalty\\(W, 1\\) = [0-9.E-]+; at strength 0 the "
                        + "penalty is 0");
    }

    @Test
    void catchesAGradientThatOverwritesDw() {
        assertFailsOnly(check("kit_overwriting_l2(lambda=0.5)", null), List.of("adds to dW"),
                "adds to dW: from dW\\[0, 0\\] = [-0-9.e]+, addPenaltyGradient gives 0.0, but it adds 0.0 to a zero dW; "
                        + "it must add its gradient to dW, not overwrite it");
    }

    @Test
    void catchesATransformThatTheNetworkWouldNeverApply() {
        // isActive() is false, so the network skips it, yet it doubles A in TRAINING: E[out] = 2A, and nothing is drawn.
        assertFailsOnly(check("kit_sneaky", null), List.of("identity outside training", "expectation in training",
                        "masks drawn through the context"),
                "identity outside training: isActive\\(\\) is false, so the network never runs it, yet a TRAINING forward "
                        + "pass changes A\\[0, 1\\] = 1.0 to 2.0; isActive\\(\\) must be true when the transform can change anything");
    }

    @Test
    void namesAStrengthZeroSpecOfAnotherPlugin() {
        assertFailsOnly(check("kit_l1(lambda=0.5)", "kit_wrong_l2(lambda=0)"), List.of("strength 0 is a no-op"),
                "the strength-0 spec 'kit_wrong_l2\\(lambda=0\\)' names 'kit_wrong_l2', not 'kit_l1'");
    }
}
