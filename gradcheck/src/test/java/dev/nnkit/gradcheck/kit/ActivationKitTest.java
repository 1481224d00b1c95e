package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The activation checks catch each planted bug, saying by how much. What they say about correct
 * activations is tested on the shipped sigmoid, relu, softmax and identity in the integration-tests
 * module, and on kit_abs and kit_arctan, which nnkit does not ship, in {@link PluginKitTest} and
 * {@link RegistrationKitTest}.
 */
class ActivationKitTest {

    private static ConformanceReport check(String spec) {
        return KitRegistry.conformance().activation(spec).run();
    }

    @Test
    void reportsAWrongDerivativeWithThePointAndTheRelativeError() {
        // dZ = dA (1 - a^2) instead of dA a (1 - a). It agrees only where 1 - a^2 = a (1 - a) to round-off: at z = 30
        // and 700, where a = 1. The worst point is z = -700: a = 0, so backward says 1 where the slope is ~0.
        assertFailsOnly(check("kit_wrong_sigmoid"), List.of("derivative"),
                "^activation 'kit_wrong_sigmoid': derivative at z=-700: backward 1, central difference 9.86e-305, "
                        + "relative error 1 > 1e-6 \\(27 of 29 points fail; the worst is shown\\)$");
    }

    @Test
    void showsAsManyDigitsAsItTakesToTellTheValuesApart() {
        // A derivative off by 4e-6 at z = -1e-5 reads "backward 0.5, central difference 0.5" with four digits.
        assertEquals(List.of("0.500001", "0.499997"), List.of(Comparison.distinct(0.500001, 0.4999969)));
        assertEquals(List.of("0.25", "0.235"), List.of(Comparison.distinct(0.25, 0.235)));
        assertEquals(List.of("1", "1"), List.of(Comparison.distinct(1.0, 1.0)));
    }

    @Test
    void reportsAWrongJacobianOfAColumnWiseActivation() {
        assertFailsOnly(check("kit_wrong_softmax"), List.of("derivative"),
                "Jacobian-vector product \\(column-wise activation\\) at Z\\[[0-9], [0-9]\\] = [-0-9.e]+: backward [-0-9.e]+, "
                        + "central difference of sum\\(C \\* g\\(Z\\)\\) [-0-9.e]+, relative error [0-9.e]+ > 1e-6");
    }

    @Test
    void reportsOverflowForExtremeInputs() {
        assertFailsOnly(check("kit_naive_softplus"), List.of("extreme inputs"),
                "extreme inputs: forward gives Infinity at z=1.0E300 \\(Z\\[0, 0\\]\\); finite input must give finite output");
    }

    @Test
    void reportsAnOutputThatDependsOnTheBuffersOldContent() {
        // Adding to A also breaks the in-place forward pass, forward(Z, Z) = Z + atan(Z).
        assertFailsOnly(check("kit_accumulating"), List.of("output buffers", "in place"),
                "output buffers: forward into an A filled with NaN gives A\\[0, 0\\] = NaN instead of");
    }

    @Test
    void reportsAnActivationThatMixesExamples() {
        assertFailsOnly(check("kit_row_softmax"), List.of("examples independent"),
                "examples independent: changing Z\\[0, 0\\] changes A\\[0, 1\\], which is in another column");
    }

    @Test
    void reportsAForwardPassThatIsWrongInPlace() {
        assertFailsOnly(check("kit_shift"), List.of("in place"),
                "in place: forward\\(Z, Z\\) gives A\\[1, 0\\] = .* but forward\\(Z, A\\) gives .*; the SPI allows a == z");
    }

    @Test
    void catchesAnActivationThatDeclaresAFunctionItDoesNotCompute() {
        // sigma(2z) with its exact derivative passes every other check; at z = 1 it gives 0.8808 where sigma(1) = 0.7311.
        assertFailsOnly(check("kit_false_logistic"), List.of("standard function"),
                "^activation 'kit_false_logistic': standard function: the activation declares LOGISTIC \\(1 / \\(1 \\+ e\\^-z\\)\\) "
                        + "but forward gives A\\[0, [0-9]+\\] = [0-9.e-]+ at z = -30 where the kit computes [0-9.e-]+; a loss "
                        + "fused with LOGISTIC would compute dZ = A - Y for the wrong function");
    }
}
