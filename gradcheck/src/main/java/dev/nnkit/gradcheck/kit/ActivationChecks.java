package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.at;
import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import dev.nnkit.gradcheck.kit.Numerics.Difference;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.FloatActivation;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StandardFunction;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/** The checks of an {@link Activation}; see {@link Conformance#activation(String)}. */
final class ActivationChecks {

    /** The points of the derivative check of an element-wise activation: large |z| and around 0. */
    static final double[] GRID = {-700, -30, -10, -5, -2.5, -1.3, -1, -0.7, -0.5, -0.25, -0.1, -1e-2, -1e-3, -1e-5, 0,
        1e-5, 1e-3, 1e-2, 0.1, 0.25, 0.5, 0.7, 1, 1.3, 2.5, 5, 10, 30, 700};

    /**
     * The input of the Jacobian-vector check of a column-wise activation, {@code (4, 6)}: one column
     * of zeros, small values, moderate values, {@code +-30} and {@code +-700}, and a mixed one.
     */
    static final DMatrixRMaj COLUMNS = Numerics.matrix(4, 6,
            0, 0.1, -1.3, 30, 700, -2,
            0, -0.05, 0.5, -30, -700, 1.7,
            0, 0.02, 2.5, 0, 1, -0.3,
            0, -0.1, -0.7, 5, 0, 3.1);

    /** Finite inputs at the edge of the double range, {@code (4, 4)}. */
    static final DMatrixRMaj EXTREMES = Numerics.matrix(4, 4,
            1e300, -1e300, Double.MAX_VALUE, -Double.MAX_VALUE,
            745, -745, 1e5, -1e5,
            710, -710, Double.MIN_VALUE, -0.0,
            1e300, -Double.MAX_VALUE, Double.MAX_VALUE, 0);

    private final Maker<Activation> maker;

    ActivationChecks(Maker<Activation> maker) {
        this.maker = maker;
    }

    /**
     * The tolerance of the standard-function check: {@code |a - f| <= 1e-12 |f| + 2^-50}, some ulps
     * of the value or of 1 (the values are probabilities); two correct implementations (the
     * logistic as {@code 1 / (1 + e^-z)} or {@code (1 + tanh(z/2)) / 2}, softmax with or without the
     * log-sum-exp) differ by less, a different function by far more.
     */
    static final double STANDARD_RELATIVE = 1e-12;
    static final double STANDARD_ABSOLUTE = 0x1p-50;

    List<Check> all() {
        String label = maker.label();
        List<Check> checks = new ArrayList<>(List.of(
                PluginChecks.registered(maker),
                PluginChecks.roundTrip(maker, BEHAVIOUR),
                new Check(label, "derivative", this::derivative),
                new Check(label, "examples independent", this::independence),
                new Check(label, "extreme inputs", this::extremes),
                new Check(label, "shapes", this::shapes),
                new Check(label, "output buffers", this::buffers),
                new Check(label, "in place", this::inPlace)));
        Activation sample = maker.tryMake();
        if (sample instanceof StandardActivation) {
            checks.add(new Check(label, "standard function", this::standardFunction));
        }
        if (sample instanceof FloatActivation) {
            checks.add(new Check(label, "float kernel", this::floatKernel));
        }
        return checks;
    }

    /** The rows and columns of the float kernel check's input. */
    static final int FLOAT_ROWS = 10;
    static final int FLOAT_COLS = 64;

