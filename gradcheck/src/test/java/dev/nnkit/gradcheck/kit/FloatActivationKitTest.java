package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatActivation;
import dev.nnkit.spi.NamedProvider;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The float kernel check accepts an activation whose float kernel agrees with its double one and
 * catches one computed at half of float's precision; an activation without a float kernel is not
 * asked for one.
 */
class FloatActivationKitTest {

    /** Arc tangent, {@code g' = 1 / (1 + z^2)}, in double and, rounded to {@code bits} significant bits, in float. */
    private static final class Arctan implements Activation, FloatActivation {
        private final String name;
        private final int dropBits;

        Arctan(String name, int dropBits) {
            this.name = name;
            this.dropBits = dropBits;
        }

        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = Math.atan(z.data[k]);
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < z.getNumElements(); k++) {
                dZ.data[k] = dA.data[k] / (1 + z.data[k] * z.data[k]);
            }
        }

        private float round(double x) {
            int bits = Float.floatToRawIntBits((float) x);
            return Float.intBitsToFloat(dropBits == 0 ? bits : bits & -(1 << dropBits));
        }

        @Override
        public void forward(FMatrixRMaj z, FMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                a.data[k] = round(Math.atan(z.data[k]));
            }
        }

        @Override
        public void backward(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj dA, FMatrixRMaj dZ) {
            for (int k = 0; k < z.getNumElements(); k++) {
                dZ.data[k] = round(dA.data[k] / (1 + (double) z.data[k] * z.data[k]));
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static NamedProvider<Activation> provider(String name, int dropBits) {
        return new NamedProvider<>(Activation.class, name) {
            @Override
            public Activation create(Arguments arguments) {
                return new Arctan(name, dropBits);
            }
        };
    }

    private static Conformance conformance() {
        return Conformance.of(PluginRegistry.of(List.of(provider("kit_float_arctan", 0),
                provider("kit_half_float_arctan", 12))));
    }

    @Test
    void aFloatKernelThatAgreesWithTheDoubleOnePasses() {
        ConformanceReport report = conformance().activation("kit_float_arctan").run();
        assertPasses(report);
        assertPassesWith(report, "float kernel", "^float forward and backward within \\(n \\+ 4\\) u of the double kernel "
                + "on the same input, u = 2\\^-24, at 1328 entries$");
    }

    @Test
    void aFloatKernelAtHalfOfFloatsPrecisionIsCaught() {
        assertFailsOnly(conformance().activation("kit_half_float_arctan").run(), List.of("float kernel"),
                "^activation 'kit_half_float_arctan': float kernel: forward at z=[-0-9.eE]+ \\(Z\\[\\d+, \\d+\\]\\) gives "
                        + "[-0-9.eE]+, the double kernel [-0-9.eE]+, difference [0-9.eE-]+ > [0-9.eE-]+$");
    }

    @Test
    void anActivationWithoutAFloatKernelIsNotAskedForOne() {
        ConformanceReport report = KitRegistry.conformance().activation("kit_arctan").run();
        assertPasses(report);
        assertFalse(report.results().stream().anyMatch(r -> r.check().equals("float kernel")));
    }
}
