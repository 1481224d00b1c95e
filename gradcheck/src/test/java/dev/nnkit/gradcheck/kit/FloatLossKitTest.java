package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatLoss;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.NamedProvider;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The float paths check accepts a loss whose float path agrees with its double one and catches one
 * whose float gradient is off by a constant factor; a loss without a float path is not asked for one.
 */
class FloatLossKitTest {

    /** {@code J = (1/2m) sum (a - y)^2}; the float gradient is {@code factor (a - y)}. */
    private static final class HalfSquares implements Loss, FloatLoss {
        private final String name;
        private final float factor;

        HalfSquares(String name, float factor) {
            this.name = name;
            this.factor = factor;
        }

        @Override
        public double cost(DMatrixRMaj a, DMatrixRMaj y) {
            double sum = 0;
            for (int k = 0; k < a.getNumElements(); k++) {
                double d = a.data[k] - y.data[k];
                sum += d * d;
            }
            return 0.5 * sum / a.numCols;
        }

        @Override
        public void gradient(DMatrixRMaj a, DMatrixRMaj y, DMatrixRMaj dA) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dA.data[k] = a.data[k] - y.data[k];
            }
        }

        @Override
        public double cost(FMatrixRMaj a, FMatrixRMaj y) {
            double sum = 0;
            for (int k = 0; k < a.getNumElements(); k++) {
                double d = (double) a.data[k] - y.data[k];
                sum += d * d;
            }
            return 0.5 * sum / a.numCols;
        }

        @Override
        public void gradient(FMatrixRMaj a, FMatrixRMaj y, FMatrixRMaj dA) {
            for (int k = 0; k < a.getNumElements(); k++) {
                dA.data[k] = factor * (a.data[k] - y.data[k]);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static NamedProvider<Loss> provider(String name, float factor) {
        return new NamedProvider<>(Loss.class, name) {
            @Override
            public Loss create(Arguments arguments) {
                return new HalfSquares(name, factor);
            }
        };
    }

    private static ConformanceReport check(String spec) {
        List<dev.nnkit.spi.PluginProvider<?>> providers = new ArrayList<>(KitActivations.providers());
        providers.add(provider("kit_float_squares", 1f));
        providers.add(provider("kit_float_squares_doubled", 2f));
        return Conformance.of(PluginRegistry.of(providers)).loss(spec, "kit_scaled_identity").run();
    }

    @Test
    void aFloatPathThatAgreesWithTheDoubleOnePasses() {
        assertPasses(check("kit_float_squares"));
    }

    @Test
    void aFloatGradientOffByAFactorIsCaught() {
        assertFailsOnly(check("kit_float_squares_doubled"), List.of("float paths"),
                "^loss 'kit_float_squares_doubled' with output 'kit_scaled_identity': float paths: the float general "
                        + "gradient dA\\[\\d+, \\d+\\] is [-0-9.eE]+, the double one [-0-9.eE]+ on the same input, difference ");
    }

    @Test
    void aLossWithoutAFloatPathIsNotAskedForOne() {
        ConformanceReport report = KitRegistry.conformance().loss("kit_shifted_mse", "kit_scaled_identity").run();
        assertFalse(report.results().stream().anyMatch(r -> r.check().equals("float paths")));
    }
}