    /**
     * For a {@link FloatActivation}: on a {@code (10, 64)} input of float values at scales
     * {@code 1e-3}, 1, 6 and 90 (seeded), and on {@link #COLUMNS}, the float forward and backward
     * agree with the double ones on the same input within {@link FloatActivation}'s bound:
     * {@code |a32 - a64| <= (n + 4) u |a64| + 2^-126} and
     * {@code |dZ32 - dZ64| <= 4 u |dZ64| + (n + 2) u |a| (sum_i |a_i dA_i| + |dA|) + 2^-126}, with
     * {@code u = 2^-24} and {@code n} the rows (the column sums of a column-wise activation), and
     * are finite.
     */
    private String floatKernel() {
        Activation g = maker.make();
        FloatActivation f = (FloatActivation) g;
        java.util.Random r = new java.util.Random(29);
        FMatrixRMaj z = new FMatrixRMaj(FLOAT_ROWS, FLOAT_COLS);
        double[] scales = {1e-3, 1, 6, 90};
        for (int k = 0; k < z.data.length; k++) {
            z.data[k] = (float) (scales[k % 4] * r.nextGaussian());
        }
        FMatrixRMaj columns = new FMatrixRMaj(COLUMNS.numRows, COLUMNS.numCols);
        for (int k = 0; k < columns.data.length; k++) {
            columns.data[k] = (float) COLUMNS.data[k];
        }
        int compared = 0;
        for (FMatrixRMaj input : List.of(z, columns)) {
            compared += compareFloat(g, f, input, r);
        }
        return "float forward and backward within (n + 4) u of the double kernel on the same input, u = 2^-24, at "
                + compared + " entries";
    }

    private static int compareFloat(Activation g, FloatActivation f, FMatrixRMaj z, java.util.Random r) {
        double u = 0x1p-24;
        int n = z.numRows;
        int m = z.numCols;
        FMatrixRMaj a = new FMatrixRMaj(n, m);
        f.forward(z, a);
        DMatrixRMaj z64 = widen(z);
        DMatrixRMaj a64 = new DMatrixRMaj(n, m);
        g.forward(z64, a64);
        FMatrixRMaj dA = new FMatrixRMaj(n, m);
        for (int k = 0; k < dA.data.length; k++) {
            dA.data[k] = (float) r.nextGaussian();
        }
        FMatrixRMaj dZ = new FMatrixRMaj(n, m);
        f.backward(z, a, dA, dZ);
        DMatrixRMaj dZ64 = new DMatrixRMaj(n, m);
        g.backward(z64, widen(a), widen(dA), dZ64);
        for (int k = 0; k < a.data.length; k++) {
            double bound = (n + 4) * u * Math.abs(a64.data[k]) + Float.MIN_NORMAL;
            if (!(Math.abs(a.data[k] - a64.data[k]) <= bound)) {
                throw new CheckFailure("float kernel: forward at z=" + z.data[k] + " (Z" + at(z64, k) + ") gives "
                        + a.data[k] + ", the double kernel " + a64.data[k] + ", difference "
                        + fmt(Math.abs(a.data[k] - a64.data[k])) + " > " + fmt(bound));
            }
        }
        for (int k = 0; k < dZ.data.length; k++) {
            int j = k % m;
            double magnitudes = 0;
            for (int i = j; i < n * m; i += m) {
                magnitudes += Math.abs((double) a.data[i] * dA.data[i]);
            }
            double bound = 4 * u * Math.abs(dZ64.data[k]) + (n + 2) * u * Math.abs(a.data[k])
                    * (magnitudes + Math.abs(dA.data[k])) + Float.MIN_NORMAL;
            if (!(Math.abs(dZ.data[k] - dZ64.data[k]) <= bound)) {
                throw new CheckFailure("float kernel: backward at z=" + z.data[k] + ", dA=" + dA.data[k] + " (Z"
                        + at(z64, k) + ") gives " + dZ.data[k] + ", the double kernel " + dZ64.data[k] + ", difference "
                        + fmt(Math.abs(dZ.data[k] - dZ64.data[k])) + " > " + fmt(bound));
            }
        }
        return 2 * n * m;
    }

    private static DMatrixRMaj widen(FMatrixRMaj f) {
        DMatrixRMaj d = new DMatrixRMaj(f.numRows, f.numCols);
        for (int k = 0; k < f.data.length; k++) {
            d.data[k] = f.data[k];
        }
        return d;
    }

