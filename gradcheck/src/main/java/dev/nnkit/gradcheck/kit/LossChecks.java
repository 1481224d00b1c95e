package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.at;
import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import dev.nnkit.PluginException;
import dev.nnkit.gradcheck.kit.Numerics.Difference;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Loss;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/** The checks of a {@link Loss} with its output activation; see {@link Conformance#loss(String, String)}. */
final class LossChecks {

    /** Output units and examples of the samples: {@code Z}, {@code A} and {@code Y} are {@code (3, 4)}. */
    static final int UNITS = 3;
    static final int EXAMPLES = 4;
    /** The values of {@code t} at which the cost must fall along {@code Z + t (Y - A)}. */
    static final double[] TOWARD = {0, 0.5, 1, 2, 4, 8};

    private final Maker<Loss> maker;
    private final String outputSpec;

    LossChecks(Maker<Loss> maker, String outputSpec) {
        this.maker = maker;
        this.outputSpec = outputSpec;
    }

    List<Check> all() {
        String label = maker.label();
        return List.of(
                PluginChecks.registered(maker),
                PluginChecks.roundTrip(maker, behaviour()),
                new Check(label, "output activation accepted", this::outputAccepted),
                new Check(label, "labels", this::labelsCheck),
                new Check(label, "gradient", this::gradient),
                new Check(label, "minimum at the target", this::minimum),
                new Check(label, "saturated outputs", this::saturated));
    }

    // ------------------------------------------------------------------------------------ setup

    /** The loss and its output activation, made fresh. */
    private record Setup(Loss loss, Activation output) {
        DMatrixRMaj forward(DMatrixRMaj z) {
            DMatrixRMaj a = new DMatrixRMaj(z.numRows, z.numCols);
            output.forward(z, a);
            return a;
        }

        double cost(DMatrixRMaj z, DMatrixRMaj y) {
            return loss.cost(z, forward(z), y);
        }

        DMatrixRMaj gradient(DMatrixRMaj z, DMatrixRMaj y) {
            DMatrixRMaj dZ = Numerics.filled(z.numRows, z.numCols, Double.NaN);
            loss.gradient(z, forward(z), y, output, dZ);
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
        try {
            loss.checkOutputActivation(output);
        } catch (IllegalArgumentException e) {
            throw new CheckFailure("output activation accepted: " + loss + " refuses the output activation " + output + ": "
                    + e.getMessage() + "; check the loss with an output activation it is meant for");
        }
        return new Setup(loss, output);
    }

    private String outputAccepted() {
        Setup s = setup();
        return s.loss() + " accepts the output activation " + s.output();
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
                return "cost and gradient on a 3 x 4 sample";
            }

            @Override
            public String difference(Loss first, Loss second) {
                Setup s = setup();
                DMatrixRMaj y = labels(s).y();
                DMatrixRMaj z = Numerics.gaussian(UNITS, EXAMPLES, 2.0, 52);
                DMatrixRMaj a = s.forward(z);
                double c1 = first.cost(z, a, y);
                double c2 = second.cost(z, a, y);
                if (Double.compare(c1, c2) != 0) {
                    return "cost is " + c1 + " and " + c2;
                }
                DMatrixRMaj g1 = new DMatrixRMaj(UNITS, EXAMPLES);
                DMatrixRMaj g2 = new DMatrixRMaj(UNITS, EXAMPLES);
                first.gradient(z, a, y, s.output(), g1);
                second.gradient(z, a, y, s.output(), g2);
                int k = Numerics.firstDifference(g1, g2);
                return k < 0 ? null : "the gradient dZ" + at(z, k) + " is " + g1.data[k] + " and " + g2.data[k];
            }
        };
    }

    // --------------------------------------------------------------------------------- gradient

    /**
     * {@code gradient(Z, A, Y, g, dZ)}, written into a NaN-filled {@code dZ}, against
     * {@code m} times the central difference of {@code cost(Z, g(Z), Y)} in each entry of {@code Z}:
     * the SPI's {@code dZ = m dJ/dZ}, through the output activation whether the loss is fused with
     * it or not.
     */
    private String gradient() {
        Setup s = setup();
        Labels labels = labels(s);
        DMatrixRMaj y = labels.y();
        DMatrixRMaj z = Numerics.gaussian(UNITS, EXAMPLES, 2.0, 52);
        DMatrixRMaj dZ = s.gradient(z, y);
        double m = EXAMPLES;
        Comparison comparison = new Comparison("gradient() gives dZ =", "m times the central difference of cost is", "entries");
        for (int k = 0; k < z.getNumElements(); k++) {
            int entry = k;
            Difference d = Numerics.difference(z.data[k], value -> {
                DMatrixRMaj moved = z.copy();
                moved.data[entry] = value;
                double j = m * s.cost(moved, y);
                return new Numerics.Term(j, Math.abs(j));
            });
            comparison.add("Z" + at(z, k) + " = " + fmt(z.data[k]), dZ.data[k], d);
        }
        String context = "output " + s.output() + ", " + labels.form().description;
        if (comparison.failed()) {
            throw new CheckFailure(comparison.failure("gradient at ", context));
        }
        return "dZ matches m times central differences of cost (" + context + ") " + comparison.success();
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
                    + s.output() + "); compute the loss from the logits Z so that it never takes log(0)");
        }
        DMatrixRMaj dZ = s.gradient(z, y);
        int k = Numerics.firstNonFinite(dZ);
        if (k >= 0) {
            throw new CheckFailure("saturated outputs: the gradient dZ" + at(dZ, k) + " is " + dZ.data[k] + " at z = "
                    + z.data[k] + " (output " + s.output() + ")");
        }
        return "cost " + fmt(cost) + " and the gradient are finite for logits of +-30, +-50 and +-700";
    }
}
