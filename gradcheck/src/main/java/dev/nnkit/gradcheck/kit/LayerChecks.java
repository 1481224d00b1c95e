package dev.nnkit.gradcheck.kit;

import static dev.nnkit.gradcheck.kit.Numerics.at;
import static dev.nnkit.gradcheck.kit.Numerics.fmt;

import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.Step;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.kit.Numerics.Difference;
import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.FloatLayer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.StateArray;
import dev.nnkit.spi.StepContext;
import dev.nnkit.training.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ejml.data.DMatrixRMaj;

/** The checks of a {@link Layer}; see {@link Conformance#layer(String, int, int)}. */
final class LayerChecks {

    /** The seed of {@link Layer#initialize}. */
    static final long INIT_SEED = 11;
    /** Threads and predictions per thread of the concurrent-inference check. */
    static final int THREADS = 4;
    static final int PREDICTIONS = 25;
    /** Warm-up and measured steps of the allocation check. */
    static final int WARM_UP = 5;
    static final int MEASURED = 200;
    /**
     * Bytes the measured steps may allocate beyond what the measurement itself allocates: less than
     * one allocation every {@code MEASURED / 16} steps (the smallest object is 16 bytes), so a step
     * that allocates anything at all exceeds it.
     */
    static final long ALLOCATION_SLACK = 256;
    /**
     * Rounds of {@link #MEASURED} passes at most; the best one counts. The JVM itself occasionally
     * allocates on the thread (about 1 KB, e.g. when compiled code is deoptimized and objects that
     * escape analysis had removed are re-created); that happens once, while a layer that allocates
     * per pass allocates in every round.
     */
    static final int ROUNDS = 3;

    private final Maker<Layer> maker;
    private final int inputSize;
    private final int batch;

    LayerChecks(Maker<Layer> maker, int inputSize, int batch) {
        this.maker = maker;
        this.inputSize = inputSize;
        this.batch = batch;
    }

    List<Check> all() {
        String label = maker.label();
        List<Check> checks = new ArrayList<>(List.of(
                PluginChecks.registered(maker),
                PluginChecks.roundTrip(maker, behaviour()),
                new Check(label, "output size and shapes", this::shapes),
                new Check(label, "initialize deterministic by seed", this::initialize),
                new Check(label, "parameter gradient", this::parameterGradient),
                new Check(label, "input gradient", this::inputGradient),
                new Check(label, "first layer", this::firstLayer),
                new Check(label, "inference deterministic", this::inference),
                new Check(label, "state only in training", this::stateOnlyInTraining),
                new Check(label, "model file round trip", this::modelFile),
                new Check(label, "concurrent inference", this::concurrent),
                new Check(label, "no allocation in steady state", this::allocation)));
        if (maker.tryMake() instanceof FloatLayer) {
            checks.addAll(new FloatLayerChecks(this, maker, inputSize, batch).all());
        }
        return checks;
    }

    // ------------------------------------------------------------------------------------ setup

    /** A fresh instance, connected to {@link #inputSize} and initialized with {@link #INIT_SEED}. */
    Layer connected() {
        Layer layer = maker.make();
        int n = layer.outputSize(inputSize);
        if (n < 1) {
            throw new CheckFailure("outputSize(" + inputSize + ") = " + n + "; a layer has at least one unit");
        }
        layer.connect(inputSize);
        layer.initialize(new KitPlugins.Normal(), new SplittableRandom(INIT_SEED));
        return layer;
    }

    DMatrixRMaj input(int m, long seed) {
        return Numerics.gaussian(inputSize, m, 1.0, seed);
    }

    private static DMatrixRMaj forward(Layer layer, DMatrixRMaj x, StepContext context) {
        DMatrixRMaj z = Numerics.filled(layer.outputSize(x.numRows), x.numCols, Double.NaN);
        layer.forward(x, z, context);
        return z;
    }

    /** Copies of every parameter value and state array, in order. */
    private static List<DMatrixRMaj> snapshot(Layer layer) {
        List<DMatrixRMaj> copies = new ArrayList<>();
        for (Parameter p : layer.parameters()) {
            copies.add(p.value().copy());
        }
        for (StateArray s : layer.state()) {
            copies.add(s.value().copy());
        }
        return copies;
    }