    /**
     * For a {@link StandardActivation}: {@code forward} equals the declared
     * {@link StandardFunction}, computed independently by the kit ({@link StandardFunctions}), on
     * the derivative grid ({@code +-700} to 0, element-wise) and on the column-wise input
     * {@link #COLUMNS}, within {@link #STANDARD_RELATIVE} of the value plus
     * {@link #STANDARD_ABSOLUTE}. A loss takes its fused path ({@code dZ = A - Y}) on this promise.
     */
    private String standardFunction() {
        StandardActivation g = (StandardActivation) maker.make();
        StandardFunction f = g.function();
        if (f == null) {
            throw new CheckFailure("standard function: function() returns null; a StandardActivation declares the function "
                    + "it computes");
        }
        DMatrixRMaj grid = Numerics.matrix(1, GRID.length, GRID.clone());
        DMatrixRMaj columns = COLUMNS.copy();
        DMatrixRMaj random = Numerics.gaussian(5, 7, 3.0, 22);
        int compared = 0;
        for (DMatrixRMaj z : new DMatrixRMaj[] {grid, columns, random}) {
            if (f == StandardFunction.SOFTMAX && z.numRows == 1) {
                continue; // softmax of a single row is 1 everywhere: say nothing about the formula
            }
            DMatrixRMaj a = forward(g, z);
            DMatrixRMaj expected = StandardFunctions.apply(f, z);
            for (int k = 0; k < a.getNumElements(); k++) {
                double got = a.data[k];
                double want = expected.data[k];
                if (!(Math.abs(got - want) <= STANDARD_RELATIVE * Math.abs(want) + STANDARD_ABSOLUTE)) {
                    String[] shown = Comparison.distinct(got, want);
                    throw new CheckFailure("standard function: the activation declares " + f + " (" + StandardFunctions.formula(f)
                            + ") but forward gives A" + at(z, k) + " = " + shown[0] + " at z = " + fmt(z.data[k])
                            + " where the kit computes " + shown[1] + "; a loss fused with " + f
                            + " would compute dZ = A - Y for the wrong function. Declare only the function forward computes");
                }
                compared++;
            }
        }
        return "forward equals the declared " + f + " (" + StandardFunctions.formula(f) + ", computed by the kit) at "
                + compared + " points, z from -700 to 700";
    }

    private static final PluginChecks.Behaviour<Activation> BEHAVIOUR = new PluginChecks.Behaviour<>() {
        @Override
        public String sample() {
            return "forward and backward on a 3 x 5 sample";
        }

        @Override
        public String difference(Activation a, Activation b) {
            DMatrixRMaj z = Numerics.gaussian(3, 5, 3.0, 7);
            DMatrixRMaj dA = Numerics.signedUniform(3, 5, 0.5, 1.5, 8);
            DMatrixRMaj[] first = run(a, z, dA);
            DMatrixRMaj[] second = run(b, z, dA);
            int k = Numerics.firstDifference(first[0], second[0]);
            if (k >= 0) {
                return "forward at z=" + fmt(z.data[k]) + " gives " + first[0].data[k] + " and " + second[0].data[k];
            }
            k = Numerics.firstDifference(first[1], second[1]);
            if (k >= 0) {
                return "backward at z=" + fmt(z.data[k]) + " gives " + first[1].data[k] + " and " + second[1].data[k];
            }
            return null;
        }
    };

    /** {@code {A, dZ}} of one forward and backward pass into fresh buffers. */
    private static DMatrixRMaj[] run(Activation g, DMatrixRMaj z, DMatrixRMaj dA) {
        DMatrixRMaj a = new DMatrixRMaj(z.numRows, z.numCols);
        g.forward(z, a);
        DMatrixRMaj dZ = new DMatrixRMaj(z.numRows, z.numCols);
        g.backward(z, a, dA, dZ);
        return new DMatrixRMaj[] {a, dZ};
    }

    private static DMatrixRMaj forward(Activation g, DMatrixRMaj z) {
        DMatrixRMaj a = new DMatrixRMaj(z.numRows, z.numCols);
        g.forward(z, a);
        return a;
    }

    // ---------------------------------------------------------------------------------- coupling

    /** How the entries of {@code A} depend on those of {@code Z}. */
    private record Coupling(boolean columnWise, int changed, int changedBy) {
        boolean crossesColumns() {
            return changed >= 0;
        }
    }

