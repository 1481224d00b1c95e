package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.at;
import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import dev.nnkit.gradcheck.kit.Numerics.Difference;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** The checks of a {@link Regularizer}; see {@link Conformance#regularizer(String, String)}. */
final class RegularizerChecks {

    /** Batch sizes the penalty is checked with: 1, and one that catches a missing {@code 1/m}. */
    static final int[] BATCH_SIZES = {1, 7};
    /** Draws of {@code forwardTraining} averaged by the expectation check. */
    static final int DRAWS = 4000;

    private final Maker<Regularizer> maker;
    private final String zeroSpec;

    /**
     * @param zeroSpec the spec of the same plugin at strength 0, or null
     */
    RegularizerChecks(Maker<Regularizer> maker, String zeroSpec) {
        this.maker = maker;
        this.zeroSpec = zeroSpec;
    }

    List<Check> all() {
        String label = maker.label();
        List<Check> checks = new ArrayList<>(List.of(
                PluginChecks.registered(maker),
                PluginChecks.roundTrip(maker, BEHAVIOUR),
                new Check(label, "penalty gradient", this::penaltyGradient),
                new Check(label, "adds to dW", this::addsToGradient)));
        if (zeroSpec != null) {
            checks.add(new Check(label, "strength 0 is a no-op", this::zeroStrength));
        }
        checks.add(new Check(label, "identity at inference", this::inference));
        Regularizer probe = maker.tryMake();
        if (probe != null && probe.actsOnActivations()) {
            checks.add(new Check(label, "expectation in training", this::expectation));
            checks.add(new Check(label, "backward reuses the forward mask", this::maskReuse));
            checks.add(new Check(label, "deterministic by seed", this::deterministic));
        }
        return checks;
    }

    /** The weights of the penalty checks, {@code (4, 5)}: random signs and sizes, and one exact 0. */
    static DMatrixRMaj weights() {
        DMatrixRMaj w = Numerics.signedUniform(4, 5, 0.1, 1.5, 31);
        w.data[0] = 0.0;
        return w;
    }

    /** The activations of the training-time checks, {@code (4, 5)}: zero, ones, and other values. */
    static DMatrixRMaj activations() {
        DMatrixRMaj a = Numerics.gaussian(4, 5, 1.5, 32);
        a.data[0] = 0.0;
        a.data[1] = 1.0;
        a.data[2] = -1.0;
        return a;
    }

    private static final PluginChecks.Behaviour<Regularizer> BEHAVIOUR = new PluginChecks.Behaviour<>() {
        @Override
        public String sample() {
            return "penalty, penalty gradient and training transform on a 4 x 5 sample";
        }

        @Override
        public String difference(Regularizer a, Regularizer b) {
            DMatrixRMaj w = weights();
            if (Double.compare(a.penalty(w, 7), b.penalty(w, 7)) != 0) {
                return "penalty(W, 7) is " + a.penalty(w, 7) + " and " + b.penalty(w, 7);
            }
            DMatrixRMaj first = new DMatrixRMaj(4, 5);
            DMatrixRMaj second = new DMatrixRMaj(4, 5);
            a.addPenaltyGradient(w, 7, first);
            b.addPenaltyGradient(w, 7, second);
            int k = Numerics.firstDifference(first, second);
            if (k >= 0) {
                return "the penalty gradient at W" + at(w, k) + " is " + first.data[k] + " and " + second.data[k];
            }
            if (a.actsOnActivations() != b.actsOnActivations()) {
                return "actsOnActivations() is " + a.actsOnActivations() + " and " + b.actsOnActivations();
            }
            if (a.actsOnActivations()) {
                DMatrixRMaj x = activations();
                a.forwardTraining(x, first, new SplittableRandom(9));
                b.forwardTraining(x, second, new SplittableRandom(9));
                k = Numerics.firstDifference(first, second);
                if (k >= 0) {
                    return "forwardTraining with the same seed gives out" + at(x, k) + " = " + first.data[k] + " and "
                            + second.data[k];
                }
            }
            return null;
        }
    };

    // ----------------------------------------------------------------------------------- penalty

    /**
     * {@code addPenaltyGradient} from {@code dW = 0} against central differences of
     * {@code penalty(W, m)}, for every entry of {@link #weights()} and {@code m} in
     * {@link #BATCH_SIZES}; entries within a step of a kink (L1 at {@code w = 0}) are skipped.
     */
    private String penaltyGradient() {
        Comparison comparison = new Comparison("addPenaltyGradient", "central difference of penalty(W, m)", "entries");
        for (int m : BATCH_SIZES) {
            Regularizer r = maker.make();
            DMatrixRMaj w = weights();
            DMatrixRMaj before = w.copy();
            double penalty = r.penalty(w, m);
            if (!(penalty >= 0.0) || Double.isInfinite(penalty)) {
                throw new CheckFailure("penalty gradient: penalty(W, " + m + ") = " + penalty + "; a penalty is finite and >= 0");
            }
            DMatrixRMaj dW = new DMatrixRMaj(4, 5);
            r.addPenaltyGradient(w, m, dW);
            int changed = Numerics.firstDifference(before, w);
            if (changed >= 0) {
                throw new CheckFailure("penalty gradient: addPenaltyGradient or penalty modified W" + at(w, changed)
                        + "; W is not modified");
            }
            for (int k = 0; k < w.getNumElements(); k++) {
                int entry = k;
                int batch = m;
                Difference d = Numerics.difference(w.data[k], value -> {
                    DMatrixRMaj moved = w.copy();
                    moved.data[entry] = value;
                    double p = r.penalty(moved, batch);
                    return new Numerics.Term(p, Math.abs(p));
                });
                comparison.add("W" + at(w, k) + " = " + fmt(w.data[k]) + " with m = " + m, dW.data[k], d);
            }
        }
        if (comparison.failed()) {
            throw new CheckFailure(comparison.failure("penalty gradient at ", ""));
        }
        return "addPenaltyGradient matches central differences of penalty(W, m) on a 4 x 5 W with m = 1 and 7, "
                + comparison.success();
    }

    private String addsToGradient() {
        Regularizer r = maker.make();
        DMatrixRMaj w = weights();
        DMatrixRMaj alone = new DMatrixRMaj(4, 5);
        r.addPenaltyGradient(w, 7, alone);
        DMatrixRMaj start = Numerics.signedUniform(4, 5, 0.5, 1.5, 33);
        DMatrixRMaj dW = start.copy();
        r.addPenaltyGradient(w, 7, dW);
        for (int k = 0; k < dW.getNumElements(); k++) {
            double expected = start.data[k] + alone.data[k];
            double allowed = 4 * Numerics.U * (Math.abs(start.data[k]) + Math.abs(alone.data[k]));
            if (!(Math.abs(dW.data[k] - expected) <= allowed)) {
                throw new CheckFailure("adds to dW: from dW" + at(dW, k) + " = " + fmt(start.data[k])
                        + ", addPenaltyGradient gives " + dW.data[k] + ", but it adds " + alone.data[k]
                        + " to a zero dW; it must add its gradient to dW, not overwrite it");
            }
        }
        return "addPenaltyGradient adds to the gradient already in dW";
    }

    // ---------------------------------------------------------------------------- strength zero

    private String zeroStrength() {
        String name = PluginSpec.parse(maker.spec).name();
        String zeroName = PluginSpec.parse(zeroSpec).name();
        if (!name.equals(zeroName)) {
            throw new CheckFailure("strength 0 is a no-op: the strength-0 spec '" + zeroSpec + "' names '" + zeroName
                    + "', not '" + name + "'");
        }
        Regularizer zero = maker.make(zeroSpec);
        DMatrixRMaj w = weights();
        for (int m : BATCH_SIZES) {
            double penalty = zero.penalty(w, m);
            if (penalty != 0.0) {
                throw new CheckFailure("strength 0 is a no-op: " + zero + " gives penalty(W, " + m + ") = " + penalty
                        + "; at strength 0 the penalty is 0");
            }
            DMatrixRMaj start = Numerics.signedUniform(4, 5, 0.5, 1.5, 34);
            DMatrixRMaj dW = start.copy();
            zero.addPenaltyGradient(w, m, dW);
            int k = Numerics.firstDifference(start, dW);
            if (k >= 0) {
                throw new CheckFailure("strength 0 is a no-op: " + zero + " changes dW" + at(dW, k) + " from " + start.data[k]
                        + " to " + dW.data[k] + " with m = " + m + "; at strength 0 the gradient is unchanged");
            }
        }
        if (!zero.actsOnActivations()) {
            return zero + ": penalty 0 and dW unchanged for m = 1 and 7; actsOnActivations() is false, so the network "
                    + "never transforms activations with it";
        }
        DMatrixRMaj a = activations();
        DMatrixRMaj out = Numerics.filled(4, 5, Double.NaN);
        zero.forwardTraining(a, out, new SplittableRandom(35));
        int k = firstUnequal(a, out);
        if (k >= 0) {
            throw new CheckFailure("strength 0 is a no-op: " + zero + " changes the activation A" + at(a, k) + " = " + a.data[k]
                    + " to " + out.data[k] + " in forwardTraining; at strength 0 it is the identity");
        }
        DMatrixRMaj grad = Numerics.signedUniform(4, 5, 0.5, 1.5, 36);
        DMatrixRMaj copy = grad.copy();
        zero.backwardTraining(copy);
        k = firstUnequal(grad, copy);
        if (k >= 0) {
            throw new CheckFailure("strength 0 is a no-op: " + zero + " changes dA" + at(grad, k) + " = " + grad.data[k] + " to "
                    + copy.data[k] + " in backwardTraining; at strength 0 it is the identity");
        }
        return zero + ": penalty 0, dW unchanged, forwardTraining and backwardTraining the identity";
    }

    /** The first index where the values differ ({@code 0.0 == -0.0}; NaN equals NaN), or -1. */
    private static int firstUnequal(DMatrixRMaj a, DMatrixRMaj b) {
        for (int k = 0; k < a.getNumElements(); k++) {
            double x = a.data[k];
            double y = b.data[k];
            if (x != y && !(Double.isNaN(x) && Double.isNaN(y))) {
                return k;
            }
        }
        return -1;
    }

    // -------------------------------------------------------------------------------- activations

    /**
     * The network skips {@code forwardTraining} at inference and while checking gradients exactly
     * because {@code actsOnActivations()} says it transforms activations; so a regularizer that
     * says {@code false} must not transform them (it would never be applied), and one that says
     * {@code true} is checked to keep the expectation, which makes skipping it at inference right.
     */
    private String inference() {
        Regularizer r = maker.make();
        if (r.actsOnActivations()) {
            return "actsOnActivations() is true, so the network calls forwardTraining in training steps only and "
                    + "skips it at inference and while gradients are checked; 'expectation in training' checks that the "
                    + "skipped transform leaves the expected activation unchanged";
        }
        DMatrixRMaj a = activations();
        DMatrixRMaj out = Numerics.filled(4, 5, Double.NaN);
        try {
            r.forwardTraining(a, out, new SplittableRandom(37));
        } catch (UnsupportedOperationException e) {
            return "actsOnActivations() is false and forwardTraining is unsupported: the network never transforms "
                    + "activations with it, in training or at inference";
        }
        int k = firstUnequal(a, out);
        if (k >= 0) {
            throw new CheckFailure("identity at inference: actsOnActivations() is false, so the network never calls "
                    + "forwardTraining, yet forwardTraining changes A" + at(a, k) + " = " + a.data[k] + " to " + out.data[k]
                    + "; return true from actsOnActivations() if it transforms activations");
        }
        return "actsOnActivations() is false and forwardTraining is the identity";
    }

    /**
     * Averages {@link #DRAWS} draws of {@code forwardTraining} on {@link #activations()} and
     * compares the mean of every entry with the input. Tolerance: five standard errors of the
     * entry's mean, {@code s / sqrt(DRAWS)} with {@code s} the sample standard deviation of the
     * draws (the mean of 4000 independent draws is close to normal, so a correct regularizer fails an
     * entry with probability about {@code 6e-7}, about {@code 1e-5} for all 20). Dropout that
     * forgets to divide by {@code keep_prob = 0.8} is off by {@code 0.2 |a|}, about 30 standard
     * errors at {@code a = 1}.
     */
    private String expectation() {
        Regularizer r = maker.make();
        DMatrixRMaj a = activations();
        int n = a.getNumElements();
        double[] mean = new double[n];
        double[] m2 = new double[n];
        DMatrixRMaj out = new DMatrixRMaj(4, 5);
        SplittableRandom random = new SplittableRandom(38);
        for (int draw = 1; draw <= DRAWS; draw++) {
            r.forwardTraining(a, out, random);
            for (int k = 0; k < n; k++) {
                double x = out.data[k];
                if (!Double.isFinite(x)) {
                    throw new CheckFailure("expectation in training: draw " + draw + " of forwardTraining gives out" + at(a, k)
                            + " = " + x + " for A" + at(a, k) + " = " + a.data[k]);
                }
                double delta = x - mean[k];
                mean[k] += delta / draw;
                m2[k] += delta * (x - mean[k]);
            }
        }
        int worst = -1;
        double worstRatio = 0;
        double largest = 0;
        for (int k = 0; k < n; k++) {
            double error = Math.sqrt(m2[k] / (DRAWS - 1.0) / DRAWS);
            double distance = Math.abs(mean[k] - a.data[k]);
            double ratio = distance == 0 ? 0 : error == 0 ? Double.POSITIVE_INFINITY : distance / error;
            boolean fails = distance > Numerics.STANDARD_ERRORS * error + 1e-12 * Math.abs(a.data[k]);
            if (fails && (worst < 0 || ratio > worstRatio)) {
                worst = k;
                worstRatio = ratio;
            }
            if (!fails) {
                largest = Math.max(largest, ratio);
            }
        }
        if (worst >= 0) {
            double error = Math.sqrt(m2[worst] / (DRAWS - 1.0) / DRAWS);
            throw new CheckFailure("expectation in training: at A" + at(a, worst) + " = " + fmt(a.data[worst])
                    + ", the mean of forwardTraining over " + DRAWS + " draws is " + fmt(mean[worst]) + " (standard error "
                    + fmt(error) + "), " + fmt(worstRatio) + " standard errors from A, more than "
                    + fmt(Numerics.STANDARD_ERRORS) + "; forwardTraining must keep E[out] = A (inverted dropout divides the "
                    + "kept units by keep_prob)");
        }
        return "the mean of forwardTraining over " + DRAWS + " draws is within " + fmt(Numerics.STANDARD_ERRORS)
                + " standard errors of A at all " + n + " entries (largest " + fmt(largest) + ")";
    }

    /**
     * With generators of one seed, {@code forwardTraining} is a deterministic function of its
     * input; {@code backwardTraining(V)} after it must be the gradient of {@code sum(V * out)}, which
     * is compared with central differences of forwardTraining run again with re-seeded generators.
     * A backward pass that forgets the mask, draws a new one, or forgets the scale fails.
     */
    private String maskReuse() {
        Regularizer r = maker.make();
        DMatrixRMaj a = activations();
        DMatrixRMaj v = Numerics.signedUniform(4, 5, 0.5, 1.5, 39);
        long seed = 40;
        DMatrixRMaj out = new DMatrixRMaj(4, 5);
        r.forwardTraining(a, out, new SplittableRandom(seed));
        DMatrixRMaj grad = v.copy();
        r.backwardTraining(grad);
        List<String> skipped = new ArrayList<>();
        for (int k = 0; k < a.getNumElements(); k++) {
            double x = a.data[k];
            int entry = k;
            Difference d = Numerics.difference(x, value -> {
                DMatrixRMaj moved = a.copy();
                moved.data[entry] = value;
                DMatrixRMaj transformed = new DMatrixRMaj(4, 5);
                r.forwardTraining(moved, transformed, new SplittableRandom(seed));
                return new Numerics.Term(dot(v, transformed), absDot(v, transformed));
            });
            String where = "A" + at(a, k) + " = " + fmt(x);
            if (Double.isFinite(d.central()) && d.kink()) {
                skipped.add(where);
            } else if (!d.agrees(grad.data[k])) {
                throw new CheckFailure("backward reuses the forward mask: at " + where + " with dA = " + fmt(v.data[k])
                        + ", backwardTraining gives " + fmt(grad.data[k]) + ", the derivative of sum(dA * forwardTraining(A)) "
                        + "with the same seed is " + fmt(d.central()) + " (central difference), relative error "
                        + fmt(Numerics.relativeError(grad.data[k], d.central())) + " > " + fmt(Numerics.RELATIVE_TOLERANCE)
                        + "; backwardTraining must apply the mask and scale of the last forwardTraining");
            }
        }
        return "backwardTraining equals the derivative of forwardTraining with the same seed at " + (a.getNumElements()
                - skipped.size()) + " of " + a.getNumElements() + " entries"
                + (skipped.isEmpty() ? "" : "; skipped within a step of a kink: " + String.join(", ", skipped));
    }

    private static double dot(DMatrixRMaj a, DMatrixRMaj b) {
        double sum = 0;
        for (int k = 0; k < a.getNumElements(); k++) {
            sum += a.data[k] * b.data[k];
        }
        return sum;
    }

    private static double absDot(DMatrixRMaj a, DMatrixRMaj b) {
        double sum = 0;
        for (int k = 0; k < a.getNumElements(); k++) {
            sum += Math.abs(a.data[k] * b.data[k]);
        }
        return sum;
    }

    private String deterministic() {
        DMatrixRMaj a = activations();
        DMatrixRMaj first = new DMatrixRMaj(4, 5);
        DMatrixRMaj second = new DMatrixRMaj(4, 5);
        maker.make().forwardTraining(a, first, new SplittableRandom(41));
        maker.make().forwardTraining(a, second, new SplittableRandom(41));
        int k = Numerics.firstDifference(first, second);
        if (k >= 0) {
            throw new CheckFailure("deterministic by seed: two instances give out" + at(a, k) + " = " + first.data[k] + " and "
                    + second.data[k] + " from generators with seed 41; draw only from the RandomGenerator passed in");
        }
        return "forwardTraining gives the same output from generators of the same seed";
    }
}
