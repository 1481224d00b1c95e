package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.at;
import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import dev.nnkit.gradcheck.kit.Numerics.Difference;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.FloatFusedLoss;
import dev.nnkit.spi.FloatLoss;
import dev.nnkit.spi.FusedLoss;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StandardFunction;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/** The checks of a {@link Loss} with its output activation; see {@link Conformance#loss(String, String)}. */
final class LossChecks {

    /** Output units and examples of the samples: {@code Z}, {@code A} and {@code Y} are {@code (3, 4)}. */
    static final int UNITS = 3;
    static final int EXAMPLES = 4;
    /** The values of {@code t} at which the cost must fall along {@code Z + t (Y - A)}. */
    static final double[] TOWARD = {0, 0.5, 1, 2, 4, 8};
    /**
     * The relative tolerance of the fused checks: the fused form and the general one compute the
     * same number along different roundings (log-sum-exp against the log of a quotient, {@code a - y}
     * against {@code (a - y) / (a (1 - a))} times {@code a (1 - a)}), which differ by some ulps of
     * the terms at logits of moderate size; a wrong formula is off by far more.
     */
    static final double FUSED_TOLERANCE = 1e-9;

    private final Maker<Loss> maker;
    private final String outputSpec;

    LossChecks(Maker<Loss> maker, String outputSpec) {
        this.maker = maker;
        this.outputSpec = outputSpec;
    }

    List<Check> all() {
        String label = maker.label();
        List<Check> checks = new ArrayList<>(List.of(
                PluginChecks.registered(maker),
                PluginChecks.roundTrip(maker, behaviour()),
                new Check(label, "labels", this::labelsCheck),
                new Check(label, "gradient", this::gradient)));
        if (maker.tryMake() instanceof FusedLoss) {
            checks.add(new Check(label, "fused cost", this::fusedCost));
            checks.add(new Check(label, "fused gradient", this::fusedGradient));
        }
        Loss sample = maker.tryMake();
        if (sample instanceof FloatLoss || sample instanceof FloatFusedLoss) {
            checks.add(new Check(label, "float paths", this::floatPaths));
        }
        checks.add(new Check(label, "minimum at the target", this::minimum));
        checks.add(new Check(label, "saturated outputs", this::saturated));
        return checks;
    }

    // ------------------------------------------------------------------------------------ setup

    /**
     * The loss and its output activation, made fresh, and the path the network takes with them:
     * fused when the loss is a {@link FusedLoss} and the activation declares its function, else
     * general ({@code dA} from the loss, then the activation's backward).
     */
    private record Setup(Loss loss, Activation output) {
        DMatrixRMaj forward(DMatrixRMaj z) {
            DMatrixRMaj a = new DMatrixRMaj(z.numRows, z.numCols);
            output.forward(z, a);
            return a;
        }

        /** The fused loss when the network would take the fused path, else null. */
        FusedLoss fused() {
            if (loss instanceof FusedLoss f && output instanceof StandardActivation s && s.function() == f.fusedWith()) {
                return f;
            }
            return null;
        }

        String path() {
            return fused() == null ? "general path" : "fused path";
        }

        /** {@code J(Z)} as the network computes it. */
        double cost(DMatrixRMaj z, DMatrixRMaj y) {
            FusedLoss f = fused();
            return f != null ? f.fusedCost(z, y) : loss.cost(forward(z), y);
        }

        /** {@code dZ = m dJ/dZ} as the network computes it, into a NaN-filled matrix. */
        DMatrixRMaj gradient(DMatrixRMaj z, DMatrixRMaj y) {
            DMatrixRMaj a = forward(z);
            DMatrixRMaj dZ = Numerics.filled(z.numRows, z.numCols, Double.NaN);
            FusedLoss f = fused();
            if (f != null) {
                f.fusedGradient(z, a, y, dZ);
                return dZ;
            }
            DMatrixRMaj dA = Numerics.filled(z.numRows, z.numCols, Double.NaN);
            loss.gradient(a, y, dA);
            output.backward(z, a, dA, dZ);
            return dZ;
        }
    }

    private Setup setup() {
        Loss loss = maker.make();
        Activation output;
        try {
            output = maker.registry.create(Activation.class, outputSpec);
        } catch (PluginException e) {
            throw new CheckFailure("the registry cannot make the output activation '" + outputSpec + "': " + e.getMessage());
        }
        return new Setup(loss, output);
    }