    /**
     * Perturbs each entry of a {@code (3, 4)} input in turn and records which entries of the output
     * change: only the perturbed one (element-wise), others of its column (column-wise), or entries of
     * another column (a violation: each column is one example).
     */
    private static Coupling coupling(Activation g) {
        DMatrixRMaj z = Numerics.gaussian(3, 4, 1.0, 11);
        DMatrixRMaj a = forward(g, z);
        boolean columnWise = false;
        for (int k = 0; k < z.getNumElements(); k++) {
            DMatrixRMaj moved = z.copy();
            moved.data[k] += 0.5;
            DMatrixRMaj b = forward(g, moved);
            for (int q = 0; q < b.getNumElements(); q++) {
                if (q != k && Double.doubleToLongBits(a.data[q]) != Double.doubleToLongBits(b.data[q])) {
                    if (q % z.numCols != k % z.numCols) {
                        return new Coupling(true, q, k);
                    }
                    columnWise = true;
                }
            }
        }
        return new Coupling(columnWise, -1, -1);
    }

    private String independence() {
        Activation g = maker.make();
        Coupling c = coupling(g);
        if (c.crossesColumns()) {
            DMatrixRMaj shape = new DMatrixRMaj(3, 4);
            throw new CheckFailure("examples independent: changing Z" + at(shape, c.changedBy()) + " changes A"
                    + at(shape, c.changed()) + ", which is in another column; each column is one example and must be "
                    + "computed from its own column of Z only");
        }
        return c.columnWise()
                ? "column-wise: changing an entry of Z changes only its own column of A"
                : "element-wise: changing an entry of Z changes only the same entry of A";
    }

    // -------------------------------------------------------------------------------- derivative

    private String derivative() {
        Activation g = maker.make();
        Coupling coupling = coupling(g);
        return coupling.columnWise() ? jacobianVectorProduct(g, coupling.crossesColumns()) : elementWise(g);
    }

    /**
     * {@code g'(z)} from backward, read as {@code dZ / dA} with random nonzero {@code dA} (so a
     * backward pass that ignores {@code dA} is caught), against the central difference of
     * {@code g} at every point of {@link #GRID}.
     */
    private String elementWise(Activation g) {
        int n = GRID.length;
        DMatrixRMaj z = Numerics.matrix(1, n, GRID.clone());
        // The five points of each stencil, evaluated in five forward passes over the whole grid.
        DMatrixRMaj[] points = new DMatrixRMaj[5];
        DMatrixRMaj[] values = new DMatrixRMaj[5];
        for (int i = 0; i < 5; i++) {
            points[i] = z.copy();
        }
        for (int k = 0; k < n; k++) {
            double[] xs = Numerics.stencil(z.data[k]);
            for (int i = 0; i < 5; i++) {
                points[i].data[k] = xs[i];
            }
        }
        for (int i = 0; i < 5; i++) {
            values[i] = forward(g, points[i]);
        }
        DMatrixRMaj a = forward(g, z);
        DMatrixRMaj dA = Numerics.signedUniform(1, n, 0.5, 1.5, 12);
        DMatrixRMaj dZ = new DMatrixRMaj(1, n);
        g.backward(z, a, dA, dZ);

        Comparison comparison = new Comparison("backward", "central difference", "points");
        for (int k = 0; k < n; k++) {
            double backward = dZ.data[k] / dA.data[k];
            double[] xs = new double[5];
            double[] fs = new double[5];
            for (int i = 0; i < 5; i++) {
                xs[i] = points[i].data[k];
                fs[i] = values[i].data[k];
            }
            comparison.add("z=" + fmt(z.data[k]), backward,
                    Numerics.difference(xs, fs, Math.abs(fs[1]) + Math.abs(fs[2]) + Math.abs(fs[3])));
        }
        if (comparison.failed()) {
            throw new CheckFailure(comparison.failure("derivative at ", ""));
        }
        return "backward matches central differences from z=" + fmt(GRID[0]) + " to " + fmt(GRID[n - 1]) + " "
                + comparison.success();
    }

