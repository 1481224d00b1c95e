package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.MatrixOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/** The checks of a {@link ComputeBackend}; see {@link Conformance#computeBackend(String)}. */
final class ComputeBackendChecks {

    /** (m, k, n): tiny, odd, an empty inner dimension, and the MLP's shapes (784-256-128-10, batch 128). */
    static final int[][] SHAPES = {{1, 1, 1}, {3, 4, 5}, {4, 0, 3}, {17, 33, 9}, {131, 61, 97}, {128, 784, 64},
        {10, 128, 128}};

    private final Maker<ComputeBackend> maker;

    ComputeBackendChecks(Maker<ComputeBackend> maker) {
        this.maker = maker;
    }

    List<Check> all() {
        String label = maker.label();
        return new ArrayList<>(List.of(
                PluginChecks.registered(maker),
                new Check(label, "double products", this::doubles),
                new Check(label, "float products", this::floats),
                new Check(label, "deterministic", this::deterministic)));
    }

    /** The ops of a fresh, usable instance; an unusable backend fails with its reason. */
    private MatrixOps ops() {
        ComputeBackend backend = maker.make();
        ComputeBackend.Availability availability = backend.availability();
        if (availability == null || !availability.usable()) {
            throw new CheckFailure("the backend is not usable here: "
                    + (availability == null ? "availability() returned null" : availability.detail()));
        }
        MatrixOps ops = backend.ops();
        if (ops == null) {
            throw new CheckFailure("ops() returned null");
        }
        return ops;
    }

    /** The {@code p}-th factor of an entry's sum of products. */
    private interface Factor {
        double at(int p);
    }

    /**
     * {@code sum_p x(p) y(p)} in double-double (each product split exactly with an FMA, each sum
     * with TwoSum), rounded once, accurate far beyond the bound checked; and {@code sum_p |x(p) y(p)|}.
     */
    private static double[] exact(int k, Factor x, Factor y) {
        double hi = 0;
        double lo = 0;
        double abs = 0;
        for (int p = 0; p < k; p++) {
            double xp = x.at(p);
            double yp = y.at(p);
            double t = xp * yp;
            lo += Math.fma(xp, yp, -t); // xp yp = t + that, exactly
            abs += Math.abs(t);
            double s = hi + t; // TwoSum: hi + t = s + e, exactly
            double v = s - hi;
            lo += (hi - (s - v)) + (t - v);
            hi = s;
        }
        return new double[] {hi + lo, abs};
    }

    private static double gamma(int k, double u) {
        return k * u / (1 - k * u);
    }