    /** The kinds of labels tried, in order. */
    private enum Form {
        SOFT("soft labels Y = g(Z*)"),
        BINARY("0/1 labels"),
        ONE_HOT("one-hot columns");

        final String description;

        Form(String description) {
            this.description = description;
        }
    }

    /**
     * The labels the loss accepts.
     *
     * @param form    the first accepted kind
     * @param y       the labels
     * @param target  for soft labels, the {@code Z*} with {@code g(Z*) = Y}
     * @param refused the kinds refused before, with the loss's messages
     */
    private record Labels(Form form, DMatrixRMaj y, DMatrixRMaj target, List<String> refused) {
    }

    /**
     * Tries, in order, soft labels {@code Y = g(Z*)} (reachable targets in the range of the output
     * activation), 0/1 labels ({@code g(Z*) > 0.5}) and one-hot columns (the arg-max of each column)
     * with {@code checkLabels}, and keeps the first the loss accepts. A refusal must be an
     * {@link IllegalArgumentException}, as the SPI says.
     */
    private static Labels labels(Setup s) {
        DMatrixRMaj target = Numerics.gaussian(UNITS, EXAMPLES, 1.5, 51);
        DMatrixRMaj soft = s.forward(target);
        DMatrixRMaj binary = new DMatrixRMaj(UNITS, EXAMPLES);
        DMatrixRMaj oneHot = new DMatrixRMaj(UNITS, EXAMPLES);
        for (int k = 0; k < soft.getNumElements(); k++) {
            binary.data[k] = soft.data[k] > 0.5 ? 1.0 : 0.0;
        }
        boolean allOneHot = true;
        for (int j = 0; j < EXAMPLES; j++) {
            int best = 0;
            int ones = 0;
            for (int i = 0; i < UNITS; i++) {
                if (soft.get(i, j) > soft.get(best, j)) {
                    best = i;
                }
                ones += (int) binary.get(i, j);
            }
            oneHot.set(best, j, 1.0);
            allOneHot &= ones == 1;
        }
        if (allOneHot) {
            // Make the 0/1 candidate differ from one-hot columns, so that the two are told apart.
            binary.data[0] = 1.0 - binary.data[0];
        }
        DMatrixRMaj[] candidates = {soft, binary, oneHot};
        List<String> refused = new ArrayList<>();
        for (Form form : Form.values()) {
            DMatrixRMaj y = candidates[form.ordinal()];
            DMatrixRMaj copy = y.copy();
            try {
                s.loss().checkLabels(copy);
            } catch (IllegalArgumentException e) {
                refused.add(form.description + " (" + e.getMessage() + ")");
                continue;
            }
            int k = Numerics.firstDifference(y, copy);
            if (k >= 0) {
                throw new CheckFailure("labels: checkLabels modified Y" + at(y, k) + "; Y is not modified");
            }
            return new Labels(form, y, form == Form.SOFT ? target : null, refused);
        }
        throw new CheckFailure("labels: " + s.loss() + " refuses every kind of labels the kit tries: "
                + String.join("; ", refused));
    }

    private String labelsCheck() {
        Setup s = setup();
        Labels labels = labels(s);
        return "checkLabels accepts " + labels.form().description
                + (labels.refused().isEmpty() ? "" : " and refuses " + String.join(", ", labels.refused()));
    }

    private PluginChecks.Behaviour<Loss> behaviour() {
        return new PluginChecks.Behaviour<>() {
            @Override
            public String sample() {
                return "cost and gradient (and the fused forms) on a 3 x 4 sample";
            }

            @Override
            public String difference(Loss first, Loss second) {
                Setup s = setup();
                DMatrixRMaj y = labels(s).y();
                DMatrixRMaj z = Numerics.gaussian(UNITS, EXAMPLES, 2.0, 52);
                DMatrixRMaj a = s.forward(z);
                double c1 = first.cost(a, y);
                double c2 = second.cost(a, y);
                if (Double.compare(c1, c2) != 0) {
                    return "cost is " + c1 + " and " + c2;
                }
                DMatrixRMaj g1 = new DMatrixRMaj(UNITS, EXAMPLES);
                DMatrixRMaj g2 = new DMatrixRMaj(UNITS, EXAMPLES);
                first.gradient(a, y, g1);
                second.gradient(a, y, g2);
                int k = Numerics.firstDifference(g1, g2);
                if (k >= 0) {
                    return "the gradient dA" + at(a, k) + " is " + g1.data[k] + " and " + g2.data[k];
                }
                if (first instanceof FusedLoss f1 && second instanceof FusedLoss f2) {
                    if (f1.fusedWith() != f2.fusedWith()) {
                        return "fusedWith() is " + f1.fusedWith() + " and " + f2.fusedWith();
                    }
                    c1 = f1.fusedCost(z, y);
                    c2 = f2.fusedCost(z, y);
                    if (Double.compare(c1, c2) != 0) {
                        return "fusedCost is " + c1 + " and " + c2;
                    }
                    f1.fusedGradient(z, a, y, g1);
                    f2.fusedGradient(z, a, y, g2);
                    k = Numerics.firstDifference(g1, g2);
                    if (k >= 0) {
                        return "the fused gradient dZ" + at(z, k) + " is " + g1.data[k] + " and " + g2.data[k];
                    }
                } else if (first instanceof FusedLoss || second instanceof FusedLoss) {
                    return "one is a FusedLoss and the other is not";
                }
                return null;
            }
        };
    }

