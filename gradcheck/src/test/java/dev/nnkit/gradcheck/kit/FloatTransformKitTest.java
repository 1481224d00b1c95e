package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.FloatActivationTransform;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The float check of the regularizer kit accepts an inverted dropout whose float kernel draws the
 * double mask and scales as the double one does, and catches float kernels broken in one way each:
 * no {@code 1/keep_prob}, the mask applied in reverse order, a mask drawn without
 * {@code drawMask}, a negated backward, a kernel that acts outside training. A transform without a
 * float kernel is not asked for one.
 */
class FloatTransformKitTest {

    /** What a {@link FloatDropout} gets wrong in its float kernel. */
    enum Bug { NONE, UNSCALED, REVERSED_MASK, OWN_DRAWS, NEGATED_BACKWARD, ALWAYS_ACTS }

    /** {@link KitRegularizers.InvertedDropout} with a float kernel: the mask in float buffer 0. */
    static final class FloatDropout extends KitRegularizers.InvertedDropout implements FloatActivationTransform {
        private final String name;
        private final Bug bug;

        FloatDropout(String name, double keepProb, Bug bug) {
            super(keepProb);
            this.name = name;
            this.bug = bug;
        }

        @Override
        String name() {
            return name;
        }

        @Override
        public void forward(FMatrixRMaj a, FMatrixRMaj out, StepContext context) {
            if (!context.mode().isStochastic() && bug != Bug.ALWAYS_ACTS) {
                if (out != a) {
                    out.setTo(a);
                }
                return;
            }
            FMatrixRMaj mask = context.floatBuffer(0, a.numRows, a.numCols);
            int n = a.getNumElements();
            if (!context.mode().isStochastic()) {
                mask.fill(1f);
            } else if (bug == Bug.OWN_DRAWS) {
                for (int k = 0; k < n; k++) {
                    mask.data[k] = context.random().nextFloat() < keepProb ? 1f : 0f;
                }
            } else {
                context.drawMask(mask, keepProb);
            }
            double scale = bug == Bug.UNSCALED ? 1.0 : 1.0 / keepProb;
            for (int k = 0; k < n; k++) {
                float d = mask.data[bug == Bug.REVERSED_MASK ? n - 1 - k : k];
                out.data[k] = (float) (a.data[k] * d * scale);
            }
        }

        @Override
        public void backward(FMatrixRMaj dA, StepContext context) {
            if (!context.mode().isStochastic()) {
                return;
            }
            FMatrixRMaj mask = context.floatBuffer(0, dA.numRows, dA.numCols);
            int n = dA.getNumElements();
            double sign = bug == Bug.NEGATED_BACKWARD ? -1.0 : 1.0;
            for (int k = 0; k < n; k++) {
                float d = mask.data[bug == Bug.REVERSED_MASK ? n - 1 - k : k];
                dA.data[k] = (float) (sign * dA.data[k] * d / keepProb);
            }
        }
    }

    private static String name(Bug bug) {
        return "kit_float_dropout_" + bug.name().toLowerCase(Locale.ROOT);
    }

    private static ConformanceReport check(Bug bug) {
        List<PluginProvider<?>> providers = new ArrayList<>();
        for (Bug b : Bug.values()) {
            providers.add(new FixtureProvider<>(Regularizer.class, name(b),
                    a -> new FloatDropout(name(b), a.getDouble("keep_prob", 0.8), b)));
        }
        return Conformance.of(PluginRegistry.of(providers)).regularizer(name(bug) + "(keep_prob=0.7)", name(bug) + "(keep_prob=1)")
                .run();
    }

    @Test
    void aFloatKernelThatDrawsTheDoubleMaskPasses() {
        ConformanceReport report = check(Bug.NONE);
        assertPasses(report);
        assertPassesWith(report, "float kernel", "^float passes of TRAINING steps of seeds 41 to 44 draw the double passes' "
                + "masks, drop the same \\d+ of 1024 entries and agree with the double passes within 16 u");
    }

    @Test
    void aFloatKernelWithoutOneOverKeepProbIsCaught() {
        assertFailsOnly(check(Bug.UNSCALED), List.of("float kernel"),
                "^regularizer 'kit_float_dropout_unscaled\\(keep_prob=0.7\\)': float kernel: with TRAINING steps of seed 41, "
                        + "forward: out\\[\\d+, \\d+\\] is [-0-9.eE]+ in the float pass and [-0-9.eE]+ in the double pass, "
                        + "difference [0-9.e-]+ > [0-9.e-]+$");
    }

    @Test
    void aMaskAppliedInAnotherOrderIsCaught() {
        assertFailsOnly(check(Bug.REVERSED_MASK), List.of("float kernel"),
                "float kernel: with TRAINING steps of seed 41, the float pass (drops|keeps) A\\[\\d+, \\d+\\] = [-0-9.e]+ "
                        + "\\(out = [-0-9.eE]+\\) where the double pass (drops|keeps) it");
    }

    @Test
    void aMaskDrawnWithoutDrawMaskIsCaught() {
        // the double kernel's own checks pass; only the float one draws its own way
        assertFailsOnly(check(Bug.OWN_DRAWS), List.of("float kernel"),
                "float kernel: with TRAINING steps of seed 41, the double pass draws its mask with context.drawMask but "
                        + "the float pass does not");
    }

    @Test
    void aNegatedFloatBackwardIsCaught() {
        assertFailsOnly(check(Bug.NEGATED_BACKWARD), List.of("float kernel"),
                "float kernel: with TRAINING steps of seed 41, backward: dA\\[\\d+, \\d+\\] is [-0-9.eE]+ in the float pass");
    }

    @Test
    void aFloatKernelThatActsOutsideTrainingIsCaught() {
        assertFailsOnly(check(Bug.ALWAYS_ACTS), List.of("float kernel"),
                "float kernel: in a CHECKING pass, the float forward pass changes A\\[\\d+, \\d+\\] = [-0-9.eE]+ to "
                        + "[-0-9.eE]+; outside TRAINING it is the identity");
    }

    @Test
    void aTransformWithoutAFloatKernelIsNotAskedForOne() {
        ConformanceReport report = KitRegistry.conformance().regularizer("kit_eager_dropout(keep_prob=0.5)").run();
        assertFalse(report.results().stream().anyMatch(r -> r.check().startsWith("float")));
    }
}