    private String doubles() {
        MatrixOps ops = ops();
        Random r = new Random(17);
        int entries = 0;
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            DMatrixRMaj a = random(m, k, r);
            DMatrixRMaj b = random(k, n, r);
            DMatrixRMaj at = random(k, m, r);
            DMatrixRMaj bt = random(n, k, r);
            DMatrixRMaj c = new DMatrixRMaj(1, 1);
            c.fill(Double.NaN);
            ops.mult(a, b, c);
            entries += compare("A B", 1, k, 0x1p-53, m, n, c.numRows, c.numCols, c::get,
                    (i, j) -> exact(k, p -> a.get(i, p), p -> b.get(p, j)));
            ops.multTransA(at, b, c);
            entries += compare("A^T B", 1, k, 0x1p-53, m, n, c.numRows, c.numCols, c::get,
                    (i, j) -> exact(k, p -> at.get(p, i), p -> b.get(p, j)));
            ops.multTransB(0.3, a, bt, c);
            entries += compare("0.3 A B^T", 0.3, k, 0x1p-53, m, n, c.numRows, c.numCols, c::get,
                    (i, j) -> exact(k, p -> a.get(i, p), p -> bt.get(j, p)));
        }
        return "the three products on " + SHAPES.length + " shapes (" + entries
                + " entries) within gamma_K |A||B| of the exact product, u = 2^-53";
    }

    private String floats() {
        MatrixOps ops = ops();
        if (!(ops instanceof FloatMatrixOps f)) {
            return "no float kernels (" + ops.getClass().getName() + " does not implement FloatMatrixOps): a float32"
                    + " network widens its float operands to these double products, three conversion passes per product";
        }
        Random r = new Random(19);
        int entries = 0;
        for (int[] s : SHAPES) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            FMatrixRMaj a = randomFloat(m, k, r);
            FMatrixRMaj b = randomFloat(k, n, r);
            FMatrixRMaj at = randomFloat(k, m, r);
            FMatrixRMaj bt = randomFloat(n, k, r);
            FMatrixRMaj c = new FMatrixRMaj(1, 1);
            c.fill(Float.NaN);
            f.mult(a, b, c);
            entries += compare("float A B", 1, k, 0x1p-24, m, n, c.numRows, c.numCols, c::get,
                    (i, j) -> exact(k, p -> a.get(i, p), p -> b.get(p, j)));
            f.multTransA(at, b, c);
            entries += compare("float A^T B", 1, k, 0x1p-24, m, n, c.numRows, c.numCols, c::get,
                    (i, j) -> exact(k, p -> at.get(p, i), p -> b.get(p, j)));
            f.multTransB(0.3f, a, bt, c);
            entries += compare("float 0.3 A B^T", 0.3f, k, 0x1p-24, m, n, c.numRows, c.numCols, c::get,
                    (i, j) -> exact(k, p -> a.get(i, p), p -> bt.get(j, p)));
        }
        return "the three float products on " + SHAPES.length + " shapes (" + entries
                + " entries) within gamma_K |A||B| of the exact product of the float operands, u = 2^-24";
    }

    private String deterministic() {
        MatrixOps ops = ops();
        Random r = new Random(23);
        DMatrixRMaj a = random(128, 784, r);
        DMatrixRMaj b = random(784, 64, r);
        DMatrixRMaj first = new DMatrixRMaj(1, 1);
        DMatrixRMaj again = new DMatrixRMaj(1, 1);
        ops.mult(a, b, first);
        for (int run = 0; run < 3; run++) {
            ops.mult(a, b, again);
            if (!Arrays.equals(first.data, 0, first.getNumElements(), again.data, 0, again.getNumElements())) {
                throw new CheckFailure("deterministic: A B on (128, 784) x (784, 64) differs from call to call");
            }
        }
        String covered = "A B on (128, 784) x (784, 64), 4 calls, the same bits";
        if (ops instanceof FloatMatrixOps f) {
            FMatrixRMaj fa = randomFloat(128, 784, r);
            FMatrixRMaj fb = randomFloat(784, 64, r);
            FMatrixRMaj ff = new FMatrixRMaj(1, 1);
            FMatrixRMaj fg = new FMatrixRMaj(1, 1);
            f.mult(fa, fb, ff);
            for (int run = 0; run < 3; run++) {
                f.mult(fa, fb, fg);
                if (!Arrays.equals(ff.data, 0, ff.getNumElements(), fg.data, 0, fg.getNumElements())) {
                    throw new CheckFailure("deterministic: float A B on (128, 784) x (784, 64) differs from call to call");
                }
            }
            covered += ", in double and in float";
        }
        return covered;
    }

    private interface Entry {
        double get(int i, int j);
    }

    private interface Reference {
        double[] at(int i, int j);
    }

    private static int compare(String what, double alpha, int k, double u, int m, int n, int rows, int cols, Entry c,
                               Reference reference) {
        if (rows != m || cols != n) {
            throw new CheckFailure(what + ": the output is (" + rows + ", " + cols + "), it must be (" + m + ", " + n + ")");
        }
        double gamma = gamma(k + 1, u);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double[] e = reference.at(i, j);
                double expected = alpha * e[0];
                double bound = gamma * Math.abs(alpha) * e[1] + Double.MIN_NORMAL + (u > 0x1p-30 ? Float.MIN_NORMAL : 0);
                double got = c.get(i, j);
                if (!(Math.abs(got - expected) <= bound)) {
                    throw new CheckFailure(what + " at (" + i + ", " + j + ") of (" + m + ", " + k + ") x (" + k + ", " + n
                            + "): " + fmt(got) + ", exact " + fmt(expected) + ", difference "
                            + fmt(Math.abs(got - expected)) + " > bound " + fmt(bound));
                }
            }
        }
        return m * n;
    }

    private static DMatrixRMaj random(int rows, int cols, Random r) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = r.nextGaussian();
        }
        return m;
    }

    private static FMatrixRMaj randomFloat(int rows, int cols, Random r) {
        FMatrixRMaj m = new FMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.data[i] = (float) r.nextGaussian();
        }
        return m;
    }
}