    // --------------------------------------------------------------------------------- gradient

    /**
     * The general path: {@code gradient(A, Y, dA)}, written into a NaN-filled {@code dA}, against
     * {@code m} times the central difference of {@code cost(A, Y)} in each entry of {@code A}, at
     * {@code A = g(Z)} for a random {@code Z} (so {@code A} is in the range of the output
     * activation): the SPI's {@code dA = m dJ/dA}.
     */
    private String gradient() {
        Setup s = setup();
        Labels labels = labels(s);
        DMatrixRMaj y = labels.y();
        DMatrixRMaj z = Numerics.gaussian(UNITS, EXAMPLES, 2.0, 52);
        DMatrixRMaj a = s.forward(z);
        DMatrixRMaj dA = Numerics.filled(UNITS, EXAMPLES, Double.NaN);
        s.loss().gradient(a, y, dA);
        double m = EXAMPLES;
        Comparison comparison = new Comparison("gradient() gives dA =", "m times the central difference of cost is", "entries");
        for (int k = 0; k < a.getNumElements(); k++) {
            int entry = k;
            Difference d = Numerics.difference(a.data[k], value -> {
                DMatrixRMaj moved = a.copy();
                moved.data[entry] = value;
                double j = m * s.loss().cost(moved, y);
                return new Numerics.Term(j, Math.abs(j));
            });
            comparison.add("A" + at(a, k) + " = " + fmt(a.data[k]), dA.data[k], d);
        }
        String context = "A = " + s.output() + "(Z), " + labels.form().description;
        if (comparison.failed()) {
            throw new CheckFailure(comparison.failure("gradient at ", context));
        }
        return "dA matches m times central differences of cost(A, Y) (" + context + ") " + comparison.success();
    }

    // ------------------------------------------------------------------------------------ fused

    /** The loss as a {@link FusedLoss} with a declared function. */
    private static StandardFunction declared(FusedLoss loss, String check) {
        StandardFunction f = loss.fusedWith();
        if (f == null) {
            throw new CheckFailure(check + ": fusedWith() returns null; a FusedLoss declares the StandardFunction it fuses with");
        }
        return f;
    }

    /** The relative and absolute tolerance of a float path's cost against the double path's on the same input. */
    static final double FLOAT_COST_RELATIVE = 1e-5;
    static final double FLOAT_COST_ABSOLUTE = 1e-7;