    /** The names matching {@link #snapshot}. */
    private static List<String> names(Layer layer) {
        List<String> names = new ArrayList<>();
        for (Parameter p : layer.parameters()) {
            names.add("parameter " + p.name());
        }
        for (StateArray s : layer.state()) {
            names.add("state " + s.name());
        }
        return names;
    }

    /** Null when the layer's arrays hold the snapshot's bits, else where they differ. */
    private static String changed(Layer layer, List<DMatrixRMaj> before) {
        List<DMatrixRMaj> now = snapshot(layer);
        List<String> names = names(layer);
        if (now.size() != before.size()) {
            return "the number of parameter and state arrays changed from " + before.size() + " to " + now.size();
        }
        for (int i = 0; i < now.size(); i++) {
            int k = Numerics.firstDifference(before.get(i), now.get(i));
            if (k >= 0) {
                return names.get(i) + at(before.get(i), k) + " changed from " + (k < before.get(i).getNumElements()
                        ? before.get(i).data[k] : "?") + " to " + (k < now.get(i).getNumElements() ? now.get(i).data[k] : "?");
            }
        }
        return null;
    }

    private PluginChecks.Behaviour<Layer> behaviour() {
        return new PluginChecks.Behaviour<>() {
            @Override
            public String sample() {
                return "outputSize, initial parameters and state, and a CHECKING forward pass on a " + inputSize + " x " + batch
                        + " sample";
            }

            @Override
            public String difference(Layer a, Layer b) {
                if (a.outputSize(inputSize) != b.outputSize(inputSize)) {
                    return "outputSize(" + inputSize + ") is " + a.outputSize(inputSize) + " and " + b.outputSize(inputSize);
                }
                for (Layer l : new Layer[] {a, b}) {
                    l.connect(inputSize);
                    l.initialize(new KitPlugins.Normal(), new SplittableRandom(INIT_SEED));
                }
                List<DMatrixRMaj> first = snapshot(a);
                List<DMatrixRMaj> second = snapshot(b);
                if (first.size() != second.size()) {
                    return "they have " + first.size() + " and " + second.size() + " parameter and state arrays";
                }
                List<String> names = names(a);
                for (int i = 0; i < first.size(); i++) {
                    int k = Numerics.firstDifference(first.get(i), second.get(i));
                    if (k >= 0) {
                        return "after initialize with the same seed, " + names.get(i) + at(first.get(i), k) + " differs";
                    }
                }
                DMatrixRMaj x = input(batch, 3);
                DMatrixRMaj za = forward(a, x, Step.checking());
                DMatrixRMaj zb = forward(b, x, Step.checking());
                int k = Numerics.firstDifference(za, zb);
                return k < 0 ? null : "the CHECKING forward pass gives Z" + at(za, k) + " = " + za.data[k] + " and " + zb.data[k];
            }
        };
    }

    // ----------------------------------------------------------------------------------- shapes

