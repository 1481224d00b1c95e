package dev.nnkit;

import dev.nnkit.spi.PluginException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class OptimizerTest {

    private final PluginRegistry registry = PluginRegistry.defaults();

    private static Parameter parameter(double value, double gradient) {
        return new Parameter("W", Parameter.Role.WEIGHT, new DMatrixRMaj(1, 1, true, value),
                new DMatrixRMaj(1, 1, true, gradient));
    }

    @Test
    void plainGradientDescentIsWMinusAlphaDw() {
        Optimizer sgd = registry.create(Optimizer.class, "sgd(learning_rate=1.2)");
        Parameter p = parameter(0.5, 0.25);
        sgd.update(List.of(p), 1, sgd.baseLearningRate());
        assertEquals(0.5 - 1.2 * 0.25, p.value().get(0, 0), 1e-15);
    }

    @Test
    void momentumKeepsAnExponentiallyWeightedAverageOfGradients() {
        Optimizer sgd = registry.create(Optimizer.class, "sgd(learning_rate=0.1, momentum=0.9)");
        Parameter p = parameter(1.0, 2.0);
        sgd.update(List.of(p), 1, sgd.baseLearningRate());
        double v = 0.1 * 2.0;                       // v = 0.9*0 + 0.1*2
        assertEquals(1.0 - 0.1 * v, p.value().get(0, 0), 1e-15);
        p.gradient().set(0, 0, -1.0);
        sgd.update(List.of(p), 2, sgd.baseLearningRate());
        double v2 = 0.9 * v + 0.1 * -1.0;
        assertEquals(1.0 - 0.1 * v - 0.1 * v2, p.value().get(0, 0), 1e-15);
    }

    @Test
    void adamFirstStepMovesByTheLearningRateInTheGradientsDirection() {
        // with bias correction, v^ = g and s^ = g^2 at t = 1, so the step is alpha * g / (|g| + eps)
        Optimizer adam = registry.create(Optimizer.class, "adam(learning_rate=0.01)");
        Parameter p = parameter(3.0, -40.0);
        adam.update(List.of(p), 1, adam.baseLearningRate());
        assertEquals(3.0 + 0.01 * 40.0 / (40.0 + 1e-8), p.value().get(0, 0), 1e-15);
    }

    @Test
    void adamSecondStepFollowsTheFormula() {
        Optimizer adam = registry.create(Optimizer.class, "adam(learning_rate=0.1, beta1=0.5, beta2=0.75, epsilon=1e-6)");
        Parameter p = parameter(0.0, 1.0);
        adam.update(List.of(p), 1, adam.baseLearningRate());
        double w = -0.1 * 1.0 / (1.0 + 1e-6);
        p.gradient().set(0, 0, 3.0);
        adam.update(List.of(p), 2, adam.baseLearningRate());
        double v = 0.5 * 0.5 * 1.0 + 0.5 * 3.0;
        double s = 0.75 * 0.25 * 1.0 + 0.25 * 9.0;
        double vHat = v / (1 - 0.25);
        double sHat = s / (1 - 0.5625);
        assertEquals(w - 0.1 * vHat / (Math.sqrt(sHat) + 1e-6), p.value().get(0, 0), 1e-14);
    }

    @Test
    void rmspropDividesByTheRootMeanSquare() {
        Optimizer rms = registry.create(Optimizer.class, "rmsprop(learning_rate=0.01, rho=0.9)");
        Parameter p = parameter(1.0, 2.0);
        rms.update(List.of(p), 1, rms.baseLearningRate());
        double s = 0.1 * 4.0;
        assertEquals(1.0 - 0.01 * 2.0 / (Math.sqrt(s) + 1e-8), p.value().get(0, 0), 1e-15);
    }

    @Test
    void eachStepUsesTheRateItIsGivenAndTheSpecKeepsTheBaseRate() {
        for (String spec : List.of("sgd(learning_rate=0.5)", "sgd(learning_rate=0.5, momentum=0.5)", "adam(learning_rate=0.5)",
                "rmsprop(learning_rate=0.5)")) {
            Optimizer base = registry.create(Optimizer.class, spec);
            Optimizer scheduled = registry.create(Optimizer.class, spec);
            assertEquals(0.5, base.baseLearningRate(), 0.0, spec);
            Parameter a = parameter(1.0, 2.0);
            Parameter b = parameter(1.0, 2.0);
            base.update(List.of(a), 1, 0.5);
            scheduled.update(List.of(b), 1, 0.05);
            // the same moments, a tenth of the step
            assertEquals((1.0 - a.value().get(0, 0)) / 10, 1.0 - b.value().get(0, 0), 1e-15, spec);
            scheduled.update(List.of(b), 2, 0.0);
            assertEquals(base.state().size(), scheduled.state().size(), spec);
            double afterZero = b.value().get(0, 0);
            scheduled.update(List.of(b), 3, 0.0);
            assertEquals(afterZero, b.value().get(0, 0), 0.0, spec + ": a rate of 0 moves nothing");
            assertEquals(registry.create(Optimizer.class, spec).toString(), scheduled.toString(), "the spec keeps the base rate");
        }
        assertEquals(0.001, registry.create(Optimizer.class, "adam").baseLearningRate(), 0.0, "the default rate");
    }

    @Test
    void specsRoundTrip() {
        for (String spec : List.of("sgd(learning_rate=0.5)", "sgd(learning_rate=0.5, momentum=0.9)",
                "adam(learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-8)",
                "rmsprop(learning_rate=0.001, rho=0.9, epsilon=1.0E-8)")) {
            assertEquals(spec, registry.create(Optimizer.class, spec).toString());
        }
    }

    @Test
    void outOfRangeSettingsAreRefused() {
        assertEquals("sgd: learning_rate=-1.0 is invalid; learning_rate must be > 0, e.g. learning_rate=0.01",
                assertThrows(PluginException.class, () -> registry.create(Optimizer.class, "sgd(learning_rate=-1)")).getMessage());
        assertEquals("sgd: momentum=1.0 is invalid; momentum must be in [0, 1); 0 means plain gradient descent",
                assertThrows(PluginException.class, () -> registry.create(Optimizer.class, "sgd(momentum=1)")).getMessage());
        assertEquals("adam: beta2=1.5 is invalid; beta2 must be in [0, 1)",
                assertThrows(PluginException.class, () -> registry.create(Optimizer.class, "adam(beta2=1.5)")).getMessage());
    }
}
