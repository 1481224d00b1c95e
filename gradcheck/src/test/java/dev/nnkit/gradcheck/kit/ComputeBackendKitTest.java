package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.KitAssertions.assertFailsOnly;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPasses;
import static dev.nnkit.gradcheck.kit.KitAssertions.assertPassesWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.NamedProvider;
import dev.nnkit.spi.PluginProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The compute-backend checks accept core's EJML backend and a backend with double products only
 * (a float32 network widens for it), and catch a wrong double product, a float product computed
 * at lower precision, and a product that changes from call to call, saying where and by how much.
 */
class ComputeBackendKitTest {

    /** Double products by EJML; {@code bug} changes one thing. */
    private static class DoubleOnlyOps implements MatrixOps {
        private final String bug;
        private int calls;

        DoubleOnlyOps(String bug) {
            this.bug = bug;
        }

        @Override
        public String name() {
            return "kit double only";
        }

        @Override
        public void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            CommonOps_DDRM.mult(a, b, c);
            // on the deterministic check's shape, every second call: well within round-off, but not the same bits
            if (bug.equals("noisy") && c.numRows == 128 && c.numCols == 64 && (calls++ & 1) == 1) {
                c.data[0] += Math.ulp(c.data[0]);
            }
        }

        @Override
        public void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            CommonOps_DDRM.multTransA(a, b, c);
        }

        @Override
        public void multTransB(double alpha, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
            CommonOps_DDRM.multTransB(bug.equals("alpha") ? 1.0 : alpha, a, b, c);
        }
    }

    /** Adds float products that round every operand to 12 significant bits first: half of float's precision. */
    private static final class HalfPrecisionFloatOps extends DoubleOnlyOps implements FloatMatrixOps {
        HalfPrecisionFloatOps() {
            super("");
        }

        private static FMatrixRMaj rounded(FMatrixRMaj m) {
            FMatrixRMaj r = m.copy();
            for (int i = 0; i < r.getNumElements(); i++) {
                r.data[i] = Float.intBitsToFloat((Float.floatToRawIntBits(r.data[i]) + 0x400) & ~0x7ff);
            }
            return r;
        }

        private static FMatrixRMaj transposed(FMatrixRMaj m) {
            FMatrixRMaj t = new FMatrixRMaj(m.numCols, m.numRows);
            for (int i = 0; i < m.numRows; i++) {
                for (int j = 0; j < m.numCols; j++) {
                    t.set(j, i, m.get(i, j));
                }
            }
            return t;
        }

        @Override
        public void mult(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            FMatrixRMaj ra = rounded(a);
            FMatrixRMaj rb = rounded(b);
            c.reshape(a.numRows, b.numCols);
            for (int i = 0; i < a.numRows; i++) {
                for (int j = 0; j < b.numCols; j++) {
                    float s = 0;
                    for (int p = 0; p < a.numCols; p++) {
                        s += ra.get(i, p) * rb.get(p, j);
                    }
                    c.set(i, j, s);
                }
            }
        }

        @Override
        public void multTransA(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            mult(transposed(a), b, c);
        }

        @Override
        public void multTransB(float alpha, FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
            mult(a, transposed(b), c);
            for (int i = 0; i < c.getNumElements(); i++) {
                c.data[i] *= alpha;
            }
        }
    }

    private static PluginProvider<ComputeBackend> backend(String name, Supplier<MatrixOps> ops) {
        return new NamedProvider<>(ComputeBackend.class, name) {
            @Override
            public ComputeBackend create(Arguments arguments) {
                return new ComputeBackend() {
                    @Override
                    public int rank() {
                        return -1;
                    }

                    @Override
                    public Availability availability() {
                        return Availability.usable("kit fixture");
                    }

                    @Override
                    public MatrixOps ops() {
                        return ops.get();
                    }
                };
            }
        };
    }

    @SuppressWarnings("rawtypes")
    private static Conformance conformance() {
        List<PluginProvider<?>> providers = new ArrayList<>();
        for (PluginProvider provider : ServiceLoader.load(PluginProvider.class)) {
            if (provider.kind() == ComputeBackend.class && provider.name().equals("ejml")) {
                providers.add(provider);
            }
        }
        providers.add(backend("kit_double_only", () -> new DoubleOnlyOps("")));
        providers.add(backend("kit_ignores_alpha", () -> new DoubleOnlyOps("alpha")));
        providers.add(backend("kit_noisy", () -> new DoubleOnlyOps("noisy")));
        providers.add(backend("kit_half_precision_floats", HalfPrecisionFloatOps::new));
        return Conformance.of(PluginRegistry.of(providers));
    }

    @Test
    void coresEjmlBackendPassesInDoubleAndFloat() {
        ConformanceReport report = conformance().computeBackend("ejml").run();
        assertPasses(report);
        assertEquals(List.of("registered", "double products", "float products", "deterministic"),
                report.results().stream().map(CheckResult::check).toList());
        assertPassesWith(report, "float products", "^the three float products on 7 shapes \\(\\d+ entries\\) within "
                + "gamma_K \\|A\\|\\|B\\| of the exact product of the float operands, u = 2\\^-24$");
        assertPassesWith(report, "deterministic", ", in double and in float$");
    }

    @Test
    void aBackendWithDoubleProductsOnlyPassesAndIsToldHowFloatNetworksUseIt() {
        ConformanceReport report = conformance().computeBackend("kit_double_only").run();
        assertPasses(report);
        assertPassesWith(report, "float products", "^no float kernels \\(.*DoubleOnlyOps does not implement "
                + "FloatMatrixOps\\): a float32 network widens its float operands to these double products");
    }

    @Test
    void catchesAProductThatIgnoresItsScale() {
        assertFailsOnly(conformance().computeBackend("kit_ignores_alpha").run(), List.of("double products"),
                "^computebackend 'kit_ignores_alpha': double products: 0.3 A B\\^T at \\(0, 0\\) of \\(1, 1\\) x \\(1, 1\\): "
                        + "[-0-9.eE]+, exact [-0-9.eE]+, difference [0-9.eE-]+ > bound [0-9.eE-]+$");
    }

    @Test
    void catchesFloatProductsAtHalfOfFloatsPrecision() {
        assertFailsOnly(conformance().computeBackend("kit_half_precision_floats").run(), List.of("float products"),
                "^computebackend 'kit_half_precision_floats': float products: float A B at \\(\\d+, \\d+\\) of ");
    }

    @Test
    void catchesAProductThatChangesFromCallToCall() {
        assertFailsOnly(conformance().computeBackend("kit_noisy").run(), List.of("deterministic"),
                "^computebackend 'kit_noisy': deterministic: A B on \\(128, 784\\) x \\(784, 64\\) differs from call to call$");
    }
}