    /**
     * {@code outputSize(inputSize)} is at least 1 and the same before and after {@code connect};
     * forward passes in every mode write every entry of an {@code (outputSize, m)} output (filled
     * with NaN before) without reshaping it or modifying the input; backward writes every entry of
     * {@code dInput} and of each parameter gradient, keeps their shapes and modifies none of its
     * inputs.
     */
    private String shapes() {
        String check = "output size and shapes";
        Layer fresh = maker.make();
        int n = fresh.outputSize(inputSize);
        if (n < 1) {
            throw new CheckFailure(check + ": outputSize(" + inputSize + ") = " + n + "; a layer has at least one unit");
        }
        Layer layer = connected();
        if (layer.outputSize(inputSize) != n) {
            throw new CheckFailure(check + ": outputSize(" + inputSize + ") is " + n + " before connect and "
                    + layer.outputSize(inputSize) + " after; it is a pure function of the input size");
        }
        for (Parameter p : layer.parameters()) {
            int k = Numerics.firstNonFinite(p.value());
            if (k >= 0) {
                throw new CheckFailure(check + ": after initialize, parameter " + p.name() + at(p.value(), k) + " = "
                        + p.value().data[k] + "; initialize sets every parameter");
            }
        }
        Object[][] passes = {{Step.training(new SplittableRandom(5)), batch}, {Step.checking(), batch},
            {Step.inference(), batch}, {Step.inference(), 1}};
        for (Object[] pass : passes) {
            Step step = (Step) pass[0];
            int m = (Integer) pass[1];
            DMatrixRMaj x = input(m, 4);
            DMatrixRMaj xCopy = x.copy();
            DMatrixRMaj z = Numerics.filled(n, m, Double.NaN);
            layer.forward(x, z, step);
            String where = "a " + step.mode() + " forward pass on a " + Numerics.shape(x) + " input";
            if (z.numRows != n || z.numCols != m) {
                throw new CheckFailure(check + ": " + where + " reshaped its output from (" + n + " x " + m + ") to "
                        + Numerics.shape(z) + "; the output has outputSize(" + inputSize + ") = " + n + " rows and m columns");
            }
            int k = Numerics.firstNonFinite(z);
            if (k >= 0) {
                throw new CheckFailure(check + ": " + where + " left Z" + at(z, k) + " = " + z.data[k] + " in an output filled "
                        + "with NaN; forward writes every entry of its (outputSize, m) output");
            }
            k = Numerics.firstDifference(xCopy, x);
            if (k >= 0) {
                throw new CheckFailure(check + ": " + where + " modified its input at " + at(x, k));
            }
            if (step.mode() == StepContext.Mode.INFERENCE) {
                continue;
            }
            DMatrixRMaj dZ = Numerics.signedUniform(n, m, 0.5, 1.5, 6);
            DMatrixRMaj dZCopy = dZ.copy();
            DMatrixRMaj zCopy = z.copy();
            DMatrixRMaj dX = Numerics.filled(inputSize, m, Double.NaN);
            for (Parameter p : layer.parameters()) {
                p.gradient().fill(Double.NaN);
            }
            layer.backward(x, z, dZ, dX, step);
            where = "the " + step.mode() + " backward pass";
            if (dX.numRows != inputSize || dX.numCols != m) {
                throw new CheckFailure(check + ": " + where + " reshaped dInput to " + Numerics.shape(dX) + "; it is (" + inputSize
                        + " x " + m + ")");
            }
            k = Numerics.firstNonFinite(dX);
            if (k >= 0) {
                throw new CheckFailure(check + ": " + where + " left dInput" + at(dX, k) + " = " + dX.data[k]
                        + " in a dInput filled with NaN; it writes every entry");
            }
            for (Parameter p : layer.parameters()) {
                DMatrixRMaj g = p.gradient();
                if (g.numRows != p.value().numRows || g.numCols != p.value().numCols) {
                    throw new CheckFailure(check + ": " + where + " reshaped the gradient of " + p.name() + " to "
                            + Numerics.shape(g) + "; it has the shape of the value, " + Numerics.shape(p.value()));
                }
                k = Numerics.firstNonFinite(g);
                if (k >= 0) {
                    throw new CheckFailure(check + ": " + where + " left the gradient of " + p.name() + at(g, k) + " = "
                            + g.data[k] + " in a gradient filled with NaN; backward overwrites every entry (it does not add)");
                }
            }
            String[] inputs = {"Z", "dZ", "A[l-1]"};
            DMatrixRMaj[][] pairs = {{zCopy, z}, {dZCopy, dZ}, {xCopy, x}};
            for (int i = 0; i < pairs.length; i++) {
                k = Numerics.firstDifference(pairs[i][0], pairs[i][1]);
                if (k >= 0) {
                    throw new CheckFailure(check + ": " + where + " modified its input " + inputs[i] + at(pairs[i][0], k));
                }
            }
        }
        return "outputSize(" + inputSize + ") = " + n + "; forward writes every entry of a (" + n + " x m) output in TRAINING, "
                + "CHECKING and INFERENCE (m = " + batch + ", and 1 at inference); backward writes dInput and every parameter "
                + "gradient; no input is modified";
    }

