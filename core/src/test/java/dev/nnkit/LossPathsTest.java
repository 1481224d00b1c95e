package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.internal.Access;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingHistory;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StepContext.Mode;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The general path of a loss (its {@code dA[L]} through the output activation's own backward) and
 * the fused path ({@code dZ[L] = A - Y} when the output activation declares the loss's function)
 * compute the same cost and gradients, and both match finite differences. The activations differ
 * only in the declaration: {@code test_plain_sigmoid} and {@code test_plain_softmax} compute the
 * same values as {@code sigmoid} and {@code test_softmax} but do not implement {@link StandardActivation}.
 */
class LossPathsTest {

    private static final PluginRegistry REGISTRY = ModelFixtures.stepRegistry();

    private static Network network(int outputs, String output, String loss) {
        return Network.builder(3).registry(REGISTRY).initializer("test_gaussian(std=0.9)")
                .layer(LayerConfig.dense(5).withActivation("sigmoid").withRegularizers("test_l2(lambda=0.3)"))
                .dense(outputs, output).loss(loss).seed(17).build();
    }

    private static Dataset binaryData() {
        Random r = new Random(4);
        DMatrixRMaj y = new DMatrixRMaj(1, 24);
        for (int j = 0; j < 24; j++) {
            y.set(0, j, r.nextBoolean() ? 1 : 0);
        }
        return new Dataset(ModelFixtures.gaussian(3, 24, 8), y);
    }

    private static Dataset oneHotData() {
        Random r = new Random(5);
        DMatrixRMaj y = new DMatrixRMaj(4, 24);
        for (int j = 0; j < 24; j++) {
            y.set(r.nextInt(4), j, 1);
        }
        return new Dataset(ModelFixtures.gaussian(3, 24, 9), y);
    }

    private static double maxAbs(double[] a) {
        double max = 0;
        for (double v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** Max |a - b| over max |a|: the relative difference of two gradients as vectors. */
    private static double relative(DMatrixRMaj a, DMatrixRMaj b) {
        double diff = 0;
        for (int k = 0; k < a.getNumElements(); k++) {
            diff = Math.max(diff, Math.abs(a.data[k] - b.data[k]));
        }
        return diff / maxAbs(a.data);
    }

    private static void check(Network fused, Network general, Dataset data) {
        assertTrue(fused.activation(2) instanceof StandardActivation);
        assertFalse(general.activation(2) instanceof StandardActivation);
        assertArrayEquals(ModelFixtures.flatParameters(fused), ModelFixtures.flatParameters(general), 0.0,
                "the same seed and initializer give the same starting values");
        // which path each network takes: the general one has a dA[L], the fused one goes straight to dZ[L]
        assertFalse(fused.traceStep(Access.data().x(data), Access.data().y(data), java.util.Map.of()).dA(2).isPresent());
        assertTrue(general.traceStep(Access.data().x(data), Access.data().y(data), java.util.Map.of()).dA(2).isPresent());

        double fusedCost = fused.computeGradients(data);
        double generalCost = general.computeGradients(data);
        assertEquals(fusedCost, generalCost, 1e-12 * fusedCost);
        assertEquals(fused.cost(data), general.cost(data), 1e-12 * fusedCost);
        for (int l = 1; l <= 2; l++) {
            for (String name : List.of("W", "b")) {
                double rel = relative(fused.gradient(l, name), general.gradient(l, name));
                assertTrue(rel < 1e-12, "d" + name + "[" + l + "]: fused and general differ by " + rel);
            }
        }
        // both against central differences of the cost a gradient checker differentiates
        for (Network net : List.of(fused, general)) {
            net.computeGradients(data);
            double squaredDifference = 0;
            double numericNorm = 0;
            double analyticNorm = 0;
            for (Parameter p : net.parameters()) {
                for (int k = 0; k < p.value().getNumElements(); k++) {
                    double saved = p.value().data[k];
                    double h = 1e-5;
                    p.value().data[k] = saved + h;
                    double plus = net.cost(data, Mode.CHECKING);
                    p.value().data[k] = saved - h;
                    double minus = net.cost(data, Mode.CHECKING);
                    p.value().data[k] = saved;
                    double numeric = (plus - minus) / (2 * h);
                    double analytic = p.gradient().data[k];
                    squaredDifference += (numeric - analytic) * (numeric - analytic);
                    numericNorm += numeric * numeric;
                    analyticNorm += analytic * analytic;
                    assertEquals(numeric, analytic, 1e-7 * (Math.abs(numeric) + Math.abs(analytic)) + 1e-10,
                            net + " " + p.name() + "[" + k + "]");
                }
            }
            double vectorError = Math.sqrt(squaredDifference) / (Math.sqrt(numericNorm) + Math.sqrt(analyticNorm));
            assertTrue(vectorError < 1e-8, net + ": relative error " + vectorError);
        }
        // and they train alike: 40 steps of gradient descent stay within round-off of each other
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.5)").withEpochs(40);
        TrainingHistory a = new Trainer(hp).fit(fused, data);
        TrainingHistory b = new Trainer(hp).fit(general, data);
        double[] costs = a.stepCosts();
        assertTrue(costs[costs.length - 1] < costs[0], "the cost goes down: " + costs[0] + " -> " + costs[costs.length - 1]);
        assertArrayEquals(costs, b.stepCosts(), 1e-10 * costs[0]);
        double[] pa = ModelFixtures.flatParameters(fused);
        double[] pb = ModelFixtures.flatParameters(general);
        for (int k = 0; k < pa.length; k++) {
            assertEquals(pa[k], pb[k], 1e-10 * maxAbs(pa), "parameter " + k + " after training");
        }
    }

    @Test
    void binaryCrossEntropyGivesTheSameGradientsWithAPlainSigmoidAsFused() {
        check(network(1, "sigmoid", "binary_cross_entropy"), network(1, "test_plain_sigmoid", "binary_cross_entropy"),
                binaryData());
    }

    @Test
    void softmaxCrossEntropyGivesTheSameGradientsWithAPlainSoftmaxAsFused() {
        check(network(4, "test_softmax", "softmax_cross_entropy"), network(4, "test_plain_softmax", "softmax_cross_entropy"),
                oneHotData());
    }
}
