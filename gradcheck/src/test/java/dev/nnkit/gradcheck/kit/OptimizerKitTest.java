package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The optimizer checks accept correct optimizers and catch each planted bug, saying what is wrong. */
class OptimizerKitTest {

    private static ConformanceReport check(String spec) {
        return KitRegistry.conformance().optimizer(spec).run();
    }

    @Test
    void acceptsACorrectAdamAndNamesEveryCheck() {
        ConformanceReport report = check("kit_adam(learning_rate=0.01)");
        assertPasses(report);
        assertEquals(List.of("registered", "spec round-trip", "descends on a convex quadratic",
                "follows the step's learning rate", "state round trip",
                "state that does not fit is refused", "resume from a checkpoint"),
                report.results().stream().map(CheckResult::check).toList());
        // Two parameter arrays, two moments each: 4 arrays on the quadratic; the network of the resume check has 4.
        assertPassesWith(report, "state round trip", "^4 state arrays: a fresh instance given restoreState\\(state\\(\\)\\) after "
                + "5 updates continues bit-identically with the uninterrupted run; state\\(\\) returns copies$");
        assertPassesWith(report, "resume from a checkpoint", "\\(8 optimizer arrays\\), loaded and resumed, ends bit-identical");
        assertPassesWith(report, "state that does not fit is refused", "\\(IllegalArgumentException, IllegalStateException\\)$");
    }

    @Test
    void catchesARestoreStateThatDropsAMoment() {
        ConformanceReport report = check("kit_forgetful_adam(learning_rate=0.01)");
        assertFailsOnly(report, List.of("state round trip", "resume from a checkpoint"),
                "^optimizer 'kit_forgetful_adam\\(learning_rate=0.01\\)': state round trip: a fresh instance given "
                        + "restoreState\\(state\\(\\)\\) after 5 updates ends 5 updates later at W\\[0, 0\\] = [-0-9.eE]+ instead of "
                        + "[-0-9.eE]+ \\(uninterrupted run\\); state\\(\\) must hold everything update\\(\\) keeps between steps \\(4 "
                        + "arrays were handed over\\), and restoreState must restore all of it$");
        assertTrue(report.result("resume from a checkpoint").message().matches(".*resume from a checkpoint: after 2 epochs, a "
                + "model file with the training state \\(8 optimizer arrays\\) and 2 resumed epochs, W\\[1\\]\\[[0-9], [0-9]\\] = "
                + "[-0-9.eE]+ where the uninterrupted run of 4 epochs has [-0-9.eE]+; state\\(\\) and restoreState must carry "
                + "everything update\\(\\) keeps$"), report::toString);
    }

    @Test
    void catchesAMomentumThatItDoesNotReport() {
        assertFailsOnly(check("kit_hidden_momentum"), List.of("state round trip", "resume from a checkpoint"),
                "state round trip: a fresh instance given restoreState\\(state\\(\\)\\) after 5 updates ends 5 updates later at "
                        + "W\\[0, 0\\] = [-0-9.eE]+ instead of [-0-9.eE]+ \\(uninterrupted run\\); state\\(\\) must hold everything "
                        + "update\\(\\) keeps between steps \\(0 arrays were handed over\\)");
    }

    @Test
    void catchesAStateThatIsTheLiveArray() {
        // The live arrays are overwritten with NaN through state(); its update crashes on a state that does not fit.
        assertFailsOnly(check("kit_live_momentum"), List.of("state round trip", "state that does not fit is refused"),
                "state round trip: after the arrays state\\(\\) returned were overwritten, the optimizer continued to "
                        + "W\\[0, 0\\] = NaN instead of [-0-9.eE]+ \\(uninterrupted run\\); state\\(\\) must return copies$");
    }

    @Test
    void catchesAnOptimizerThatIgnoresTheStepsRate() {
        assertFailsOnly(check("kit_own_rate_adam(learning_rate=0.01)"), List.of("follows the step's learning rate"),
                "^optimizer 'kit_own_rate_adam\\(learning_rate=0.01\\)': follows the step's learning rate: an update at the rate 0 "
                        + "moved W\\[0, 0\\] from [-0-9.eE]+ to [-0-9.eE]+; the step must use the learningRate passed to update "
                        + "\\(the schedule's\\), not the spec's learning_rate$");
    }

    @Test
    void catchesAnOptimizerThatClimbs() {
        assertFailsOnly(check("kit_ascent(learning_rate=0.01)"), List.of("descends on a convex quadratic"),
                "descends on a convex quadratic: the first update moves J = 1/2 sum a \\(x - c\\)\\^2 from [0-9.]+ to [0-9.]+; "
                        + "a step along the gradient lowers J");
    }

    @Test
    void catchesALearningRateTooSmallToConverge() {
        // Adam moves each entry by at most about 1e-6 per update: 1000 updates barely move J.
        assertFailsOnly(check("kit_adam(learning_rate=0.000001)"), List.of("descends on a convex quadratic"),
                "after 1000 updates the part of J = 1/2 sum a \\(x - c\\)\\^2 of W \\(3 x 4\\) is [0-9.]+, from [0-9.]+ at the start; "
                        + "it must at least halve");
    }
}