    /** Two instances initialized from generators of one seed hold the same parameters and state. */
    private String initialize() {
        Layer a = connected();
        Layer b = connected();
        List<DMatrixRMaj> first = snapshot(a);
        List<DMatrixRMaj> second = snapshot(b);
        List<String> names = names(a);
        if (first.size() != second.size()) {
            throw new CheckFailure("initialize deterministic by seed: two instances have " + first.size() + " and "
                    + second.size() + " parameter and state arrays");
        }
        int entries = 0;
        for (int i = 0; i < first.size(); i++) {
            int k = Numerics.firstDifference(first.get(i), second.get(i));
            if (k >= 0) {
                throw new CheckFailure("initialize deterministic by seed: after initialize with generators of seed " + INIT_SEED
                        + ", " + names.get(i) + at(first.get(i), k) + " is " + first.get(i).data[k] + " and "
                        + second.get(i).data[k] + "; draw only from the generator passed to initialize");
            }
            entries += first.get(i).getNumElements();
        }
        return "two instances initialized from generators of seed " + INIT_SEED + " hold the same " + entries
                + " parameter and state entries (" + String.join(", ", names) + ")";
    }

    // -------------------------------------------------------------------------------- gradients

    /**
     * The scalar {@code J = (1/m) sum(R * Z)} of a CHECKING forward pass, for a fixed random
     * {@code R}: its per-example gradient {@code m dJ/dZ} is {@code R}, so {@code backward} with
     * {@code dOutput = R} gives {@code dJ/dtheta} for every parameter and {@code m dJ/dX} as dInput.
     */
    private static Numerics.Term objective(Layer layer, DMatrixRMaj x, DMatrixRMaj r, Step step) {
        DMatrixRMaj z = forward(layer, x, step);
        double sum = 0;
        double size = 0;
        for (int k = 0; k < z.getNumElements(); k++) {
            sum += r.data[k] * z.data[k];
            size += Math.abs(r.data[k] * z.data[k]);
        }
        return new Numerics.Term(sum / x.numCols, size / x.numCols);
    }

    /** {@code R}, the weights of the objective. */
    DMatrixRMaj weights(Layer layer) {
        return Numerics.signedUniform(layer.outputSize(inputSize), batch, 0.5, 1.5, 8);
    }

    /** Runs a CHECKING forward and backward pass with {@code dOutput = R}; returns dInput. */
    private DMatrixRMaj backward(Layer layer, DMatrixRMaj x, DMatrixRMaj r, StepContext context) {
        DMatrixRMaj z = forward(layer, x, context);
        DMatrixRMaj dX = context.needsInputGradient() ? Numerics.filled(inputSize, batch, Double.NaN) : new DMatrixRMaj(0, 0);
        for (Parameter p : layer.parameters()) {
            p.gradient().fill(Double.NaN);
        }
        layer.backward(x, z, r, dX, context);
        return dX;
    }

    /**
     * Each parameter gradient of a CHECKING backward pass against central differences of
     * {@code J = (1/m) sum(R * Z)}, every entry of every parameter, on an {@code (inputSize, m)}
     * input.
     */
    private String parameterGradient() {
        Layer layer = connected();
        DMatrixRMaj x = input(batch, 7);
        DMatrixRMaj r = weights(layer);
        backward(layer, x, r, Step.checking());
        Step probe = Step.checking();
        Comparison comparison = new Comparison("backward", "central difference of (1/m) sum(R * Z)", "entries");
        int arrays = 0;
        for (Parameter p : layer.parameters()) {
            arrays++;
            DMatrixRMaj value = p.value();
            DMatrixRMaj gradient = p.gradient().copy();
            for (int k = 0; k < value.getNumElements(); k++) {
                int entry = k;
                double saved = value.data[k];
                Difference d;
                try {
                    d = Numerics.difference(saved, v -> {
                        value.data[entry] = v;
                        return objective(layer, x, r, probe);
                    });
                } finally {
                    value.data[entry] = saved;
                }
                comparison.add(p.name() + at(value, k) + " = " + fmt(saved), gradient.data[k], d);
            }
        }
        String context = "J = (1/m) sum(R * Z) of a CHECKING pass, m = " + batch + ", dOutput = R";
        if (comparison.failed()) {
            throw new CheckFailure(comparison.failure("parameter gradient of ", context));
        }
        if (arrays == 0) {
            return "the layer has no parameters";
        }
        return "the gradient of every parameter matches central differences of (1/m) sum(R * Z) (CHECKING passes, m = "
                + batch + ") " + comparison.success();
    }

