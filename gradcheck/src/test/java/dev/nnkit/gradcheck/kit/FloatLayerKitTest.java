package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.FloatLayer;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The float checks of the layer kit accept a dense layer whose float kernel agrees with its double
 * one (core's, and a plain-loop one) and catch float kernels broken in one way each: a wrong sign,
 * a missing {@code 1/m}, float parameters out of order, a float pass that reads the double
 * parameters, a float pass that allocates. A layer without a float kernel is not asked for one.
 */
class FloatLayerKitTest {

    /** What a {@link LoopDense} gets wrong in its float kernel. */
    enum Bug { NONE, NEGATED_INPUT_GRADIENT, WEIGHT_GRADIENT_WITHOUT_ONE_OVER_M, MISALIGNED, READS_DOUBLES, ALLOCATES }

    /**
     * {@code Z = W X + b}, {@code dW = (1/m) dZ X^T}, {@code db = (1/m) sum_j dZ}, {@code dX = W^T dZ}:
     * in double the kit's plain-loop dense, in float plain loops (float products, double sums for {@code db}).
     */
    static final class LoopDense implements Layer, FloatLayer {
        private final String name;
        private final int units;
        private final Bug bug;
        /** The double kernel: the kit's own plain-loop dense. */
        private final KitPlugins.Dense doubles;
        private DMatrixRMaj w;
        private List<FloatParameter> floats;

        LoopDense(String name, int units, Bug bug) {
            this.name = name;
            this.units = units;
            this.bug = bug;
            this.doubles = new KitPlugins.Dense(units);
        }

        @Override
        public int outputSize(int inputSize) {
            return units;
        }

        @Override
        public void connect(int inputSize) {
            doubles.connect(inputSize);
            w = doubles.parameters().get(0).value();
        }

        @Override
        public void initialize(Initializer initializer, RandomGenerator random) {
            doubles.initialize(initializer, random);
        }

        @Override
        public List<Parameter> parameters() {
            return doubles.parameters();
        }

        @Override
        public void forward(DMatrixRMaj x, DMatrixRMaj z, StepContext context) {
            doubles.forward(x, z, context);
        }

        @Override
        public void backward(DMatrixRMaj x, DMatrixRMaj z, DMatrixRMaj dZ, DMatrixRMaj dX, StepContext context) {
            doubles.backward(x, z, dZ, dX, context);
        }

        @Override
        public List<FloatParameter> floatParameters() {
            if (floats == null) {
                FloatParameter fw = new FloatParameter("W", Parameter.Role.WEIGHT, new FMatrixRMaj(w.numRows, w.numCols),
                        new FMatrixRMaj(w.numRows, w.numCols));
                FloatParameter fb = new FloatParameter("b", Parameter.Role.BIAS, new FMatrixRMaj(units, 1),
                        new FMatrixRMaj(units, 1));
                floats = bug == Bug.MISALIGNED ? List.of(fb, fw) : List.of(fw, fb);
            }
            return floats;
        }

        private FMatrixRMaj fw() {
            return floatParameters().get(bug == Bug.MISALIGNED ? 1 : 0).value();
        }

        private FloatParameter fb() {
            return floatParameters().get(bug == Bug.MISALIGNED ? 0 : 1);
        }

        @Override
        public void forward(FMatrixRMaj x, FMatrixRMaj z, StepContext context) {
            int n = x.numRows;
            int m = x.numCols;
            float[] wf = fw().data;
            if (bug == Bug.ALLOCATES) {
                wf = wf.clone();
            }
            float[] bf = fb().value().data;
            for (int i = 0; i < units; i++) {
                for (int j = 0; j < m; j++) {
                    float sum = bf[i];
                    for (int k = 0; k < n; k++) {
                        float weight = bug == Bug.READS_DOUBLES ? (float) w.data[i * n + k] : wf[i * n + k];
                        sum += weight * x.data[k * m + j];
                    }
                    z.data[i * m + j] = sum;
                }
            }
        }

        @Override
        public void backward(FMatrixRMaj x, FMatrixRMaj z, FMatrixRMaj dZ, FMatrixRMaj dX, StepContext context) {
            int n = x.numRows;
            int m = x.numCols;
            float[] wf = fw().data;
            float[] dW = floatParameters().get(bug == Bug.MISALIGNED ? 1 : 0).gradient().data;
            float[] db = fb().gradient().data;
            float scale = bug == Bug.WEIGHT_GRADIENT_WITHOUT_ONE_OVER_M ? 1f : 1f / m;
            for (int i = 0; i < units; i++) {
                double sum = 0;
                for (int j = 0; j < m; j++) {
                    sum += dZ.data[i * m + j];
                }
                db[i] = (float) (sum / m);
                for (int k = 0; k < n; k++) {
                    float s = 0;
                    for (int j = 0; j < m; j++) {
                        s += dZ.data[i * m + j] * x.data[k * m + j];
                    }
                    dW[i * n + k] = s * scale;
                }
            }
            if (context.needsInputGradient()) {
                float sign = bug == Bug.NEGATED_INPUT_GRADIENT ? -1f : 1f;
                for (int k = 0; k < n; k++) {
                    for (int j = 0; j < m; j++) {
                        float s = 0;
                        for (int i = 0; i < units; i++) {
                            s += wf[i * n + k] * dZ.data[i * m + j];
                        }
                        dX.data[k * m + j] = sign * s;
                    }
                }
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of(name).with("units", units).toString();
        }
    }

    private static Conformance conformance() {
        List<PluginProvider<?>> providers = new ArrayList<>();
        for (Bug bug : Bug.values()) {
            String name = "kit_loop_dense_" + bug.name().toLowerCase(java.util.Locale.ROOT);
            providers.add(new FixtureProvider<>(Layer.class, name, a -> new LoopDense(name, a.requireInt("units"), bug)));
        }
        for (PluginProvider<?> provider : ServiceLoader.load(PluginProvider.class)) {
            if (provider.getClass().getName().startsWith("dev.nnkit.internal.")) {
                providers.add(provider);
            }
        }
        return Conformance.of(PluginRegistry.of(providers));
    }

    private static ConformanceReport check(Bug bug) {
        return conformance().layer("kit_loop_dense_" + bug.name().toLowerCase(java.util.Locale.ROOT) + "(units=3)").run();
    }

    @Test
    void aPlainLoopFloatKernelThatAgreesWithItsDoubleOnePasses() {
        ConformanceReport report = check(Bug.NONE);
        assertPasses(report);
        assertPassesWith(report, "float parameters aligned", "^floatParameters\\(\\) \\[W, b\\] matches parameters\\(\\)");
        // Z is 3 x 7 in three modes (63), dInput 5 x 7 and the gradients 15 + 3 in two (106)
        assertPassesWith(report, "float kernel", "at 169 entries$");
        assertPassesWith(report, "float passes read the float parameters", "same bits with the double parameters set to NaN");
        assertPassesWith(report, "no allocation in steady state (float)", "allocated \\d+ bytes \\(allowed 256");
    }

    @Test
    void coreDensePassesTheFloatChecks() {
        ConformanceReport report = conformance().layer("dense(units=4)", 6, 5).run();
        assertPasses(report);
        assertPassesWith(report, "float kernel", "at 176 entries$");
    }

    @Test
    void aNegatedInputGradientIsCaught() {
        assertFailsOnly(check(Bug.NEGATED_INPUT_GRADIENT), List.of("float kernel"),
                "^layer 'kit_loop_dense_negated_input_gradient\\(units=3\\)': float kernel: in a TRAINING pass, "
                        + "dInput\\[\\d+, \\d+\\] is [-0-9.eE]+ in the float pass and [-0-9.eE]+ in the double pass, "
                        + "difference [0-9.e-]+ > [0-9.e-]+ \\(6.104e-5 of the largest entry, [0-9.e-]+\\)$");
    }

    @Test
    void aWeightGradientWithoutOneOverMIsCaught() {
        assertFailsOnly(check(Bug.WEIGHT_GRADIENT_WITHOUT_ONE_OVER_M), List.of("float kernel"),
                "float kernel: in a TRAINING pass, the gradient of W\\[\\d+, \\d+\\] is [-0-9.eE]+ in the float pass and "
                        + "[-0-9.eE]+ in the double pass");
    }

    @Test
    void floatParametersOutOfOrderAreCaught() {
        assertFailsOnly(check(Bug.MISALIGNED), List.of("float parameters aligned", "float kernel",
                "float passes read the float parameters", "no allocation in steady state (float)"),
                "^layer 'kit_loop_dense_misaligned\\(units=3\\)': float parameters aligned: float parameter 0 is b \\(BIAS\\) "
                        + "but parameter 0 is W \\(WEIGHT\\); floatParameters\\(\\) \\[b, W\\] must list parameters\\(\\) "
                        + "\\[W, b\\] in the same order$");
    }

    @Test
    void aFloatPassThatReadsTheDoubleParametersIsCaught() {
        assertFailsOnly(check(Bug.READS_DOUBLES), List.of("float passes read the float parameters"),
                "float passes read the float parameters: with the double parameters set to NaN, the float CHECKING pass "
                        + "gives Z\\[0, 0\\] = NaN instead of [-0-9.eE]+; a FloatLayer's passes read floatParameters\\(\\)");
    }

    @Test
    void aFloatPassThatAllocatesIsCaught() {
        assertFailsOnly(check(Bug.ALLOCATES), List.of("no allocation in steady state (float)"),
                "no allocation in steady state \\(float\\): 200 TRAINING float forward and backward passes with one reused "
                        + "step allocated \\d+ bytes .*context.floatBuffer");
    }

    @Test
    void aLayerWithoutAFloatKernelIsNotAskedForOne() {
        ConformanceReport report = KitRegistry.conformance().layer("kit_center").run();
        assertPasses(report);
        assertFalse(report.results().stream().anyMatch(r -> r.check().startsWith("float")));
    }
}