    /**
     * For column-wise activations: {@code backward(Z, A, C)} is the gradient of
     * {@code f(Z) = sum(C * g(Z))}, compared entry by entry with central differences of {@code f}
     * over the entry's column (over all of {@code Z} for an activation that mixes columns, which
     * "examples independent" reports), on {@link #COLUMNS} with random nonzero {@code C}.
     */
    private String jacobianVectorProduct(Activation g, boolean wholeMatrix) {
        DMatrixRMaj z = COLUMNS.copy();
        int rows = z.numRows;
        int cols = z.numCols;
        DMatrixRMaj c = Numerics.signedUniform(rows, cols, 0.5, 1.5, 13);
        DMatrixRMaj a = forward(g, z);
        DMatrixRMaj dZ = new DMatrixRMaj(rows, cols);
        g.backward(z, a, c, dZ);

        Comparison comparison = new Comparison("backward", "central difference of sum(C * g(Z))", "entries");
        for (int k = 0; k < z.getNumElements(); k++) {
            int j = k % cols;
            int entry = k;
            double x = z.data[k];
            Difference d = Numerics.difference(x, value -> {
                DMatrixRMaj moved = z.copy();
                moved.data[entry] = value;
                DMatrixRMaj out = forward(g, moved);
                double sum = 0;
                double size = 0;
                for (int q = wholeMatrix ? 0 : j; q < out.getNumElements(); q += wholeMatrix ? 1 : cols) {
                    sum += c.data[q] * out.data[q];
                    size += Math.abs(c.data[q] * out.data[q]);
                }
                return new Numerics.Term(sum, size);
            });
            comparison.add("Z" + at(z, k) + " = " + fmt(x), dZ.data[k], d);
        }
        if (comparison.failed()) {
            throw new CheckFailure(comparison.failure("Jacobian-vector product (column-wise activation) at ", ""));
        }
        return "column-wise: backward(Z, A, C) matches central differences of sum(C * g(Z)) on a " + rows + " x " + cols
                + " Z with columns up to |z| = 700, " + comparison.success();
    }

    // ------------------------------------------------------------------------------ robustness

    private String extremes() {
        Activation g = maker.make();
        DMatrixRMaj z = EXTREMES.copy();
        DMatrixRMaj a = new DMatrixRMaj(z.numRows, z.numCols);
        g.forward(z, a);
        int k = Numerics.firstNonFinite(a);
        if (k >= 0) {
            throw new CheckFailure("extreme inputs: forward gives " + a.data[k] + " at z=" + z.data[k] + " (Z" + at(z, k)
                    + "); finite input must give finite output");
        }
        DMatrixRMaj dA = Numerics.signedUniform(z.numRows, z.numCols, 0.5, 1.0, 14);
        DMatrixRMaj dZ = new DMatrixRMaj(z.numRows, z.numCols);
        g.backward(z, a, dA, dZ);
        k = Numerics.firstNonFinite(dZ);
        if (k >= 0) {
            throw new CheckFailure("extreme inputs: backward gives " + dZ.data[k] + " at z=" + z.data[k] + " (Z" + at(z, k)
                    + ") with dA=" + fmt(dA.data[k]) + "; finite input must give a finite gradient");
        }
        return "forward and backward are finite for z = +-1e300, +-Double.MAX_VALUE, +-745, +-710, +-1e5, "
                + "Double.MIN_VALUE and -0.0";
    }

    private String shapes() {
        Activation g = maker.make();
        int[][] sizes = {{3, 5}, {1, 1}, {1, 6}, {6, 1}};
        for (int[] size : sizes) {
            DMatrixRMaj z = Numerics.gaussian(size[0], size[1], 2.0, 15);
            DMatrixRMaj zCopy = z.copy();
            DMatrixRMaj a = new DMatrixRMaj(size[0], size[1]);
            g.forward(z, a);
            String shape = Numerics.shape(z);
            requireShape("forward", "A", a, shape, size);
            requireUnchanged("forward", "Z", zCopy, z, shape);
            requireFinite("forward", "A", a, shape);
            DMatrixRMaj aCopy = a.copy();
            DMatrixRMaj dA = Numerics.signedUniform(size[0], size[1], 0.5, 1.5, 16);
            DMatrixRMaj dACopy = dA.copy();
            DMatrixRMaj dZ = new DMatrixRMaj(size[0], size[1]);
            g.backward(z, a, dA, dZ);
            requireShape("backward", "dZ", dZ, shape, size);
            requireUnchanged("backward", "Z", zCopy, z, shape);
            requireUnchanged("backward", "A", aCopy, a, shape);
            requireUnchanged("backward", "dA", dACopy, dA, shape);
            requireFinite("backward", "dZ", dZ, shape);
        }
        return "forward and backward keep the shapes (3 x 5), (1 x 1), (1 x 6), (6 x 1) and leave Z, A and dA unchanged";
    }

