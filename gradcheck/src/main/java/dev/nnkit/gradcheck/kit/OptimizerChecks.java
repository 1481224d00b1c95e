package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.at;
import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Dataset;
import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import dev.nnkit.training.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;

/** The checks of an {@link Optimizer}; see {@link Conformance#optimizer(String)}. */
final class OptimizerChecks {

    /** Updates of the descent check. */
    static final int UPDATES = 1000;
    /** Updates before and after the state is handed over in the state check. */
    static final int BEFORE = 5;
    static final int AFTER = 5;
    /** Epochs of the resume check: the uninterrupted run, and where the checkpoint is taken. */
    static final int EPOCHS = 4;
    static final int CHECKPOINT = 2;

    private final Maker<Optimizer> maker;

    OptimizerChecks(Maker<Optimizer> maker) {
        this.maker = maker;
    }

    List<Check> all() {
        String label = maker.label();
        return List.of(
                PluginChecks.registered(maker),
                PluginChecks.roundTrip(maker, BEHAVIOUR),
                new Check(label, "descends on a convex quadratic", this::descends),
                new Check(label, "follows the step's learning rate", this::followsRate),
                new Check(label, "state round trip", this::stateRoundTrip),
                new Check(label, "state that does not fit is refused", this::misfit),
                new Check(label, "resume from a checkpoint", this::resume));
    }

    // -------------------------------------------------------------------------------- quadratic

    /**
     * The convex quadratic {@code J = 1/2 sum_i a_i (x_i - c_i)^2} over two parameter arrays, a
     * {@code (3, 4)} weight and a {@code (3, 1)} bias, with curvatures {@code a_i} in
     * {@code [0.5, 2]} and a random minimum {@code c}; its gradient is {@code a_i (x_i - c_i)}.
     */
    static final class Quadratic {
        final List<Parameter> parameters;
        private final DMatrixRMaj[] curvature;
        private final DMatrixRMaj[] minimum;

        Quadratic() {
            DMatrixRMaj w = Numerics.gaussian(3, 4, 1.0, 61);
            DMatrixRMaj b = Numerics.gaussian(3, 1, 1.0, 62);
            parameters = List.of(new Parameter("W", Parameter.Role.WEIGHT, w, new DMatrixRMaj(3, 4)),
                    new Parameter("b", Parameter.Role.BIAS, b, new DMatrixRMaj(3, 1)));
            curvature = new DMatrixRMaj[] {uniform(3, 4, 63), uniform(3, 1, 64)};
            minimum = new DMatrixRMaj[] {Numerics.gaussian(3, 4, 1.0, 65), Numerics.gaussian(3, 1, 1.0, 66)};
        }

        private static DMatrixRMaj uniform(int rows, int cols, long seed) {
            DMatrixRMaj m = Numerics.signedUniform(rows, cols, 0.5, 2.0, seed);
            for (int k = 0; k < m.getNumElements(); k++) {
                m.data[k] = Math.abs(m.data[k]);
            }
            return m;
        }

        /** The part of {@code J} of parameter array {@code p}. */
        double cost(int p) {
            DMatrixRMaj x = parameters.get(p).value();
            double sum = 0;
            for (int k = 0; k < x.getNumElements(); k++) {
                double d = x.data[k] - minimum[p].data[k];
                sum += 0.5 * curvature[p].data[k] * d * d;
            }
            return sum;
        }

        double cost() {
            return cost(0) + cost(1);
        }

        /** Writes the gradient of {@code J} into every parameter's gradient. */
        void gradients() {
            for (int p = 0; p < parameters.size(); p++) {
                DMatrixRMaj x = parameters.get(p).value();
                DMatrixRMaj g = parameters.get(p).gradient();
                for (int k = 0; k < x.getNumElements(); k++) {
                    g.data[k] = curvature[p].data[k] * (x.data[k] - minimum[p].data[k]);
                }
            }
        }

        /** Updates {@code count} times with steps {@code first, first + 1, ...}, each at the base rate. */
        void run(Optimizer optimizer, long first, int count) {
            for (int s = 0; s < count; s++) {
                gradients();
                optimizer.update(parameters, first + s, optimizer.baseLearningRate());
            }
        }

        /** Null when both quadratics hold the same values, bit for bit, else where they differ. */
        String difference(Quadratic other) {
            for (int p = 0; p < parameters.size(); p++) {
                DMatrixRMaj a = parameters.get(p).value();
                DMatrixRMaj b = other.parameters.get(p).value();
                int k = Numerics.firstDifference(a, b);
                if (k >= 0) {
                    return parameters.get(p).name() + at(a, k) + " = " + b.data[k] + " instead of " + a.data[k];
                }
            }
            return null;
        }
    }