    /**
     * dInput of a CHECKING backward pass with {@code dOutput = R} against {@code m} times central
     * differences of {@code J = (1/m) sum(R * Z)} in each entry of the input: the SPI's per-example
     * {@code dA[l-1] = m dJ/dA[l-1]}.
     */
    private String inputGradient() {
        Layer layer = connected();
        DMatrixRMaj x = input(batch, 7);
        DMatrixRMaj r = weights(layer);
        DMatrixRMaj dX = backward(layer, x, r, Step.checking());
        Step probe = Step.checking();
        double m = batch;
        Comparison comparison = new Comparison("backward gives dInput =", "m times the central difference of (1/m) sum(R * Z) is",
                "entries");
        for (int k = 0; k < x.getNumElements(); k++) {
            int entry = k;
            Difference d = Numerics.difference(x.data[k], v -> {
                DMatrixRMaj moved = x.copy();
                moved.data[entry] = v;
                Numerics.Term t = objective(layer, moved, r, probe);
                return new Numerics.Term(m * t.value(), m * t.magnitude());
            });
            comparison.add("A[l-1]" + at(x, k) + " = " + fmt(x.data[k]), dX.data[k], d);
        }
        String context = "CHECKING passes, m = " + batch + ", dOutput = R";
        if (comparison.failed()) {
            throw new CheckFailure(comparison.failure("input gradient at ", context));
        }
        return "dInput matches m times central differences of (1/m) sum(R * Z) (" + context + ") " + comparison.success();
    }

    /**
     * As the first layer of a network ({@code needsInputGradient() == false}, dInput an empty
     * {@code (0, 0)} matrix), backward leaves dInput alone and computes the same parameter
     * gradients, bit for bit.
     */
    private String firstLayer() {
        Layer layer = connected();
        DMatrixRMaj x = input(batch, 7);
        DMatrixRMaj r = weights(layer);
        backward(layer, x, r, Step.checking());
        List<DMatrixRMaj> full = new ArrayList<>();
        for (Parameter p : layer.parameters()) {
            full.add(p.gradient().copy());
        }
        DMatrixRMaj dX = backward(layer, x, r, new KitContext(Step.checking(), null, false));
        if (dX.numRows != 0 || dX.numCols != 0) {
            throw new CheckFailure("first layer: with needsInputGradient() false the backward pass reshaped the empty dInput to "
                    + Numerics.shape(dX) + "; it must not touch dInput");
        }
        List<Parameter> parameters = layer.parameters();
        for (int i = 0; i < parameters.size(); i++) {
            int k = Numerics.firstDifference(full.get(i), parameters.get(i).gradient());
            if (k >= 0) {
                throw new CheckFailure("first layer: with needsInputGradient() false the gradient of " + parameters.get(i).name()
                        + at(full.get(i), k) + " is " + parameters.get(i).gradient().data[k] + ", with it true "
                        + full.get(i).data[k] + "; the parameter gradients do not depend on whether dInput is needed");
            }
        }
        return "with needsInputGradient() false, backward leaves the empty dInput alone and gives the same parameter gradients";
    }

    // -------------------------------------------------------------------------------- inference

    /** Two TRAINING steps, so that state such as running averages has moved from its start. */
    void train(Layer layer) {
        Step step = Step.training(new SplittableRandom(9));
        for (int s = 0; s < 2; s++) {
            DMatrixRMaj x = input(batch, 20 + s);
            DMatrixRMaj z = forward(layer, x, step);
            DMatrixRMaj dX = new DMatrixRMaj(inputSize, batch);
            layer.backward(x, z, Numerics.signedUniform(z.numRows, batch, 0.5, 1.5, 30 + s), dX, step);
        }
    }