    /**
     * For a {@link FloatLoss} or {@link FloatFusedLoss}: on the fused checks' logits and the labels
     * the loss accepts, both rounded to float, and {@code A = g(Z)} rounded to float, each float
     * path agrees with the double path on the same (widened) input: the cost within
     * {@value #FLOAT_COST_RELATIVE} relative plus {@value #FLOAT_COST_ABSOLUTE}, each gradient
     * entry within {@code 8 u} relative ({@code u = 2^-24}) plus {@code 2^-126}, except where
     * {@code A} is in {@code [0, 1]} within {@code 2^-24} of 0 or 1 (a float clamp of a probability
     * there legitimately differs from a double one).
     */
    private String floatPaths() {
        Setup s = setup();
        Labels labels = labels(s);
        FMatrixRMaj y = narrow(labels.y());
        FMatrixRMaj z = narrow(fusedLogits());
        FMatrixRMaj a = narrow(s.forward(widen(z)));
        List<String> covered = new ArrayList<>();
        if (s.loss() instanceof FloatLoss f) {
            compareCost("general", f.cost(a, y), s.loss().cost(widen(a), widen(y)));
            FMatrixRMaj dA = new FMatrixRMaj(a.numRows, a.numCols);
            dA.fill(Float.NaN);
            f.gradient(a, y, dA);
            DMatrixRMaj dA64 = Numerics.filled(a.numRows, a.numCols, Double.NaN);
            s.loss().gradient(widen(a), widen(y), dA64);
            compareGradient("general gradient dA", a, dA, dA64);
            covered.add("general cost and gradient");
        }
        if (s.loss() instanceof FusedLoss fused && s.loss() instanceof FloatFusedLoss f) {
            compareCost("fused", f.fusedCost(z, y), fused.fusedCost(widen(z), widen(y)));
            FMatrixRMaj dZ = new FMatrixRMaj(z.numRows, z.numCols);
            dZ.fill(Float.NaN);
            f.fusedGradient(z, a, y, dZ);
            DMatrixRMaj dZ64 = Numerics.filled(z.numRows, z.numCols, Double.NaN);
            fused.fusedGradient(widen(z), widen(a), widen(y), dZ64);
            compareGradient("fused gradient dZ", a, dZ, dZ64);
            covered.add("fused cost and gradient");
        }
        if (covered.isEmpty()) {
            throw new CheckFailure("float paths: the loss implements FloatFusedLoss but not FusedLoss, so no network takes its"
                    + " fused path; implement FusedLoss too, or drop FloatFusedLoss");
        }
        return String.join(" and ", covered) + " in float agree with double on the same input (" + labels.form().description
                + ")";
    }

    private static void compareCost(String path, double cost32, double cost64) {
        double bound = FLOAT_COST_RELATIVE * Math.abs(cost64) + FLOAT_COST_ABSOLUTE;
        if (!(Math.abs(cost32 - cost64) <= bound)) {
            throw new CheckFailure("float paths: the float " + path + " cost is " + fmt(cost32) + ", the double one "
                    + fmt(cost64) + " on the same input, difference " + fmt(Math.abs(cost32 - cost64)) + " > " + fmt(bound));
        }
    }

    private static void compareGradient(String what, FMatrixRMaj a, FMatrixRMaj g32, DMatrixRMaj g64) {
        for (int k = 0; k < g32.data.length; k++) {
            float ak = a.data[k];
            if ((ak >= 0 && ak < 0x1p-24f) || (ak <= 1 && ak > 1 - 0x1p-24f)) {
                continue; // a probability at a float clamp
            }
            double bound = 8 * 0x1p-24 * Math.abs(g64.data[k]) + Float.MIN_NORMAL;
            if (!(Math.abs(g32.data[k] - g64.data[k]) <= bound)) {
                throw new CheckFailure("float paths: the float " + what + at(g64, k) + " is " + g32.data[k]
                        + ", the double one " + g64.data[k] + " on the same input, difference "
                        + fmt(Math.abs(g32.data[k] - g64.data[k])) + " > " + fmt(bound));
            }
        }
    }

    private static FMatrixRMaj narrow(DMatrixRMaj d) {
        FMatrixRMaj f = new FMatrixRMaj(d.numRows, d.numCols);
        for (int k = 0; k < f.data.length; k++) {
            f.data[k] = (float) d.data[k];
        }
        return f;
    }

    private static DMatrixRMaj widen(FMatrixRMaj f) {
        DMatrixRMaj d = new DMatrixRMaj(f.numRows, f.numCols);
        for (int k = 0; k < f.data.length; k++) {
            d.data[k] = f.data[k];
        }
        return d;
    }

    /** Logits of the fused checks: moderate values, and one column of larger ones. */
    private static DMatrixRMaj fusedLogits() {
        DMatrixRMaj z = Numerics.gaussian(UNITS, EXAMPLES, 2.0, 54);
        z.set(0, EXAMPLES - 1, 8.0);
        z.set(1, EXAMPLES - 1, -7.5);
        return z;
    }

