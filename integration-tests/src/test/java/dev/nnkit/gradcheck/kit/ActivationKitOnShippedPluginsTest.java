package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Reports.activation;
import static dev.nnkit.gradcheck.kit.Reports.assertPasses;
import static dev.nnkit.gradcheck.kit.Reports.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * What the activation checks say about the shipped sigmoid, identity, relu and softmax: the points
 * and errors of the derivative check, the kink skipped, the Jacobian-vector product, the declared
 * standard functions. (The activations module runs every check on every activation; gradcheck's
 * own tests show each check catching a broken activation.)
 */
class ActivationKitOnShippedPluginsTest {

    @Test
    void acceptsCorrectElementWiseActivations() {
        ConformanceReport sigmoid = activation("sigmoid");
        assertPasses(sigmoid);
        assertPassesWith(sigmoid, "derivative", "^backward matches central differences from z=-700 to 700 at 29 of 29 points "
                + "\\(largest relative error [0-9.]+e-(9|1[0-9])\\)$");
        assertPassesWith(sigmoid, "examples independent", "^element-wise");
        assertPasses(activation("identity"));
    }

    @Test
    void skipsThePointsWithinAStepOfAKink() {
        ConformanceReport relu = activation("relu");
        assertPasses(relu);
        assertPassesWith(relu, "derivative", "at 28 of 29 points \\(largest relative error 0\\); skipped within a step of a "
                + "kink: z=0$");
    }

    @Test
    void acceptsSoftmaxThroughTheJacobianVectorProduct() {
        ConformanceReport softmax = activation("softmax");
        assertPasses(softmax);
        assertPassesWith(softmax, "derivative", "^column-wise: backward\\(Z, A, C\\) matches central differences");
        assertPassesWith(softmax, "examples independent", "^column-wise");
    }

    @Test
    void checksTheDeclaredStandardFunction() {
        assertPassesWith(activation("sigmoid"), "standard function",
                "^forward equals the declared LOGISTIC \\(1 / \\(1 \\+ e\\^-z\\), computed by the kit\\) at 88 points, z from -700 to 700$");
        assertPassesWith(activation("softmax"), "standard function", "^forward equals the declared SOFTMAX");
        assertEquals(9, activation("identity").results().size(), "no declaration, no standard-function check; a float kernel");
    }
}