    private static final PluginChecks.Behaviour<Optimizer> BEHAVIOUR = new PluginChecks.Behaviour<>() {
        @Override
        public String sample() {
            return "10 updates on a quadratic";
        }

        @Override
        public String difference(Optimizer a, Optimizer b) {
            Quadratic first = new Quadratic();
            Quadratic second = new Quadratic();
            first.run(a, 1, 10);
            second.run(b, 1, 10);
            String d = first.difference(second);
            return d == null ? null : "after 10 updates " + d;
        }
    };

    /**
     * {@value #UPDATES} updates on {@link Quadratic}: the first lowers {@code J}, every value stays
     * finite, and at the end the part of {@code J} of each parameter array is at most half of what
     * it was at the start (so an optimizer that skips an array, or climbs, fails).
     */
    private String descends() {
        String check = "descends on a convex quadratic";
        Optimizer optimizer = maker.make();
        Quadratic q = new Quadratic();
        double[] start = {q.cost(0), q.cost(1)};
        double j0 = q.cost();
        q.run(optimizer, 1, 1);
        double j1 = q.cost();
        if (!(j1 < j0)) {
            throw new CheckFailure(check + ": the first update moves J = 1/2 sum a (x - c)^2 from " + fmt(j0) + " to " + fmt(j1)
                    + "; a step along the gradient lowers J (is the update's sign right, or the learning rate too large?)");
        }
        q.run(optimizer, 2, UPDATES - 1);
        for (int p = 0; p < 2; p++) {
            Parameter parameter = q.parameters.get(p);
            int k = Numerics.firstNonFinite(parameter.value());
            if (k >= 0) {
                throw new CheckFailure(check + ": after " + UPDATES + " updates " + parameter.name() + at(parameter.value(), k)
                        + " = " + parameter.value().data[k]);
            }
            double end = q.cost(p);
            if (!(end <= 0.5 * start[p])) {
                throw new CheckFailure(check + ": after " + UPDATES + " updates the part of J = 1/2 sum a (x - c)^2 of "
                        + parameter.name() + " " + Numerics.shape(parameter.value()) + " is " + fmt(end) + ", from "
                        + fmt(start[p]) + " at the start; it must at least halve (every parameter array is updated from its "
                        + "own gradient)");
            }
        }
        return "J = 1/2 sum a (x - c)^2 over a 3 x 4 weight and a 3 x 1 bias falls from " + fmt(j0) + " to " + fmt(j1)
                + " in one update and to " + fmt(q.cost()) + " in " + UPDATES;
    }

    /**
     * The rate passed to {@code update} is the one used: from fresh instances, one update at
     * {@code alpha0 / 4} moves every entry a quarter as far as one at {@code alpha0} (within a
     * relative {@code 1e-9}), and one at rate 0 moves nothing. An optimizer that steps with the
     * spec's {@code learning_rate} instead ignores every schedule.
     */
    private String followsRate() {
        String check = "follows the step's learning rate";
        Optimizer full = maker.make();
        double alpha0 = full.baseLearningRate();
        if (!(alpha0 > 0 && alpha0 < Double.POSITIVE_INFINITY)) {
            throw new CheckFailure(check + ": baseLearningRate() is " + alpha0 + "; it must be the spec's learning_rate, "
                    + "finite and > 0");
        }
        Quadratic start = new Quadratic();
        Quadratic a = new Quadratic();
        Quadratic b = new Quadratic();
        Quadratic c = new Quadratic();
        a.gradients();
        full.update(a.parameters, 1, alpha0);
        b.gradients();
        maker.make().update(b.parameters, 1, alpha0 / 4);
        c.gradients();
        maker.make().update(c.parameters, 1, 0.0);
        int moved = 0;
        for (int p = 0; p < 2; p++) {
            DMatrixRMaj x0 = start.parameters.get(p).value();
            DMatrixRMaj xa = a.parameters.get(p).value();
            DMatrixRMaj xb = b.parameters.get(p).value();
            DMatrixRMaj xc = c.parameters.get(p).value();
            String name = start.parameters.get(p).name();
            int k = Numerics.firstDifference(x0, xc);
            if (k >= 0) {
                throw new CheckFailure(check + ": an update at the rate 0 moved " + name + at(x0, k) + " from " + x0.data[k]
                        + " to " + xc.data[k] + "; the step must use the learningRate passed to update (the schedule's), "
                        + "not the spec's learning_rate");
            }
            for (k = 0; k < x0.getNumElements(); k++) {
                double da = xa.data[k] - x0.data[k];
                double db = xb.data[k] - x0.data[k];
                if (da != 0) {
                    moved++;
                }
                if (Math.abs(4 * db - da) > 1e-9 * Math.abs(da) + 1e-300) {
                    throw new CheckFailure(check + ": the first update at alpha0 = " + fmt(alpha0) + " moves " + name + at(x0, k)
                            + " by " + fmt(da) + ", at alpha0 / 4 by " + fmt(db) + "; a quarter of the rate must move it a "
                            + "quarter as far (use the learningRate passed to update: the schedule decides each step's rate)");
                }
            }
        }
        if (moved == 0) {
            throw new CheckFailure(check + ": an update at the base rate " + fmt(alpha0) + " moved no entry of the quadratic");
        }
        return "one update at alpha0 = " + fmt(alpha0) + " and at alpha0 / 4 from the same start: every entry moves a quarter "
                + "as far; at the rate 0 nothing moves";
    }

