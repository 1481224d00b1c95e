package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.at;
import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import dev.nnkit.Step;
import dev.nnkit.gradcheck.kit.Numerics.Difference;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.FloatActivationTransform;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.StepContext;
import dev.nnkit.spi.WeightPenalty;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** The checks of a {@link Regularizer}; see {@link Conformance#regularizer(String, String)}. */
final class RegularizerChecks {

    /** Batch sizes the penalty is checked with: 1, and one that catches a missing {@code 1/m}. */
    static final int[] BATCH_SIZES = {1, 7};
    /** Draws of a training-mode forward pass averaged by the expectation check. */
    static final int DRAWS = 4000;
    /** The seeds whose training outputs must not all be equal for a transform that acts. */
    static final long[] SEEDS = {41, 42, 43, 44, 45, 46, 47, 48};

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
        Regularizer probe = maker.tryMake();
        boolean transform = probe instanceof ActivationTransform;
        boolean penalty = probe instanceof WeightPenalty || probe == null;
        List<Check> checks = new ArrayList<>(List.of(
                PluginChecks.registered(maker),
                PluginChecks.roundTrip(maker, BEHAVIOUR)));
        if (penalty) {
            checks.add(new Check(label, "penalty gradient", this::penaltyGradient));
            checks.add(new Check(label, "adds to dW", this::addsToGradient));
        }
        if (zeroSpec != null) {
            checks.add(new Check(label, "strength 0 is a no-op", this::zeroStrength));
        }
        if (transform) {
            checks.add(new Check(label, "identity outside training", this::identityOutsideTraining));
            checks.add(new Check(label, "expectation in training", this::expectation));
            checks.add(new Check(label, "backward is the adjoint of forward", this::adjoint));
            checks.add(new Check(label, "deterministic by seed", this::deterministic));
            checks.add(new Check(label, "masks drawn through the context", this::throughContext));
        }
        if (transform && probe instanceof FloatActivationTransform) {
            checks.addAll(new FloatTransformChecks(maker).all());
        }
        return checks;
    }

    /** The weights of the penalty checks, {@code (4, 5)}: random signs and sizes, and one exact 0. */
    static DMatrixRMaj weights() {
        DMatrixRMaj w = Numerics.signedUniform(4, 5, 0.1, 1.5, 31);
        w.data[0] = 0.0;
        return w;
    }

    /** The activations of the transform checks, {@code (4, 5)}: zero, ones, and other values. */
    static DMatrixRMaj activations() {
        DMatrixRMaj a = Numerics.gaussian(4, 5, 1.5, 32);
        a.data[0] = 0.0;
        a.data[1] = 1.0;
        a.data[2] = -1.0;
        return a;
    }

    /** A training step of the given seed. */
    static Step training(long seed) {
        return Step.training(new SplittableRandom(seed));
    }

    /** {@code forward(a, out, context)} into a new NaN-filled matrix. */
    static DMatrixRMaj forward(ActivationTransform t, DMatrixRMaj a, StepContext context) {
        DMatrixRMaj out = Numerics.filled(a.numRows, a.numCols, Double.NaN);
        t.forward(a, out, context);
        return out;
    }

    private static final PluginChecks.Behaviour<Regularizer> BEHAVIOUR = new PluginChecks.Behaviour<>() {
        @Override
        public String sample() {
            return "penalty, penalty gradient and training transform on a 4 x 5 sample";
        }

        @Override
        public String difference(Regularizer a, Regularizer b) {
            if ((a instanceof WeightPenalty) != (b instanceof WeightPenalty)
                    || (a instanceof ActivationTransform) != (b instanceof ActivationTransform)) {
                return "they implement different capabilities (WeightPenalty, ActivationTransform)";
            }
            DMatrixRMaj first = new DMatrixRMaj(4, 5);
            DMatrixRMaj second = new DMatrixRMaj(4, 5);
            if (a instanceof WeightPenalty p && b instanceof WeightPenalty q) {
                DMatrixRMaj w = weights();
                if (Double.compare(p.penalty(w, 7), q.penalty(w, 7)) != 0) {
                    return "penalty(W, 7) is " + p.penalty(w, 7) + " and " + q.penalty(w, 7);
                }
                p.addPenaltyGradient(w, 7, first);
                q.addPenaltyGradient(w, 7, second);
                int k = Numerics.firstDifference(first, second);
                if (k >= 0) {
                    return "the penalty gradient at W" + at(w, k) + " is " + first.data[k] + " and " + second.data[k];
                }
            }
            if (a instanceof ActivationTransform s && b instanceof ActivationTransform t) {
                if (s.isActive() != t.isActive()) {
                    return "isActive() is " + s.isActive() + " and " + t.isActive();
                }
                DMatrixRMaj x = activations();
                DMatrixRMaj out1 = forward(s, x, training(9));
                DMatrixRMaj out2 = forward(t, x, training(9));
                int k = Numerics.firstDifference(out1, out2);
                if (k >= 0) {
                    return "a training forward pass with the same seed gives out" + at(x, k) + " = " + out1.data[k] + " and "
                            + out2.data[k];
                }
            }
            return null;
        }
    };

    // ----------------------------------------------------------------------------------- penalty

    private WeightPenalty penalty(String check) {
        Regularizer r = maker.make();
        if (r instanceof WeightPenalty p) {
            return p;
        }
        throw new CheckFailure(check + ": " + r + " is not a WeightPenalty");
    }

    /**
     * {@code addPenaltyGradient} from {@code dW = 0} against central differences of
     * {@code penalty(W, m)}, for every entry of {@link #weights()} and {@code m} in
     * {@link #BATCH_SIZES}; entries within a step of a kink (L1 at {@code w = 0}) are skipped.
     */
    private String penaltyGradient() {
        Comparison comparison = new Comparison("addPenaltyGradient", "central difference of penalty(W, m)", "entries");
        for (int m : BATCH_SIZES) {
            WeightPenalty r = penalty("penalty gradient");
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
        WeightPenalty r = penalty("adds to dW");
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

    /**
     * At strength 0: a weight penalty gives penalty 0 and leaves dW unchanged; a transform is the
     * identity in a training step, forward and backward, and says so with {@code isActive() == false}
     * (which makes the network skip it).
     */
    private String zeroStrength() {
        String name = PluginSpec.parse(maker.spec).name();
        String zeroName = PluginSpec.parse(zeroSpec).name();
        if (!name.equals(zeroName)) {
            throw new CheckFailure("strength 0 is a no-op: the strength-0 spec '" + zeroSpec + "' names '" + zeroName
                    + "', not '" + name + "'");
        }
        Regularizer zero = maker.make(zeroSpec);
        List<String> done = new ArrayList<>();
        if (zero instanceof WeightPenalty p) {
            DMatrixRMaj w = weights();
            for (int m : BATCH_SIZES) {
                double penalty = p.penalty(w, m);
                if (penalty != 0.0) {
                    throw new CheckFailure("strength 0 is a no-op: " + zero + " gives penalty(W, " + m + ") = " + penalty
                            + "; at strength 0 the penalty is 0");
                }
                DMatrixRMaj start = Numerics.signedUniform(4, 5, 0.5, 1.5, 34);
                DMatrixRMaj dW = start.copy();
                p.addPenaltyGradient(w, m, dW);
                int k = Numerics.firstDifference(start, dW);
                if (k >= 0) {
                    throw new CheckFailure("strength 0 is a no-op: " + zero + " changes dW" + at(dW, k) + " from " + start.data[k]
                            + " to " + dW.data[k] + " with m = " + m + "; at strength 0 the gradient is unchanged");
                }
            }
            done.add("penalty 0 and dW unchanged for m = 1 and 7");
        }
        if (zero instanceof ActivationTransform t) {
            DMatrixRMaj a = activations();
            Step step = training(35);
            DMatrixRMaj out = forward(t, a, step);
            int k = firstUnequal(a, out);
            if (k >= 0) {
                throw new CheckFailure("strength 0 is a no-op: " + zero + " changes the activation A" + at(a, k) + " = " + a.data[k]
                        + " to " + out.data[k] + " in a TRAINING forward pass; at strength 0 it is the identity");
            }
            DMatrixRMaj grad = Numerics.signedUniform(4, 5, 0.5, 1.5, 36);
            DMatrixRMaj copy = grad.copy();
            t.backward(copy, step);
            k = firstUnequal(grad, copy);
            if (k >= 0) {
                throw new CheckFailure("strength 0 is a no-op: " + zero + " changes dA" + at(grad, k) + " = " + grad.data[k]
                        + " to " + copy.data[k] + " in a TRAINING backward pass; at strength 0 it is the identity");
            }
            if (t.isActive()) {
                throw new CheckFailure("strength 0 is a no-op: " + zero + " is the identity but isActive() is true; return "
                        + "false when the arguments make the transform the identity, so that the network skips it");
            }
            done.add("the TRAINING forward and backward passes are the identity and isActive() is false");
        }
        return zero + ": " + String.join("; ", done);
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

    // -------------------------------------------------------------------------------- transforms

    private ActivationTransform transform(String check) {
        Regularizer r = maker.make();
        if (r instanceof ActivationTransform t) {
            return t;
        }
        throw new CheckFailure(check + ": " + r + " is not an ActivationTransform");
    }

    /**
     * In {@code CHECKING} and {@code INFERENCE} passes the transform is the identity, forward (into
     * a separate output, and in place as the network's inference runs it) and backward, and draws
     * no random numbers; when {@code isActive()} is false, it is the identity in {@code TRAINING}
     * too, because the network skips it.
     */
    private String identityOutsideTraining() {
        String check = "identity outside training";
        ActivationTransform t = transform(check);
        DMatrixRMaj a = activations();
        for (Step step : new Step[] {Step.checking(), Step.inference()}) {
            String mode = step.mode().toString();
            DMatrixRMaj out;
            try {
                out = forward(t, a, step);
            } catch (IllegalStateException e) {
                throw new CheckFailure(check + ": the " + mode + " forward pass asked for random numbers (" + e.getMessage()
                        + "); draw only when context.mode().isStochastic()");
            }
            int k = firstUnequal(a, out);
            if (k >= 0) {
                throw new CheckFailure(check + ": a " + mode + " forward pass changes A" + at(a, k) + " = " + a.data[k] + " to "
                        + out.data[k] + "; a transform acts in TRAINING only and is the identity otherwise");
            }
            DMatrixRMaj same = a.copy();
            t.forward(same, same, step);
            k = firstUnequal(a, same);
            if (k >= 0) {
                throw new CheckFailure(check + ": a " + mode + " forward pass in place (out == a, as the network runs "
                        + "inference) changes A" + at(a, k) + " = " + a.data[k] + " to " + same.data[k]);
            }
            DMatrixRMaj grad = Numerics.signedUniform(4, 5, 0.5, 1.5, 37);
            DMatrixRMaj copy = grad.copy();
            t.forward(a, Numerics.filled(4, 5, Double.NaN), step);
            t.backward(copy, step);
            k = firstUnequal(grad, copy);
            if (k >= 0) {
                throw new CheckFailure(check + ": a " + mode + " backward pass changes dA" + at(grad, k) + " = " + grad.data[k]
                        + " to " + copy.data[k] + "; outside TRAINING the backward pass is the identity too");
            }
        }
        if (!t.isActive()) {
            DMatrixRMaj out = forward(t, a, training(37));
            int k = firstUnequal(a, out);
            if (k >= 0) {
                throw new CheckFailure(check + ": isActive() is false, so the network never runs it, yet a TRAINING forward "
                        + "pass changes A" + at(a, k) + " = " + a.data[k] + " to " + out.data[k]
                        + "; isActive() must be true when the transform can change anything");
            }
            return "the identity in CHECKING and INFERENCE passes (forward, in place, backward), and, as isActive() is "
                    + "false, in TRAINING too";
        }
        return "the identity in CHECKING and INFERENCE passes: forward, forward in place, and backward";
    }

    /**
     * Averages {@link #DRAWS} training forward passes (one reused step, seed 38) on
     * {@link #activations()} and compares the mean of every entry with the input. Tolerance: five
     * standard errors of the entry's mean, {@code s / sqrt(DRAWS)} with {@code s} the sample
     * standard deviation of the draws (the mean of 4000 independent draws is close to normal, so a
     * correct transform fails an entry with probability about {@code 6e-7}, about {@code 1e-5} for
     * all 20). Dropout that forgets to divide by {@code keep_prob = 0.8} is off by
     * {@code 0.2 |a|}, about 30 standard errors at {@code a = 1}.
     */
    private String expectation() {
        ActivationTransform t = transform("expectation in training");
        DMatrixRMaj a = activations();
        int n = a.getNumElements();
        double[] mean = new double[n];
        double[] m2 = new double[n];
        DMatrixRMaj out = new DMatrixRMaj(4, 5);
        Step step = training(38);
        for (int draw = 1; draw <= DRAWS; draw++) {
            t.forward(a, out, step);
            for (int k = 0; k < n; k++) {
                double x = out.data[k];
                if (!Double.isFinite(x)) {
                    throw new CheckFailure("expectation in training: draw " + draw + " of the TRAINING forward pass gives out"
                            + at(a, k) + " = " + x + " for A" + at(a, k) + " = " + a.data[k]);
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
                    + ", the mean of the TRAINING forward pass over " + DRAWS + " draws is " + fmt(mean[worst])
                    + " (standard error " + fmt(error) + "), " + fmt(worstRatio) + " standard errors from A, more than "
                    + fmt(Numerics.STANDARD_ERRORS) + "; a training transform must keep E[out] = A (inverted dropout "
                    + "divides the kept units by keep_prob), so that skipping it at inference is right");
        }
        return "the mean of the TRAINING forward pass over " + DRAWS + " draws is within " + fmt(Numerics.STANDARD_ERRORS)
                + " standard errors of A at all " + n + " entries (largest " + fmt(largest) + ")";
    }

    /**
     * A training forward pass with a step of seed 40, then one with a second step (seed 77) on
     * other activations, then the backward pass of {@code V} with the first step: it must be the
     * gradient of {@code sum(V * out)}, which is compared with central differences of the forward
     * pass run again with fresh steps of seed 40 (for a mask, {@code D * V / keep_prob}: the
     * adjoint of the forward map). A backward pass that forgets the mask, draws a new one, forgets
     * the scale, or keeps its mask in a field (where the second step overwrote it) fails.
     */
    private String adjoint() {
        String check = "backward is the adjoint of forward";
        ActivationTransform t = transform(check);
        DMatrixRMaj a = activations();
        DMatrixRMaj v = Numerics.signedUniform(4, 5, 0.5, 1.5, 39);
        long seed = 40;
        Step first = training(seed);
        t.forward(a, new DMatrixRMaj(4, 5), first);
        Step other = training(77);
        t.forward(Numerics.gaussian(4, 5, 1.0, 78), new DMatrixRMaj(4, 5), other);
        DMatrixRMaj grad = v.copy();
        t.backward(grad, first);
        List<String> skipped = new ArrayList<>();
        for (int k = 0; k < a.getNumElements(); k++) {
            double x = a.data[k];
            int entry = k;
            Difference d = Numerics.difference(x, value -> {
                DMatrixRMaj moved = a.copy();
                moved.data[entry] = value;
                DMatrixRMaj transformed = forward(t, moved, training(seed));
                return new Numerics.Term(dot(v, transformed), absDot(v, transformed));
            });
            String where = "A" + at(a, k) + " = " + fmt(x);
            if (Double.isFinite(d.central()) && d.kink()) {
                skipped.add(where);
            } else if (!d.agrees(grad.data[k])) {
                throw new CheckFailure(check + ": at " + where + " with dA = " + fmt(v.data[k])
                        + ", backward gives " + fmt(grad.data[k]) + ", the derivative of sum(dA * forward(A)) with a step of "
                        + "the same seed is " + fmt(d.central()) + " (central difference), relative error "
                        + fmt(Numerics.relativeError(grad.data[k], d.central())) + " > " + fmt(Numerics.RELATIVE_TOLERANCE)
                        + "; backward must apply the mask and scale of the forward pass of the same step (keep the mask in "
                        + "context.buffer, not in a field: another step's forward pass ran in between)");
            }
        }
        if (skipped.size() > a.getNumElements() / 4) {
            throw new CheckFailure(check + ": with steps of one seed the forward pass is not a smooth function of A at "
                    + skipped.size() + " of " + a.getNumElements() + " entries (the one-sided differences jump: "
                    + String.join(", ", skipped) + "), so backward cannot be checked; the output of a training pass must be a "
                    + "function of A and the step's random stream only");
        }
        return "backward equals the derivative of the forward pass of the same step at " + (a.getNumElements()
                - skipped.size()) + " of " + a.getNumElements() + " entries, with another step's forward pass in between"
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

    /** Steps of one seed give the same training output: from two instances, and from one instance twice. */
    private String deterministic() {
        String check = "deterministic by seed";
        DMatrixRMaj a = activations();
        ActivationTransform t = transform(check);
        DMatrixRMaj first = forward(t, a, training(41));
        DMatrixRMaj again = forward(t, a, training(41));
        DMatrixRMaj other = forward(transform(check), a, training(41));
        int k = Numerics.firstDifference(first, again);
        if (k >= 0) {
            throw new CheckFailure(check + ": one instance gives out" + at(a, k) + " = " + first.data[k] + " and then "
                    + again.data[k] + " from two steps of seed 41; draw only from the step's context (drawMask, random())");
        }
        k = Numerics.firstDifference(first, other);
        if (k >= 0) {
            throw new CheckFailure(check + ": two instances give out" + at(a, k) + " = " + first.data[k] + " and "
                    + other.data[k] + " from steps of seed 41; draw only from the step's context (drawMask, random())");
        }
        return "the TRAINING forward pass gives the same bits from steps of the same seed, on one instance twice and on two";
    }

    /**
     * The transform draws its randomness through the context. An active transform that changes
     * its input in training gives different outputs for steps of different seeds (so it does not
     * hide a fixed private seed). When it calls {@code drawMask}: a step of another seed that
     * supplies the mask drawn before reproduces the output bit for bit (so a traced step can give
     * and record masks), and the complementary mask changes the output (the mask is used).
     */
    private String throughContext() {
        String check = "masks drawn through the context";
        ActivationTransform t = transform(check);
        DMatrixRMaj a = activations();
        KitContext recording = new KitContext(training(SEEDS[0]), null);
        DMatrixRMaj out = forward(t, a, recording);
        boolean acts = firstUnequal(a, out) >= 0;
        if (!t.isActive() && !acts) {
            return "isActive() is false and the TRAINING forward pass is the identity; nothing is drawn";
        }
        if (acts && recording.masks == 0 && recording.randoms == 0) {
            throw new CheckFailure(check + ": the TRAINING forward pass changes A but draws nothing from the context (no "
                    + "context.drawMask, no context.random()); a training transform draws its randomness through the context "
                    + "(a private generator breaks seeded runs and traced steps; a deterministic change belongs in a layer or "
                    + "an activation)");
        }
        if (acts) {
            DMatrixRMaj large = Numerics.gaussian(16, 16, 1.0, 79);
            DMatrixRMaj reference = forward(transform(check), large, training(SEEDS[0]));
            boolean differs = false;
            for (int s = 1; s < SEEDS.length && !differs; s++) {
                differs = Numerics.firstDifference(reference, forward(transform(check), large, training(SEEDS[s]))) >= 0;
            }
            if (!differs) {
                throw new CheckFailure(check + ": the TRAINING forward pass changes its input but gives the same output on a "
                        + "16 x 16 input for steps of seeds 41 to 48; draw from the step's context (context.drawMask, "
                        + "context.random()), not from a fixed seed of your own");
            }
        }
        if (recording.masks == 0) {
            return recording.randoms > 0
                    ? "draws from context.random() (" + recording.randoms + " calls), no mask; different seeds give different "
                            + "outputs"
                    : "draws nothing from the context and is the identity in TRAINING";
        }
        DMatrixRMaj mask = recording.lastMask;
        KitContext supplying = new KitContext(training(SEEDS[1]), mask);
        DMatrixRMaj replayed = forward(transform(check), a, supplying);
        String replay;
        if (recording.randoms == 0) {
            int k = Numerics.firstDifference(out, replayed);
            if (k >= 0) {
                throw new CheckFailure(check + ": a step of another seed that supplies the mask drawn before gives out" + at(a, k)
                        + " = " + replayed.data[k] + " instead of " + out.data[k] + "; the output must depend on the step's "
                        + "randomness only through the masks drawn with context.drawMask, so that a traced step can supply them");
            }
            replay = "a step of another seed supplying the same mask reproduces the output bit for bit";
        } else {
            replay = "it also calls context.random() directly (" + recording.randoms + " calls), so a supplied mask alone "
                    + "does not reproduce the output";
        }
        DMatrixRMaj complement = mask.copy();
        for (int k = 0; k < complement.getNumElements(); k++) {
            complement.data[k] = complement.data[k] != 0.0 ? 0.0 : 1.0;
        }
        DMatrixRMaj flipped = forward(transform(check), a, new KitContext(training(SEEDS[0]), complement));
        if (Numerics.firstDifference(out, flipped) < 0) {
            throw new CheckFailure(check + ": the transform calls context.drawMask but its output does not change when the "
                    + "step supplies the complementary mask; apply the mask drawMask fills");
        }
        return "draws its mask with context.drawMask (" + recording.masks + " call" + (recording.masks == 1 ? "" : "s")
                + " per pass); " + replay + "; the complementary mask changes it; different seeds give different outputs";
    }
}