    /**
     * After two training steps: two INFERENCE forward passes (separate contexts) give the same bits
     * and change no parameter or state; and changing one example (column) of the input changes only
     * that column of the output, bit for bit (inference uses no batch statistics).
     */
    private String inference() {
        String check = "inference deterministic";
        Layer layer = connected();
        train(layer);
        List<DMatrixRMaj> before = snapshot(layer);
        DMatrixRMaj x = input(batch, 10);
        DMatrixRMaj first = forward(layer, x, Step.inference());
        DMatrixRMaj second = forward(layer, x, Step.inference());
        int k = Numerics.firstDifference(first, second);
        if (k >= 0) {
            throw new CheckFailure(check + ": two INFERENCE forward passes on the same input give Z" + at(first, k) + " = "
                    + first.data[k] + " and " + second.data[k] + "; inference depends only on the parameters, the state and "
                    + "the input");
        }
        String change = changed(layer, before);
        if (change != null) {
            throw new CheckFailure(check + ": an INFERENCE forward pass changed the layer: " + change
                    + "; only TRAINING passes may change state, and only optimizers change parameters");
        }
        DMatrixRMaj moved = x.copy();
        for (int i = 0; i < inputSize; i++) {
            moved.set(i, 0, moved.get(i, 0) + 0.5);
        }
        DMatrixRMaj third = forward(layer, moved, Step.inference());
        for (int q = 0; q < third.getNumElements(); q++) {
            if (q % third.numCols != 0 && Double.doubleToLongBits(third.data[q]) != Double.doubleToLongBits(first.data[q])) {
                throw new CheckFailure(check + ": at inference, changing example 0 (column 0 of the input) changes Z" + at(third, q)
                        + ", which belongs to another example; inference computes each column from its own input column "
                        + "(use the running statistics in state, not the batch's)");
            }
        }
        return "after two training steps, two INFERENCE passes give the same bits, change no parameter or state, and each "
                + "example's output depends only on its own input";
    }