    // ------------------------------------------------------------------------------------ state

    private static List<double[]> deepCopy(List<double[]> state) {
        List<double[]> copy = new ArrayList<>();
        for (double[] array : state) {
            copy.add(array.clone());
        }
        return copy;
    }

    /**
     * {@value #BEFORE} updates, then {@code state()} handed to {@code restoreState} of a fresh
     * instance, then {@value #AFTER} more updates on each: both end where an uninterrupted run of
     * {@code BEFORE + AFTER} updates ends, bit for bit, and their {@code state()} agree. The arrays
     * {@code state()} returned are overwritten with NaN before the original continues, so an
     * optimizer that hands out its live arrays fails too.
     */
    private String stateRoundTrip() {
        String check = "state round trip";
        Quadratic reference = new Quadratic();
        reference.run(maker.make(), 1, BEFORE + AFTER);

        Optimizer original = maker.make();
        Quadratic continued = new Quadratic();
        continued.run(original, 1, BEFORE);
        List<double[]> state = original.state();
        List<double[]> handed = deepCopy(state);
        for (double[] array : state) {
            Arrays.fill(array, Double.NaN);
        }
        Optimizer fresh = maker.make();
        fresh.restoreState(handed);
        Quadratic resumed = new Quadratic();
        for (int p = 0; p < 2; p++) {
            resumed.parameters.get(p).value().setTo(continued.parameters.get(p).value());
        }
        continued.run(original, BEFORE + 1, AFTER);
        resumed.run(fresh, BEFORE + 1, AFTER);
        String d = reference.difference(continued);
        if (d != null) {
            throw new CheckFailure(check + ": after the arrays state() returned were overwritten, the optimizer continued to "
                    + d + " (uninterrupted run); state() must return copies");
        }
        d = reference.difference(resumed);
        if (d != null) {
            throw new CheckFailure(check + ": a fresh instance given restoreState(state()) after " + BEFORE + " updates ends "
                    + AFTER + " updates later at " + d + " (uninterrupted run); state() must hold everything update() keeps "
                    + "between steps (" + handed.size() + " arrays were handed over), and restoreState must restore all of it");
        }
        List<double[]> a = original.state();
        List<double[]> b = fresh.state();
        if (a.size() != b.size()) {
            throw new CheckFailure(check + ": after the same updates the original has " + a.size() + " state arrays and the "
                    + "restored instance " + b.size());
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                throw new CheckFailure(check + ": after the same updates state array " + i + " of the original and of the "
                        + "restored instance differ");
            }
        }
        return handed.isEmpty()
                ? "stateless (state() is empty): a fresh instance continues bit-identically"
                : handed.size() + " state arrays: a fresh instance given restoreState(state()) after " + BEFORE
                        + " updates continues bit-identically with the uninterrupted run; state() returns copies";
    }

    /**
     * A state that does not fit the parameters is refused, by {@code restoreState} or at the latest
     * by the first {@code update}, rather than silently used: the state after {@value #BEFORE}
     * updates without its last array, and with its first array one entry short (for a stateless
     * optimizer: one array of 3 entries).
     */
    private String misfit() {
        String check = "state that does not fit is refused";
        Optimizer source = maker.make();
        new Quadratic().run(source, 1, BEFORE);
        List<double[]> state = source.state();
        List<List<double[]>> wrong = new ArrayList<>();
        List<String> what = new ArrayList<>();
        if (state.isEmpty()) {
            wrong.add(List.of(new double[3]));
            what.add("one array of 3 entries for a stateless optimizer");
        } else {
            wrong.add(deepCopy(state.subList(0, state.size() - 1)));
            what.add("the state of " + BEFORE + " updates without its last array (" + (state.size() - 1) + " of "
                    + state.size() + ")");
            List<double[]> shorter = deepCopy(state);
            shorter.set(0, Arrays.copyOf(shorter.get(0), Math.max(0, shorter.get(0).length - 1)));
            wrong.add(shorter);
            what.add("the state of " + BEFORE + " updates with its first array one entry short");
        }
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < wrong.size(); i++) {
            Optimizer fresh = maker.make();
            try {
                fresh.restoreState(wrong.get(i));
                new Quadratic().run(fresh, BEFORE + 1, 1);
            } catch (IllegalArgumentException | IllegalStateException e) {
                refusals.add(e.getClass().getSimpleName());
                continue;
            }
            throw new CheckFailure(check + ": restoreState accepted " + what.get(i) + " and the next update ran; a state that "
                    + "does not fit must be refused (IllegalArgumentException from restoreState, or an exception at the "
                    + "first update), or a resumed run silently continues from the wrong moments");
        }
        return "refused " + String.join(" and ", what) + " (" + String.join(", ", refusals) + ")";
    }

    // ----------------------------------------------------------------------------------- resume

    /**
     * A run of {@value #EPOCHS} epochs (mini-batches of 4 of 9 examples, shuffled, the learning rate
     * halved every epoch by the kit's schedule) against one that saves a model file with its
     * {@link TrainingState} after epoch {@value #CHECKPOINT} (from the listener's context), is loaded
     * with {@link ModelFile#load}, and is resumed with {@link Trainer#resume}: the parameters end
     * bit-identical.
     */
    private String resume() {
        String check = "resume from a checkpoint";
        PluginRegistry registry = KitPlugins.registry(maker.registry, Optimizer.class, maker.spec);
        Dataset data = new Dataset(Numerics.gaussian(4, 9, 1.0, 71), Numerics.gaussian(2, 9, 1.0, 72));
        Hyperparameters hp = new Hyperparameters(maker.spec, KitPlugins.HALVING, EPOCHS, 4, 73, true);

        Network uninterrupted = network(registry);
        new Trainer(hp).fit(uninterrupted, data);

        Network first = network(registry);
        Path dir = null;
        Network loaded;
        TrainingState state;
        try {
            dir = Files.createTempDirectory("nnkit-conformance");
            Path file = dir.resolve("checkpoint.nnkit");
            new Trainer(hp.withEpochs(CHECKPOINT)).listener(new TrainingListener() {
                @Override
                public void onEpochEnd(TrainingContext context) {
                    if (context.epoch() == CHECKPOINT) {
                        try {
                            ModelFile.save(first, context.state(), file);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            }).fit(first, data);
            ModelFile.Contents contents = ModelFile.load(file, registry);
            loaded = contents.network();
            Optional<TrainingState> saved = contents.trainingState();
            if (saved.isEmpty()) {
                throw new CheckFailure(check + ": the model file saved with a training state loads without one");
            }
            state = saved.get();
        } catch (IOException e) {
            throw new UncheckedIOException("the kit could not write or read a model file in " + dir, e);
        } finally {
            LayerChecks.deleteTree(dir);
        }
        new Trainer(hp).resume(loaded, data, state);
        for (int l = 1; l <= uninterrupted.depth(); l++) {
            for (Parameter p : uninterrupted.parameters(l)) {
                DMatrixRMaj expected = p.value();
                DMatrixRMaj got = loaded.parameter(l, p.name());
                int k = Numerics.firstDifference(expected, got);
                if (k >= 0) {
                    throw new CheckFailure(check + ": after " + CHECKPOINT + " epochs, a model file with the training state ("
                            + state.optimizerState().size() + " optimizer arrays) and " + (EPOCHS - CHECKPOINT)
                            + " resumed epochs, " + p.name() + "[" + l + "]" + at(expected, k) + " = " + got.data[k]
                            + " where the uninterrupted run of " + EPOCHS + " epochs has " + expected.data[k]
                            + "; state() and restoreState must carry everything update() keeps");
                }
            }
        }
        return "a run checkpointed to a model file after epoch " + CHECKPOINT + " (" + state.optimizerState().size()
                + " optimizer arrays), loaded and resumed, ends bit-identical to an uninterrupted run of " + EPOCHS
                + " epochs (mini-batches of 4 of 9 examples, shuffled, the rate halved every epoch)";
    }

    /** Two layers of the kit's dense layer (4-3-2, identity) with squared error. */
    private static Network network(PluginRegistry registry) {
        NetworkConfig config = new NetworkConfig(4, List.of(
                new LayerConfig(KitPlugins.DENSE + "(units=3)", KitPlugins.IDENTITY, KitPlugins.NORMAL, List.of()),
                new LayerConfig(KitPlugins.DENSE + "(units=2)", KitPlugins.IDENTITY, KitPlugins.NORMAL, List.of())),
                KitPlugins.SQUARED_ERROR, 74);
        return Network.fromConfig(config, registry);
    }
}