    /**
     * {@code fusedCost(Z, Y)} against {@code cost(f(Z), Y)}, with {@code f} the declared function
     * computed by the kit itself ({@link StandardFunctions}), within a relative error of
     * {@link #FUSED_TOLERANCE}.
     */
    private String fusedCost() {
        Setup s = setup();
        FusedLoss loss = (FusedLoss) s.loss();
        StandardFunction f = declared(loss, "fused cost");
        DMatrixRMaj y = labels(s).y();
        DMatrixRMaj z = fusedLogits();
        DMatrixRMaj zCopy = z.copy();
        double fused = loss.fusedCost(z, y);
        int changed = Numerics.firstDifference(zCopy, z);
        if (changed >= 0) {
            throw new CheckFailure("fused cost: fusedCost modified Z" + at(z, changed) + "; Z is not modified");
        }
        double general = loss.cost(StandardFunctions.apply(f, z), y);
        if (!(Math.abs(fused - general) <= FUSED_TOLERANCE * (Math.abs(fused) + Math.abs(general)))) {
            String[] shown = Comparison.distinct(fused, general);
            throw new CheckFailure("fused cost: fusedCost(Z, Y) = " + shown[0] + " but cost(" + f + "(Z), Y) = " + shown[1]
                    + " with " + f + "(z) = " + StandardFunctions.formula(f) + " computed by the kit, relative error "
                    + fmt(Numerics.relativeError(fused, general)) + " > " + fmt(FUSED_TOLERANCE)
                    + "; fusedCost must be the cost of the function fusedWith() declares");
        }
        return "fusedCost(Z, Y) = " + fmt(fused) + " equals cost(" + f + "(Z), Y) with the kit's " + f
                + " (relative error " + fmt(Numerics.relativeError(fused, general)) + ")";
    }

    /**
     * {@code fusedGradient(Z, A, Y, dZ)}, with {@code A = f(Z)} from the kit, written into a
     * NaN-filled {@code dZ}, against the general {@code dA = gradient(A, Y)} pushed through the
     * declared function's Jacobian, computed by the kit: {@code dA a (1 - a)} for the logistic,
     * {@code a_i (dA_i - sum_j a_j dA_j)} per column for softmax.
     */
    private String fusedGradient() {
        Setup s = setup();
        FusedLoss loss = (FusedLoss) s.loss();
        StandardFunction f = declared(loss, "fused gradient");
        DMatrixRMaj y = labels(s).y();
        DMatrixRMaj z = fusedLogits();
        DMatrixRMaj a = StandardFunctions.apply(f, z);
        DMatrixRMaj dA = Numerics.filled(UNITS, EXAMPLES, Double.NaN);
        loss.gradient(a, y, dA);
        DMatrixRMaj expected = StandardFunctions.backward(f, a, dA);
        DMatrixRMaj dZ = Numerics.filled(UNITS, EXAMPLES, Double.NaN);
        loss.fusedGradient(z, a, y, dZ);
        int worst = -1;
        double worstError = 0;
        for (int k = 0; k < dZ.getNumElements(); k++) {
            double got = dZ.data[k];
            double want = expected.data[k];
            double allowed = FUSED_TOLERANCE * (Math.abs(got) + Math.abs(want)) + Numerics.ABSOLUTE_TOLERANCE;
            if (!(Math.abs(got - want) <= allowed)) {
                double error = Double.isFinite(got) ? Numerics.relativeError(got, want) : Double.POSITIVE_INFINITY;
                if (worst < 0 || error > worstError) {
                    worst = k;
                    worstError = error;
                }
            }
        }
        if (worst >= 0) {
            String[] shown = Comparison.distinct(dZ.data[worst], expected.data[worst]);
            throw new CheckFailure("fused gradient at Z" + at(z, worst) + " = " + fmt(z.data[worst]) + ": fusedGradient gives dZ = "
                    + shown[0] + ", the general dA = " + fmt(dA.data[worst]) + " through the Jacobian of " + f + " ("
                    + StandardFunctions.formula(f) + ", computed by the kit) gives " + shown[1] + ", relative error "
                    + fmt(worstError) + " > " + fmt(FUSED_TOLERANCE)
                    + "; fusedGradient must equal gradient() pushed through the function fusedWith() declares");
        }
        return "fusedGradient equals gradient() through the kit's Jacobian of " + f + " at all " + dZ.getNumElements()
                + " entries";
    }

    // ---------------------------------------------------------------------------------- minimum