    /**
     * CHECKING forward and backward passes and INFERENCE forward passes change neither parameters
     * nor state; a TRAINING forward and backward pass changes no parameter (it may change state).
     */
    private String stateOnlyInTraining() {
        String check = "state only in training";
        Layer layer = connected();
        train(layer);
        DMatrixRMaj x = input(batch, 12);
        DMatrixRMaj r = weights(layer);
        List<DMatrixRMaj> before = snapshot(layer);
        backward(layer, x, r, Step.checking());
        String change = changed(layer, before);
        if (change != null) {
            throw new CheckFailure(check + ": a CHECKING forward and backward pass changed the layer: " + change
                    + "; CHECKING is the arithmetic of training without its side effects (context.mode().updatesState() is "
                    + "false)");
        }
        forward(layer, x, Step.inference());
        change = changed(layer, before);
        if (change != null) {
            throw new CheckFailure(check + ": an INFERENCE forward pass changed the layer: " + change);
        }
        List<DMatrixRMaj> parameters = new ArrayList<>();
        for (Parameter p : layer.parameters()) {
            parameters.add(p.value().copy());
        }
        backward(layer, x, r, Step.training(new SplittableRandom(13)));
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = layer.parameters().get(i);
            int k = Numerics.firstDifference(parameters.get(i), p.value());
            if (k >= 0) {
                throw new CheckFailure(check + ": a TRAINING forward and backward pass changed parameter " + p.name()
                        + at(p.value(), k) + "; only optimizers change parameters");
            }
        }
        if (layer.state().isEmpty()) {
            return "the layer has no state; CHECKING and INFERENCE passes change nothing and TRAINING passes change no parameter";
        }
        boolean moved = changed(layer, before) != null;
        return "CHECKING and INFERENCE passes leave the " + layer.state().size() + " state array(s) alone; a TRAINING pass "
                + (moved ? "updates them" : "leaves them alone too") + " and changes no parameter";
    }

    // ------------------------------------------------------------------------------- networks

    /**
     * A network of the layer under check (first, identity activation) and the kit's dense layer of
     * 2 units, with squared error, made from a registry of the kit's plugins and the layer.
     */
    private Network network(PluginRegistry registry) {
        NetworkConfig config = new NetworkConfig(inputSize, List.of(
                new LayerConfig(maker.spec, KitPlugins.IDENTITY, KitPlugins.NORMAL, List.of()),
                new LayerConfig(KitPlugins.DENSE + "(units=2)", KitPlugins.IDENTITY, KitPlugins.NORMAL, List.of())),
                KitPlugins.SQUARED_ERROR, INIT_SEED);
        return Network.fromConfig(config, registry);
    }

    private Network trained(PluginRegistry registry) {
        Network network = network(registry);
        Dataset data = new Dataset(input(batch, 14), Numerics.gaussian(2, batch, 1.0, 15));
        new Trainer(new Hyperparameters(KitPlugins.SGD + "(learning_rate=0.05)", KitPlugins.CONSTANT, 2, 0, 16, false)).fit(network, data);
        return network;
    }

    /**
     * A network with the layer, trained two steps, saved with {@link ModelFile#save} and loaded with
     * {@link ModelFile#load}: the loaded network predicts the same bits and holds the same
     * parameters and state arrays.
     */
    private String modelFile() {
        String check = "model file round trip";
        PluginRegistry registry = KitPlugins.registry(maker.registry, Layer.class, maker.spec);
        Network network = trained(registry);
        Network loaded;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("nnkit-conformance");
            Path file = dir.resolve("layer.nnkit");
            ModelFile.save(network, file);
            loaded = ModelFile.load(file, registry).network();
        } catch (IOException e) {
            throw new UncheckedIOException("the kit could not write or read a model file in " + dir, e);
        } finally {
            deleteTree(dir);
        }
        List<StateArray> saved = network.state(1);
        List<StateArray> restored = loaded.state(1);
        if (saved.size() != restored.size()) {
            throw new CheckFailure(check + ": the layer has " + saved.size() + " state arrays, the loaded one " + restored.size());
        }
        for (int i = 0; i < saved.size(); i++) {
            int k = Numerics.firstDifference(saved.get(i).value(), restored.get(i).value());
            if (k >= 0) {
                throw new CheckFailure(check + ": state " + saved.get(i).name() + at(saved.get(i).value(), k) + " is "
                        + saved.get(i).value().data[k] + " after two training steps but " + restored.get(i).value().data[k]
                        + " after saving and loading; state() must give the live arrays the layer uses");
            }
        }
        for (int i = 0; i < network.parameters(1).size(); i++) {
            Parameter p = network.parameters(1).get(i);
            Parameter q = loaded.parameters(1).get(i);
            int k = Numerics.firstDifference(p.value(), q.value());
            if (k >= 0) {
                throw new CheckFailure(check + ": parameter " + p.name() + at(p.value(), k) + " is " + p.value().data[k]
                        + " but " + q.value().data[k] + " after saving and loading");
            }
        }
        DMatrixRMaj x = input(batch, 17);
        DMatrixRMaj expected = network.predict(x);
        DMatrixRMaj got = loaded.predict(x);
        int k = Numerics.firstDifference(expected, got);
        if (k >= 0) {
            throw new CheckFailure(check + ": the loaded network predicts A" + at(got, k) + " = " + got.data[k] + " where the "
                    + "saved one predicts " + expected.data[k] + "; everything inference uses must be in parameters() or state()");
        }
        return "after two training steps, ModelFile.save and load give the same " + network.parameters(1).size()
                + " parameter and " + saved.size() + " state arrays and the same predictions, bit for bit";
    }

    /** Deletes a temporary directory of the kit and its files; what cannot be deleted is left behind. */
    static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    /**
     * {@value #THREADS} threads each predict {@value #PREDICTIONS} times with a network holding the
     * layer (after two training steps), on inputs of their own, starting together: every prediction
     * equals, bit for bit, the one made on a single thread before.
     */
    private String concurrent() {
        String check = "concurrent inference";
        Network network = trained(KitPlugins.registry(maker.registry, Layer.class, maker.spec));
        DMatrixRMaj[] inputs = new DMatrixRMaj[THREADS];
        DMatrixRMaj[] expected = new DMatrixRMaj[THREADS];
        for (int t = 0; t < THREADS; t++) {
            inputs[t] = input(64, 40 + t);
            expected[t] = network.predict(inputs[t]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < PREDICTIONS; i++) {
                        DMatrixRMaj got = network.predict(inputs[thread]);
                        int k = Numerics.firstDifference(expected[thread], got);
                        if (k >= 0) {
                            return "thread " + thread + ", prediction " + (i + 1) + ": A" + at(got, k) + " = " + got.data[k]
                                    + " where a single thread predicts " + expected[thread].data[k];
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<String> result : results) {
                String failure = result.get(60, TimeUnit.SECONDS);
                if (failure != null) {
                    throw new CheckFailure(check + ": " + failure + "; an INFERENCE forward pass must change no field of the "
                            + "layer (keep scratch in context buffers)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailure(check + ": interrupted");
        } catch (ExecutionException e) {
            throw new CheckFailure(check + ": a prediction threw " + e.getCause());
        } catch (TimeoutException e) {
            throw new CheckFailure(check + ": the predictions did not finish within 60 s (a deadlock?)");
        } finally {
            pool.shutdownNow();
        }
        return THREADS + " threads x " + PREDICTIONS + " predictions of 64 examples each equal single-thread predictions, "
                + "bit for bit";
    }

    // ------------------------------------------------------------------------------- allocation

    /**
     * With one TRAINING step context reused, forward and backward passes allocate nothing once
     * warmed up: the bytes the thread allocates over {@value #MEASURED} passes (measured with
     * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}, after
     * {@value #WARM_UP} warm-up passes, best of {@value #ROUNDS} rounds) are at most what an empty
     * measurement allocates plus {@value #ALLOCATION_SLACK} bytes. The slack absorbs what the JVM may allocate on the thread
     * outside the layer's code (the measurement calls themselves, an occasional lazily created
     * internal object); a layer that allocates even one 16-byte object per pass allocates
     * {@code 16 * 200 = 3200} bytes and fails. On a JVM that cannot measure, the check passes and
     * says so.
     */
    private String allocation() {
        String check = "no allocation in steady state";
        Layer layer = connected();
        DMatrixRMaj x = input(batch, 50);
        int n = layer.outputSize(inputSize);
        DMatrixRMaj z = new DMatrixRMaj(n, batch);
        DMatrixRMaj dZ = Numerics.signedUniform(n, batch, 0.5, 1.5, 51);
        DMatrixRMaj dX = new DMatrixRMaj(inputSize, batch);
        Step step = Step.training(new SplittableRandom(52));
        long[] measured = steadyStateBytes(() -> {
            layer.forward(x, z, step);
            layer.backward(x, z, dZ, dX, step);
        });
        if (measured == null) {
            return "not measured: this JVM cannot measure the bytes a thread allocates";
        }
        long allocated = measured[0];
        if (allocated > ALLOCATION_SLACK) {
            throw new CheckFailure(check + ": " + MEASURED + " TRAINING forward and backward passes with one reused step "
                    + "allocated " + allocated + " bytes (about " + Math.max(1, allocated / MEASURED) + " per pass) after "
                    + WARM_UP + " warm-up passes, in the best of " + ROUNDS + " rounds; allowed " + ALLOCATION_SLACK
                    + ". Keep scratch matrices in context.buffer(index, rows, cols) and allocate parameters and state in connect");
        }
        return MEASURED + " TRAINING forward and backward passes with one reused step allocated " + Math.max(0, allocated)
                + " bytes (allowed " + ALLOCATION_SLACK + "; round " + measured[1] + " of at most " + ROUNDS + ")";
    }

    /**
     * The bytes the thread allocates over {@value #MEASURED} runs of {@code pass} after
     * {@value #WARM_UP} warm-up runs, net of what an empty measurement allocates, the best of at
     * most {@value #ROUNDS} rounds (stopping at the first within {@value #ALLOCATION_SLACK}), and
     * the number of rounds run; null when this JVM cannot measure.
     */
    static long[] steadyStateBytes(Runnable pass) {
        java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
        if (!(plain instanceof com.sun.management.ThreadMXBean bean) || !bean.isThreadAllocatedMemorySupported()) {
            return null;
        }
        if (!bean.isThreadAllocatedMemoryEnabled()) {
            bean.setThreadAllocatedMemoryEnabled(true);
        }
        for (int i = 0; i < WARM_UP; i++) {
            pass.run();
        }
        long empty = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long a = bean.getCurrentThreadAllocatedBytes();
            long b = bean.getCurrentThreadAllocatedBytes();
            empty = Math.min(empty, b - a);
        }
        long allocated = Long.MAX_VALUE;
        int round = 0;
        while (round < ROUNDS && allocated > ALLOCATION_SLACK) {
            round++;
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED; i++) {
                pass.run();
            }
            allocated = Math.min(allocated, bean.getCurrentThreadAllocatedBytes() - before - empty);
        }
        return new long[] {allocated, round};
    }
}
