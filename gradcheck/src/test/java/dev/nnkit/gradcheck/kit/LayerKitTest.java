package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The layer checks accept correct layers, stateless and stateful, and catch each planted bug, saying what is wrong. */
class LayerKitTest {

    private static ConformanceReport check(String spec) {
        return KitRegistry.conformance().layer(spec).run();
    }

    @Test
    void acceptsCoreDenseAndNamesEveryCheck() {
        ConformanceReport report = check("dense(units=3)");
        assertPasses(report);
        assertEquals(List.of("registered", "spec round-trip", "output size and shapes", "initialize deterministic by seed",
                "parameter gradient", "input gradient", "first layer", "inference deterministic", "state only in training",
                "model file round trip", "concurrent inference", "no allocation in steady state", "float parameters aligned",
                "float kernel", "float passes read the float parameters", "no allocation in steady state (float)"),
                report.results().stream().map(CheckResult::check).toList());
        // W is 3 x 5 and b is 3 x 1: 18 parameter entries; the input is 5 x 7.
        assertPassesWith(report, "parameter gradient", "\\(CHECKING passes, m = 7\\) at 18 of 18 entries");
        assertPassesWith(report, "input gradient", "at 35 of 35 entries");
        assertPassesWith(report, "state only in training", "^the layer has no state");
    }

    @Test
    void acceptsAStatefulLayerAndFollowsItsStateThroughAModelFile() {
        ConformanceReport report = check("kit_center(momentum=0.8)");
        assertPasses(report);
        assertPassesWith(report, "state only in training", "leave the 1 state array\\(s\\) alone; a TRAINING pass updates them");
        assertPassesWith(report, "model file round trip", "the same 1 parameter and 1 state arrays and the same predictions");
    }

    @Test
    void usesTheGivenInputAndBatchSizes() {
        ConformanceReport report = KitRegistry.conformance().layer("dense(units=2)", 4, 3).run();
        assertPasses(report);
        assertPassesWith(report, "input gradient", "m = 3, dOutput = R\\) at 12 of 12 entries");
        assertThrows(IllegalArgumentException.class, () -> KitRegistry.conformance().layer("dense(units=2)", 0, 3));
        assertThrows(IllegalArgumentException.class, () -> KitRegistry.conformance().layer("dense(units=2)", 4, 1));
    }

    @Test
    void catchesABiasGradientWithoutOneOverM() {
        // db = sum dZ instead of mean dZ: 7 times too large, relative error 6/8 = 0.75 at each of the 3 bias entries.
        assertFailsOnly(check("kit_bad_bias_dense(units=3)"), List.of("parameter gradient"),
                "^layer 'kit_bad_bias_dense\\(units=3\\)': parameter gradient of b\\[[0-2], 0\\] = 0: backward [-0-9.e]+, central "
                        + "difference of \\(1/m\\) sum\\(R \\* Z\\) [-0-9.e]+, relative error 0.75 > 1e-6 \\(J = \\(1/m\\) sum\\(R \\* Z\\) "
                        + "of a CHECKING pass, m = 7, dOutput = R; 3 of 18 entries fail; the worst is shown\\)$");
    }

    @Test
    void catchesAnInputGradientAveragedOverTheBatch() {
        assertFailsOnly(check("kit_averaged_input_dense(units=3)"), List.of("input gradient"),
                "input gradient at A\\[l-1\\]\\[[0-9], [0-9]\\] = [-0-9.e]+: backward gives dInput = [-0-9.e]+, m times the central "
                        + "difference of \\(1/m\\) sum\\(R \\* Z\\) is [-0-9.e]+, relative error 0.75 > 1e-6 \\(CHECKING passes, m = 7, "
                        + "dOutput = R; 35 of 35 entries fail");
    }

    @Test
    void catchesALayerThatComputesAnInputGradientNobodyAskedFor() {
        assertFailsOnly(check("kit_eager_dense(units=3)"), List.of("first layer"),
                "first layer: with needsInputGradient\\(\\) false the backward pass reshaped the empty dInput to \\(5 x 7\\); it "
                        + "must not touch dInput");
    }

    @Test
    void catchesALayerThatUpdatesItsStateWhileGradientsAreChecked() {
        assertFailsOnly(check("kit_leaky_center"), List.of("state only in training"),
                "state only in training: a CHECKING forward and backward pass changed the layer: state running_mean\\[0, 0\\] "
                        + "changed from [-0-9.eE]+ to [-0-9.eE]+; CHECKING is the arithmetic of training without its side effects");
    }

    @Test
    void catchesAStateThatIsNotTheLiveArray() {
        assertFailsOnly(check("kit_copying_center"), List.of("model file round trip"),
                "model file round trip: state running_mean\\[0, 0\\] is [-0-9.eE]+ after two training steps but 0.0 after "
                        + "saving and loading; state\\(\\) must give the live arrays the layer uses");
    }

    @Test
    void catchesALayerThatAllocatesInEveryStep() {
        // A (3 x 7) scratch matrix per forward pass: 56 bytes of data plus the array and object headers, every pass.
        assertFailsOnly(check("kit_allocating_dense(units=3)"), List.of("no allocation in steady state"),
                "no allocation in steady state: 200 TRAINING forward and backward passes with one reused step allocated "
                        + "[0-9]+ bytes \\(about [0-9]+ per pass\\) after 5 warm-up passes, in the best of 3 rounds; allowed 256. "
                        + "Keep scratch matrices in context.buffer");
    }

    @Test
    void catchesAnInferencePassThatChangesTheLayer() {
        // Each inference pass adds 1e-3 times the number of inference passes so far: no two predictions agree.
        ConformanceReport report = check("kit_drifting_dense(units=3)");
        assertFailsOnly(report, List.of("inference deterministic", "concurrent inference"),
                "inference deterministic: two INFERENCE forward passes on the same input give Z\\[0, 0\\] = [-0-9.eE]+ and "
                        + "[-0-9.eE]+; inference depends only on the parameters, the state and the input");
        assertEquals(true, report.result("concurrent inference").message().contains(
                "where a single thread predicts"), report::toString);
    }
}