    /**
     * With soft labels {@code Y = g(Z*)}: the gradient vanishes at {@code Z*} and the cost rises
     * when {@code Z*} moves in three random directions by {@code 0.001}, {@code 0.1} and {@code 1}.
     * With 0/1 or one-hot labels, which a sigmoid or softmax output reaches only at infinity: the
     * cost falls strictly along {@code Z + t (Y - A)} for {@code t} in {@link #TOWARD}.
     */
    private String minimum() {
        Setup s = setup();
        Labels labels = labels(s);
        DMatrixRMaj y = labels.y();
        if (labels.form() == Form.SOFT) {
            DMatrixRMaj target = labels.target();
            DMatrixRMaj dZ = s.gradient(target, y);
            double scale = 1.0;
            for (int k = 0; k < y.getNumElements(); k++) {
                scale = Math.max(scale, Math.abs(y.data[k]));
            }
            for (int k = 0; k < dZ.getNumElements(); k++) {
                if (!(Math.abs(dZ.data[k]) <= 1e-9 * scale)) {
                    throw new CheckFailure("minimum at the target: at A = Y the gradient is dZ" + at(dZ, k) + " = "
                            + fmt(dZ.data[k]) + ", not 0 (output " + s.output() + ", " + labels.form().description + ")");
                }
            }
            double best = s.cost(target, y);
            for (int direction = 0; direction < 3; direction++) {
                DMatrixRMaj d = Numerics.gaussian(UNITS, EXAMPLES, 1.0, 60 + direction);
                for (double delta : new double[] {1e-3, 0.1, 1.0}) {
                    DMatrixRMaj moved = target.copy();
                    for (int k = 0; k < moved.getNumElements(); k++) {
                        moved.data[k] += delta * d.data[k];
                    }
                    double cost = s.cost(moved, y);
                    if (!(cost > best)) {
                        throw new CheckFailure("minimum at the target: with " + labels.form().description + " and output "
                                + s.output() + ", moving Z* by " + fmt(delta) + " in a random direction gives cost "
                                + fmt(cost) + ", not more than cost(Z*) = " + fmt(best)
                                + "; the cost must be smallest where A = Y");
                    }
                }
            }
            return "with " + labels.form().description + " the gradient is 0 at A = Y and the cost " + fmt(best)
                    + " there rises when Z* moves by 0.001, 0.1 or 1 in three random directions";
        }
        DMatrixRMaj z = Numerics.gaussian(UNITS, EXAMPLES, 1.0, 53);
        DMatrixRMaj a = s.forward(z);
        double previous = Double.NaN;
        double first = Double.NaN;
        for (int i = 0; i < TOWARD.length; i++) {
            double t = TOWARD[i];
            DMatrixRMaj moved = z.copy();
            for (int k = 0; k < moved.getNumElements(); k++) {
                moved.data[k] += t * (y.data[k] - a.data[k]);
            }
            double cost = s.cost(moved, y);
            if (i == 0) {
                first = cost;
            } else if (!(cost < previous)) {
                throw new CheckFailure("minimum at the target: with " + labels.form().description + " and output " + s.output()
                        + ", moving the logits toward the target, Z + t (Y - A), gives cost " + fmt(cost) + " at t = "
                        + fmt(t) + ", not less than " + fmt(previous) + " at t = " + fmt(TOWARD[i - 1])
                        + "; the cost must fall as the output approaches the labels");
            }
            previous = cost;
        }
        return "with " + labels.form().description + " the cost falls strictly from " + fmt(first) + " to " + fmt(previous)
                + " as the logits move toward the target, Z + t (Y - A) for t = 0 to " + fmt(TOWARD[TOWARD.length - 1]);
    }

    /** Cost and gradient stay finite when the output saturates (logits of +-30, +-50, +-700). */
    private String saturated() {
        Setup s = setup();
        DMatrixRMaj y = labels(s).y();
        DMatrixRMaj z = Numerics.matrix(UNITS, EXAMPLES,
                30, -30, 700, -700,
                50, -50, 0, 1,
                -700, 700, -30, 30);
        double cost = s.cost(z, y);
        if (!Double.isFinite(cost)) {
            throw new CheckFailure("saturated outputs: cost is " + cost + " for logits of +-30, +-50 and +-700 (output "
                    + s.output() + ", " + s.path() + "); compute the loss from the logits Z so that it never takes log(0)"
                    + " (implement FusedLoss for the output function you compute it with)");
        }
        DMatrixRMaj dZ = s.gradient(z, y);
        int k = Numerics.firstNonFinite(dZ);
        if (k >= 0) {
            throw new CheckFailure("saturated outputs: the gradient dZ" + at(dZ, k) + " is " + dZ.data[k] + " at z = "
                    + z.data[k] + " (output " + s.output() + ", " + s.path() + ")");
        }
        return "cost " + fmt(cost) + " and the gradient are finite for logits of +-30, +-50 and +-700 (" + s.path() + ")";
    }
}