    private static void requireShape(String pass, String name, DMatrixRMaj m, String shape, int[] size) {
        if (m.numRows != size[0] || m.numCols != size[1]) {
            throw new CheckFailure("shapes: " + pass + " on a " + shape + " Z reshaped " + name + " to " + Numerics.shape(m)
                    + "; outputs keep the shape the caller allocated");
        }
    }

    private static void requireUnchanged(String pass, String name, DMatrixRMaj before, DMatrixRMaj after, String shape) {
        int k = Numerics.firstDifference(before, after);
        if (k >= 0) {
            throw new CheckFailure("shapes: " + pass + " on a " + shape + " Z modified its input " + name + " at " + at(before, k)
                    + " from " + before.data[k] + " to " + after.data[k] + "; inputs are not modified");
        }
    }

    private static void requireFinite(String pass, String name, DMatrixRMaj m, String shape) {
        int k = Numerics.firstNonFinite(m);
        if (k >= 0) {
            throw new CheckFailure("shapes: " + pass + " on a " + shape + " Z gives " + name + at(m, k) + " = " + m.data[k]);
        }
    }

    private String buffers() {
        Activation g = maker.make();
        DMatrixRMaj z = Numerics.gaussian(3, 5, 3.0, 17);
        DMatrixRMaj dA = Numerics.signedUniform(3, 5, 0.5, 1.5, 18);
        DMatrixRMaj a = forward(g, z);
        DMatrixRMaj dZ = new DMatrixRMaj(3, 5);
        g.backward(z, a, dA, dZ);
        DMatrixRMaj[] olds = {Numerics.filled(3, 5, Double.NaN), Numerics.garbage(3, 5, 19)};
        String[] names = {"NaN", "garbage (NaN, +-Infinity, +-1e308, random)"};
        for (int i = 0; i < olds.length; i++) {
            DMatrixRMaj a2 = olds[i].copy();
            g.forward(z, a2);
            int k = Numerics.firstDifference(a, a2);
            if (k >= 0) {
                throw new CheckFailure("output buffers: forward into an A filled with " + names[i] + " gives A" + at(a, k) + " = "
                        + a2.data[k] + " instead of " + a.data[k] + "; the old content of A must not matter");
            }
            DMatrixRMaj dZ2 = olds[i].copy();
            g.backward(z, a, dA, dZ2);
            k = Numerics.firstDifference(dZ, dZ2);
            if (k >= 0) {
                throw new CheckFailure("output buffers: backward into a dZ filled with " + names[i] + " gives dZ" + at(dZ, k)
                        + " = " + dZ2.data[k] + " instead of " + dZ.data[k] + "; the old content of dZ must not matter");
            }
        }
        return "forward and backward give the same bits into zeroed, NaN-filled and garbage-filled outputs";
    }

    private String inPlace() {
        Activation g = maker.make();
        DMatrixRMaj z = Numerics.gaussian(3, 5, 3.0, 20);
        DMatrixRMaj dA = Numerics.signedUniform(3, 5, 0.5, 1.5, 21);
        DMatrixRMaj a = forward(g, z);
        DMatrixRMaj dZ = new DMatrixRMaj(3, 5);
        g.backward(z, a, dA, dZ);

        DMatrixRMaj same = z.copy();
        g.forward(same, same);
        int k = Numerics.firstDifference(a, same);
        if (k >= 0) {
            throw new CheckFailure("in place: forward(Z, Z) gives A" + at(a, k) + " = " + same.data[k] + " but forward(Z, A) gives "
                    + a.data[k] + "; the SPI allows a == z in forward");
        }
        DMatrixRMaj grad = dA.copy();
        g.backward(z, a, grad, grad);
        k = Numerics.firstDifference(dZ, grad);
        if (k >= 0) {
            throw new CheckFailure("in place: backward(Z, A, dA, dA) gives dZ" + at(dZ, k) + " = " + grad.data[k]
                    + " but backward(Z, A, dA, dZ) gives " + dZ.data[k] + "; the SPI allows dZ == dA in backward");
        }
        return "forward(Z, Z) and backward(Z, A, dA, dA) give the same bits as with separate outputs";
    }
}
