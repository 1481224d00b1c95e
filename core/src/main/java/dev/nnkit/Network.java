package dev.nnkit;

import dev.nnkit.data.Dataset;
import dev.nnkit.diagnostics.Diagnostics;
import dev.nnkit.internal.Access;
import dev.nnkit.internal.Checks;
import dev.nnkit.internal.Evaluation;
import dev.nnkit.internal.FeatureStore;
import dev.nnkit.internal.Internals;
import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.FusedLoss;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.RandomSource;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.StandardActivation;
import dev.nnkit.spi.StandardFunction;
import dev.nnkit.spi.StateArray;
import dev.nnkit.spi.StepContext.Mode;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.StampedLock;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * A feed-forward network of {@code L} layers with the notation and shapes of MATH §1: examples are
 * columns, {@code X = A[0]} is {@code (n[0], m)}, {@code W[l]} is {@code (n[l], n[l-1])},
 * {@code b[l]} is {@code (n[l], 1)}, {@code Z[l] = W[l] A[l-1] + b[l]}, {@code A[l] = g[l](Z[l])}.
 * Layers are numbered from 1 as in the notes; layer 0 is the input.
 *
 * <p>Built from spec strings:
 * <pre>{@code
 * Network net = Network.builder(2)
 *         .dense(4, "tanh")
 *         .dense(1, "sigmoid")
 *         .initializer("xavier_normal")
 *         .loss("binary_cross_entropy")
 *         .seed(3)
 *         .build();
 * }</pre>
 * Each layer sets its own starting values ({@link Layer#initialize}): dense draws its weights from
 * its initializer with a generator seeded with the {@linkplain NetworkConfig#seed() seed} and
 * zeroes its biases; batch normalization starts its scale at 1 and its shift at 0. The generator
 * comes from the {@linkplain NetworkConfig#random() random source} ({@link Builder#random}):
 * {@code splittable} by default, or {@code numpy_legacy}, which gives the weights NumPy draws
 * after {@code np.random.seed(seed)}; the layers draw from it one after the other, layer 1 first.
 *
 * <p>Every pass runs in a {@linkplain Mode mode}: {@link #predict}, {@link #classify},
 * {@link #cost(Dataset)} and {@link #accuracy} in {@code INFERENCE}; {@link #computeGradients} and
 * {@link #cost(Dataset, Mode)} with {@code CHECKING} in the deterministic arithmetic of training
 * (batch statistics, no dropout); the trainer in {@code TRAINING}; {@link #traceStep} runs one
 * training step and records every matrix of it, as the notes write them.
 *
 * <p><b>Threads.</b> The inference-mode methods ({@link #predict}, {@link #classify},
 * {@link #forwardTrace}, {@link #cost}, {@link #accuracy}, and the copies {@link #parameter} and
 * {@link #gradient}) only read the parameters and state and may run on many threads at once.
 * {@link #computeGradients}, {@link #traceStep} and {@link #setParameter} change the network and
 * need exclusive access. While a {@link Trainer} trains the network (from the moment {@code fit}
 * starts until it returns or throws), the network belongs to the training thread:
 * <ul>
 *   <li>a second {@code fit} or {@code resume} of it fails at once with an
 *       {@link IllegalStateException} ("network 2-4(tanh)-1(sigmoid), binary_cross_entropy is
 *       already being trained by thread 'main'; ..."), whatever the thread or the trainer;</li>
 *   <li>every method above called from another thread is refused with an
 *       {@link IllegalStateException} ("network ... is being trained by thread 'main'; call predict
 *       after fit returns, or from a listener on the training thread") rather than reading
 *       parameters halfway through an update; a call that started before the fit finishes on the
 *       model as it was (the fit waits for the calls already running, not for new ones);</li>
 *   <li>the training thread itself, i.e. a {@link TrainingListener}, may read: predict, cost and
 *       accuracy on a validation set, copy parameters, measure {@link Diagnostics} (which overwrites
 *       only gradient buffers, rewritten by the next step). It may not change the model:
 *       {@link #setParameter} is refused; a listener requests changes through its
 *       {@link TrainingContext}.</li>
 * </ul>
 * The live views {@link #parameters()} and {@link #state(int)} are not guarded: they are for
 * optimizers, checkers and the trainer itself.
 *
 * <p>Memory: besides its parameters, a network holds each layer's buffers for the largest batch it
 * has trained on. The trainer's buffers (batches, example order, the copy of the last good model)
 * belong to the trainer's session, not to the network.
 */
public final class Network {

    static {
        Access.setModel(new Access.Model() {
            @Override
            public List<DMatrixRMaj> modelArrays(Network network) {
                return network.modelArrays();
            }

            @Override
            public void startTraining(Network network) {
                network.startTraining();
            }

            @Override
            public void finishTraining(Network network) {
                network.finishTraining();
            }

            @Override
            public long beginRead(Network network, String what) {
                return network.beginRead(what);
            }

            @Override
            public void endRead(Network network, long stamp) {
                network.endRead(stamp);
            }

            @Override
            public double forwardBackward(Network network, DMatrixRMaj x, DMatrixRMaj y, Step step) {
                return network.forwardBackward(x, y, step);
            }

            @Override
            public void checkLabelsShape(Network network, Dataset data) {
                network.checkLabelsShape(data);
            }

            @Override
            public List<FloatParameter> floatParameters(Network network) {
                return network.floatPath == null ? null : network.floatPath.parameters();
            }

            @Override
            public double forwardBackward(Network network, FMatrixRMaj x, FMatrixRMaj y, Step step) {
                return network.forwardBackward(x, y, step);
            }

            @Override
            public void floatsUpdated(Network network) {
                network.floatPath.floatsUpdated();
            }

            @Override
            public void settle(Network network) {
                if (network.floatPath != null) {
                    network.floatPath.settle();
                }
            }

            @Override
            public void doublesChanged(Network network) {
                network.doublesWritten();
            }

            @Override
            public List<Parameter> parameters(Network network) {
                network.syncDoubles();
                return network.parameters;
            }

            @Override
            public List<Parameter> parameters(Network network, int l) {
                network.syncDoubles();
                return network.slot(l).layer.parameters();
            }

            @Override
            public void random(Step step, RandomGenerator stream) {
                step.random(stream);
            }

            @Override
            public String closest(String name, Collection<String> known) {
                return PluginRegistry.closest(name, known);
            }

            @Override
            public PluginRegistry registry(Network network) {
                return network.registry;
            }

            @Override
            public RandomSource trainingSource(Network network) {
                String spec = network.config.random();
                return spec == null || spec.equals(NetworkConfig.DEFAULT_RANDOM) ? null
                        : network.registry.create(RandomSource.class, spec);
            }
        });
    }

    /**
     * Examples evaluated at a time by {@link #cost} and {@link #accuracy} on larger data sets, so
     * that their memory stays bounded (a few MB) whatever the size of the data set.
     */
    static final int EVALUATION_CHUNK = 1024;

    private final NetworkConfig config;
    private final PluginRegistry registry;
    private final List<LayerSlot> slots;
    private final Loss loss;
    private final OutputHead head;
    private final List<Parameter> parameters;
    private final List<DMatrixRMaj> stateValues;
    private final int parts;
    /** The float twin of the slots in a float32 network; null in a float64 one. */
    private final FloatPath floatPath;
    /** The thread of the fit running now, or null; set before {@link #exclusive} is write-locked, cleared after. */
    private final AtomicReference<Thread> trainer = new AtomicReference<>();
    /**
     * Write-locked by a fit for its whole run; read-locked by the guarded methods on other threads,
     * which never block on it: once a fit has claimed the network they are refused, and the fit
     * waits only for the calls already running.
     */
    private final StampedLock exclusive = new StampedLock();
    private long trainingStamp;

    private Network(NetworkConfig config, PluginRegistry registry, List<LayerSlot> slots, Loss loss) {
        this.config = config;
        this.registry = registry;
        this.slots = List.copyOf(slots);
        this.loss = loss;
        LayerSlot output = slots.get(slots.size() - 1);
        checkOutputPairing(loss, output.activation, output.units);
        this.head = OutputHead.of(loss, output.activation);
        List<Parameter> all = new ArrayList<>();
        List<DMatrixRMaj> state = new ArrayList<>();
        int count = 0;
        for (LayerSlot slot : slots) {
            all.addAll(slot.layer.parameters());
            for (StateArray s : slot.layer.state()) {
                state.add(s.value());
            }
            count += slot.parts();
        }
        this.parameters = Collections.unmodifiableList(all);
        this.stateValues = List.copyOf(state);
        this.parts = count;
        this.floatPath = config.dtype() == Dtype.FLOAT32 ? new FloatPath(this.slots, loss) : null;
    }

    /** A builder for a network whose input has {@code inputSize = n[0]} features. */
    public static Builder builder(int inputSize) {
        return new Builder(inputSize);
    }

    /**
     * Builds the network a config describes, with plugins from {@code registry}, and initializes it
     * from the config's seed.
     */
    public static Network fromConfig(NetworkConfig config, PluginRegistry registry) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        if (config.inputSize() <= 0) {
            throw new IllegalArgumentException("input size n[0]=" + config.inputSize() + "; it must be > 0");
        }
        if (config.layers().isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer (the output layer); add one with dense(units, activation)");
        }
        Loss loss = registry.create(Loss.class, require(config.loss(), "loss", "binary_cross_entropy"));
        long values = modelValues(config, registry);
        requireHeap(saturatedMultiply(values, 16), String.format(Locale.ROOT, "a network of %d layer%s on %d inputs (%,d "
                + "parameter and state values, 16 bytes each with its gradient)", config.layers().size(),
                config.layers().size() == 1 ? "" : "s", config.inputSize(), values));
        RandomGenerator random = generator(config, registry);
        List<LayerSlot> slots = new ArrayList<>();
        int inputs = config.inputSize();
        int last = config.layers().size();
        int part = 0;
        for (int l = 1; l <= last; l++) {
            LayerConfig lc = config.layers().get(l - 1);
            String where = "layer " + l + " (" + lc.layer() + ")";
            Layer layer = registry.create(Layer.class, lc.layer());
            Activation activation = registry.create(Activation.class, require(lc.activation(), where + " activation", "tanh"));
            Initializer initializer = registry.create(Initializer.class, require(lc.initializer(), where + " initializer", "he_normal"));
            List<Regularizer> regularizers = new ArrayList<>();
            for (String spec : lc.regularizers() == null ? List.<String>of() : lc.regularizers()) {
                Regularizer r = registry.create(Regularizer.class, spec);
                if (l == last && r instanceof ActivationTransform t && t.isActive()) {
                    throw new IllegalArgumentException(where + " is the output layer and " + r
                            + " acts on its activations; the loss would see altered outputs. Attach it to hidden layers only");
                }
                regularizers.add(r);
            }
            int units = layer.outputSize(inputs);
            if (units <= 0) {
                throw new IllegalArgumentException(where + ": units=" + units + " on an input of " + inputs
                        + "; units must be > 0");
            }
            layer.connect(inputs);
            layer.initialize(initializer, random);
            LayerSlot slot = new LayerSlot(layer, units, activation, initializer, regularizers, part, l == 1);
            slots.add(slot);
            part += slot.parts();
            inputs = units;
        }
        return new Network(config, registry, slots, loss);
    }

    /**
     * The generator of the initial weights: from the config's random source, made by the registry.
     * A registry assembled by hand without random sources still builds networks that use the
     * default, which is {@code SplittableRandom(seed)} as it always was.
     */
    private static RandomGenerator generator(NetworkConfig config, PluginRegistry registry) {
        String spec = require(config.random(), "random source", NetworkConfig.DEFAULT_RANDOM);
        if (spec.equals(NetworkConfig.DEFAULT_RANDOM) && !registry.names(RandomSource.class).contains(spec)) {
            return new SplittableRandom(config.seed());
        }
        return registry.create(RandomSource.class, spec).generator(config.seed());
    }

    /** The values of every layer's parameters and state, from the layers' own counts, before allocating. */
    private static long modelValues(NetworkConfig config, PluginRegistry registry) {
        long values = 0;
        int inputs = config.inputSize();
        for (LayerConfig lc : config.layers()) {
            Layer layer = registry.create(Layer.class, lc.layer());
            values += Math.max(0, layer.parameterCount(inputs));
            inputs = Math.max(1, layer.outputSize(inputs));
        }
        return values;
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        return high != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }

    /**
     * An estimate of the memory, in bytes, that training this network on mini-batches of
     * {@code batchSize} examples needs beyond the network itself: the last good copy of the
     * parameters and state and up to two optimizer moments per parameter (Adam), 3 values each;
     * and per example of a batch the input, and for every layer {@code Z}, {@code A}, {@code dZ}
     * and {@code dA} and the labels, 8 bytes each.
     *
     * @param batchSize the examples of one step ({@code m} for full batch), {@code >= 1}
     */
    public long trainingMemoryEstimate(int batchSize) {
        long values = 0;
        for (DMatrixRMaj a : modelArrays()) {
            values += a.getNumElements();
        }
        long perExample = config.inputSize();
        for (int l = 1; l <= depth(); l++) {
            perExample += 4L * units(l);
        }
        perExample += units(depth());
        return saturatedMultiply(values, 24) + saturatedMultiply(saturatedMultiply(perExample, Math.max(1, batchSize)), 8);
    }

    /**
     * Refuses, before allocating, what cannot fit in the heap this JVM may still use (after one
     * collection): an {@link IllegalArgumentException} with the estimate and the maximum heap,
     * instead of an {@link OutOfMemoryError} after minutes of work.
     *
     * @param bytes the estimate
     * @param what  what needs it, for the message: {@code <what> needs about 17.9 GB but ...}
     */
    public static void requireHeap(long bytes, String what) {
        Runtime runtime = Runtime.getRuntime();
        long max = runtime.maxMemory();
        if (max == Long.MAX_VALUE || bytes <= max - (runtime.totalMemory() - runtime.freeMemory())) {
            return;
        }
        System.gc();
        long free = max - (runtime.totalMemory() - runtime.freeMemory());
        if (bytes > free) {
            throw new IllegalArgumentException(what + " needs about " + megabytes(bytes) + " but this JVM's heap is at most "
                    + megabytes(max) + " (-Xmx), of which " + megabytes(Math.max(0, free)) + " is free; make the layers"
                    + " or the batches smaller, or give the JVM more memory (e.g. -Xmx8g)");
        }
    }

    /**
     * The bytes one example costs a forward pass: its input and labels, and {@code Z[l]} and
     * {@code A[l]} of every layer, 8 bytes a value.
     */
    private long passBytesPerExample(int inputs, int labels) {
        long values = (long) inputs + labels;
        for (LayerSlot slot : slots) {
            values += 2L * slot.units;
        }
        return 8 * values;
    }

    /** Refuses a forward pass over {@code m} examples at once whose buffers cannot fit in the heap. */
    private void requirePassHeap(int m, String what) {
        long perExample = passBytesPerExample(config.inputSize(), 0);
        requireHeap(saturatedMultiply(perExample, m), String.format(Locale.ROOT, "%s of %,d example%s through %s (%,d bytes per "
                + "example for Z and A of every layer)", what, m, m == 1 ? "" : "s", this, perExample));
    }

    private static String megabytes(long bytes) {
        return bytes >= 1L << 40 ? String.format(Locale.ROOT, "%.1f TB", bytes / (double) (1L << 40))
                : bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MB", Math.ceil(bytes / (double) (1L << 20)));
    }

    private static String require(String spec, String what, String example) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(what + " is not set; give a spec string such as " + example);
        }
        return spec;
    }

    /** The architecture, with all defaults resolved. */
    public NetworkConfig config() {
        return config;
    }

    /** The number of layers {@code L} (the input is not counted). */
    public int depth() {
        return slots.size();
    }

    /** The number of units {@code n[l]}, for {@code l} from 0 (the input) to {@code L}. */
    public int units(int l) {
        if (l == 0) {
            return config.inputSize();
        }
        return slot(l).units;
    }

    /** The activation {@code g[l]} of layer {@code l} (1..L). */
    public Activation activation(int l) {
        return slot(l).activation;
    }

    /** The initializer that set the weights of layer {@code l} (1..L). */
    public Initializer initializer(int l) {
        return slot(l).initializer;
    }

    /** The regularizers of layer {@code l} (1..L), in the order they are applied. */
    public List<Regularizer> regularizers(int l) {
        return slot(l).regularizers;
    }

    /** The loss. */
    public Loss loss() {
        return loss;
    }

    /** The registry the network's plugins came from (the trainer makes the optimizer and schedule from it). */
    PluginRegistry registry() {
        return registry;
    }

    /** The layer plugin at position {@code l} (1..L), e.g. to read its spec with {@code toString()}. */
    public Layer layer(int l) {
        return slot(l).layer;
    }

    /**
     * Every parameter array with live access to its value and gradient, layer by layer
     * ({@code W[1], b[1], W[2], ...}): for optimizers and gradient checkers. In a float32 network
     * the arrays are the double copies of the float parameters; once they are handed out, the
     * network copies between the two at every update and float pass (two passes over the
     * parameters), so that a write through them counts as in float64. {@link #parameter} and
     * {@link #setParameter} read and write without that cost.
     */
    public List<Parameter> parameters() {
        handOutLiveArrays();
        return parameters;
    }

    /** The parameter arrays of layer {@code l} (1..L), live, e.g. {@code W} then {@code b} for dense; see {@link #parameters()}. */
    public List<Parameter> parameters(int l) {
        handOutLiveArrays();
        return slot(l).layer.parameters();
    }

    /**
     * The number type this network computes in (its config's {@link NetworkConfig#dtype()}).
     * In a {@link Dtype#FLOAT32} network, training and inference ({@link #predict}, {@link #cost(Dataset)},
     * {@link #accuracy}) run in float; the parameters are also kept as doubles holding the same
     * float values, which is what the getters, setters, snapshots and model files see; the passes a
     * gradient checker uses ({@link #computeGradients}, {@link #cost(Dataset, Mode)} in
     * {@code CHECKING}, {@link #forwardTrace}, {@link #traceStep}) run the double arithmetic on those values.
     */
    public Dtype dtype() {
        return config.dtype();
    }

    /**
     * In a float32 network, copies the float parameters' updates into the doubles before they are
     * read ({@link FloatPath#syncDoubles}) — not from another thread while a fit runs (such a
     * caller gets the doubles as they are: reading the model during training is not thread-safe).
     */
    private void syncDoubles() {
        Thread owner = trainer.get();
        if (floatPath != null && (owner == null || owner == Thread.currentThread())) {
            floatPath.syncDoubles();
        }
    }

    /** The live double arrays go out: a float32 network synchronizes its two copies at every update and pass from now on. */
    private void handOutLiveArrays() {
        syncDoubles();
        if (floatPath != null) {
            floatPath.liveAccess();
        }
    }

    /** The double parameters were written (snapshots restored, a model loaded): a float32 network rounds them into its floats before its next float pass. */
    private void doublesWritten() {
        if (floatPath != null) {
            floatPath.doublesChanged();
        }
    }

    /** A copy of parameter {@code name} of layer {@code l}, e.g. {@code parameter(1, "W")} is {@code W[1]}. */
    public DMatrixRMaj parameter(int l, String name) {
        long stamp = beginRead("parameter");
        try {
            syncDoubles();
            return find(l, name).value().copy();
        } finally {
            endRead(stamp);
        }
    }

    /**
     * A copy of the gradient of parameter {@code name} of layer {@code l} from the last backward
     * pass (training step, {@link #computeGradients} or {@link #traceStep}), e.g.
     * {@code gradient(1, "W")} is {@code dW[1]}; zeros before any.
     */
    public DMatrixRMaj gradient(int l, String name) {
        long stamp = beginRead("gradient");
        try {
            Parameter p = find(l, name);
            if (floatPath != null && floatGradientsAhead) {
                DMatrixRMaj g = new DMatrixRMaj(1, 1);
                return Internals.widen(floatPath.parameters().get(parameters.indexOf(p)).gradient(), g);
            }
            return p.gradient().copy();
        } finally {
            endRead(stamp);
        }
    }

    /** The non-trainable state arrays of layer {@code l} (1..L), live; empty for dense. */
    public List<StateArray> state(int l) {
        return slot(l).layer.state();
    }

    /** The values of every state array, layer by layer, live: saved and restored with the parameters. */
    List<DMatrixRMaj> stateValues() {
        return stateValues;
    }

    /** Every parameter value then every state array, live: what a copy of the model must hold. */
    List<DMatrixRMaj> modelArrays() {
        syncDoubles(); // whoever writes through these arrays says so with Access.model().doublesChanged
        List<DMatrixRMaj> all = new ArrayList<>(parameters.size() + stateValues.size());
        for (Parameter p : parameters) {
            all.add(p.value());
        }
        all.addAll(stateValues);
        return all;
    }

    /**
     * Sets parameter {@code name} of layer {@code l} to a copy of {@code value}, e.g. to reproduce a
     * textbook case with known weights.
     *
     * @throws IllegalArgumentException when the shape differs or an entry is not finite
     * @throws IllegalStateException    while the network is being trained (from a listener too)
     */
    public void setParameter(int l, String name, DMatrixRMaj value) {
        long stamp = beginRead("setParameter");
        try {
            if (trainer.get() == Thread.currentThread()) {
                throw new IllegalStateException("setParameter(" + l + ", \"" + name + "\") during the training of network "
                        + this + ": a listener must not change the network it observes; request a restore through the "
                        + "TrainingContext (capture and restoreAtEnd), or set parameters after fit returns");
            }
            Parameter p = find(l, name);
            if (value.numRows != p.value().numRows || value.numCols != p.value().numCols) {
                throw new IllegalArgumentException(name + "[" + l + "] is (" + p.value().numRows + ", " + p.value().numCols
                        + ") but the given matrix is (" + value.numRows + ", " + value.numCols + ")");
            }
            Checks.requireFinite(name + "[" + l + "]", value);
            p.value().setTo(value);
            if (floatPath != null) { // the value rounded to float, in the doubles too
                floatPath.doublesChanged();
                floatPath.beforeFloatPass();
            }
        } finally {
            endRead(stamp);
        }
    }

    private Parameter find(int l, String name) {
        List<String> names = new ArrayList<>();
        for (Parameter p : slot(l).layer.parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
            names.add(p.name());
        }
        throw new IllegalArgumentException("layer " + l + " (" + slot(l).layer + ") has no parameter '" + name
                + "'; it has " + String.join(", ", names));
    }

    private LayerSlot slot(int l) {
        if (l < 1 || l > slots.size()) {
            throw new IllegalArgumentException("layer " + l + " does not exist; layers are numbered 1.." + slots.size()
                    + " (0 is the input)");
        }
        return slots.get(l - 1);
    }

    /**
     * The output {@code A[L]} for inputs {@code X}. At inference no unit is dropped and nothing is
     * rescaled. Safe to call from several threads at once; refused on other threads than the
     * training one while the network trains (see the class documentation).
     *
     * @param x inputs, {@code (n[0], m)}. Not modified.
     * @return a new {@code (n[L], m)} matrix
     * @throws IllegalStateException when another thread is training the network
     */
    public DMatrixRMaj predict(DMatrixRMaj x) {
        long stamp = beginRead("predict");
        try {
            checkInput(x);
            requirePassHeap(x.numCols, "predict");
            Step step = Step.inference();
            if (floatPath != null) {
                floatPath.beforeFloatPass();
                FMatrixRMaj out = floatPath.infer(Internals.narrow(x, new FMatrixRMaj(1, 1)), step, null);
                return Internals.widen(out, new DMatrixRMaj(1, 1));
            }
            DMatrixRMaj current = x;
            for (LayerSlot slot : slots) {
                current = slot.infer(current, step, new DMatrixRMaj(slot.units, x.numCols));
            }
            return current;
        } finally {
            endRead(stamp);
        }
    }

    /**
     * Every layer's {@code Z[l]} and {@code A[l]} for inputs {@code X}, in inference mode (no unit
     * dropped). Safe to call from several threads at once.
     *
     * @param x inputs, {@code (n[0], m)}. Not modified.
     */
    public ForwardTrace forwardTrace(DMatrixRMaj x) {
        return forwardTrace(x, Mode.INFERENCE);
    }

    /**
     * Every layer's {@code Z[l]} and {@code A[l]} for inputs {@code X} in {@code INFERENCE} or
     * {@code CHECKING} mode (the latter with batch statistics; no unit dropped in either). Changes
     * nothing in the network.
     *
     * @throws IllegalArgumentException for {@code TRAINING}, which would update state: use {@link #traceStep}
     */
    public ForwardTrace forwardTrace(DMatrixRMaj x, Mode mode) {
        long stamp = beginRead("forwardTrace");
        try {
            syncDoubles();
            return trace(x, mode);
        } finally {
            endRead(stamp);
        }
    }

    private ForwardTrace trace(DMatrixRMaj x, Mode mode) {
        checkInput(x);
        requireReadOnly(mode);
        requirePassHeap(x.numCols, "a forward trace");
        Step step = Step.of(mode, null);
        List<DMatrixRMaj> zs = new ArrayList<>();
        List<DMatrixRMaj> as = new ArrayList<>();
        DMatrixRMaj current = x;
        for (LayerSlot slot : slots) {
            DMatrixRMaj z = new DMatrixRMaj(slot.units, x.numCols);
            step.enter(slot.part, slot.first);
            slot.layer.forward(current, z, step);
            DMatrixRMaj a = new DMatrixRMaj(z.numRows, z.numCols);
            slot.activation.forward(z, a);
            zs.add(z);
            as.add(a);
            // the next layer receives the transformed activations; the trace keeps A[l] = g(Z[l])
            current = slot.transforms.length == 0 ? a : slot.transform(mode == Mode.INFERENCE ? a.copy() : a, step);
        }
        return new ForwardTrace(zs, as);
    }

    private static void requireReadOnly(Mode mode) {
        if (Objects.requireNonNull(mode, "mode") == Mode.TRAINING) {
            throw new IllegalArgumentException("a TRAINING pass draws random numbers and updates state; use INFERENCE or "
                    + "CHECKING here, or traceStep for a recorded training step");
        }
    }

    /**
     * The predicted class of each column: with one output unit {@code A[L] > 0.5} (MATH §1) gives 1
     * or 0; with several, the index of the largest output.
     */
    public int[] classify(DMatrixRMaj x) {
        return Evaluation.classes(predict(x));
    }

    /**
     * The fraction of examples whose predicted class equals the label's class, in [0, 1]. Reads
     * the data set 1,024 examples at a time, so its memory stays a few MB whatever the size.
     *
     * @throws IllegalArgumentException when the labels are not class labels (one row of 0s and 1s,
     *         or one-hot columns): accuracy means nothing for a regression target
     */
    public double accuracy(Dataset data) {
        long stamp = beginRead("accuracy");
        try {
            return accuracyOf(data);
        } finally {
            endRead(stamp);
        }
    }

    private double accuracyOf(Dataset data) {
        checkLabelsShape(data);
        ChunkedPass pass = new ChunkedPass(data);
        long correct = 0;
        for (int from = 0; from < data.size(); from += pass.chunk) {
            pass.forward(from, Math.min(data.size(), from + pass.chunk));
            correct += Evaluation.correct(Evaluation.classes(pass.output()), pass.y, from);
        }
        return (double) correct / data.size();
    }

    /**
     * The cost {@code J} on a data set, regularization penalties included, with no unit dropped.
     * Reads the data set 1,024 examples at a time: the loss's mean over each chunk, weighted by
     * the chunk's size, then the penalties once.
     */
    public double cost(Dataset data) {
        long stamp = beginRead("cost");
        try {
            return inferenceCost(data);
        } finally {
            endRead(stamp);
        }
    }

    private double inferenceCost(Dataset data) {
        checkLabelsShape(data);
        syncDoubles(); // the penalty reads the double weights
        ChunkedPass pass = new ChunkedPass(data);
        double sum = 0.0; // of the per-example losses: each chunk's mean times its size
        for (int from = 0; from < data.size(); from += pass.chunk) {
            int to = Math.min(data.size(), from + pass.chunk);
            pass.forward(from, to);
            sum += head.cost(pass.z[pass.z.length - 1], pass.output(), pass.y) * (to - from);
        }
        return sum / data.size() + penalty(data.size());
    }

    /**
     * The cost {@code J} on a data set in the given mode, penalties included: {@code INFERENCE} is
     * {@link #cost(Dataset)}; {@code CHECKING} runs the whole data set as one batch with the
     * arithmetic of training (batch statistics, no unit dropped), the {@code J} whose gradient
     * {@link #computeGradients} computes and a gradient checker differentiates. Changes nothing.
     *
     * @throws IllegalArgumentException for {@code TRAINING}, which would update state
     */
    public double cost(Dataset data, Mode mode) {
        requireReadOnly(mode);
        long stamp = beginRead("cost");
        try {
            syncDoubles();
            if (mode == Mode.INFERENCE) {
                return inferenceCost(data);
            }
            checkLabelsShape(data);
            ForwardTrace trace = trace(Access.data().x(data), Mode.CHECKING);
            return head.cost(trace.z(depth()), trace.a(depth()), Access.data().y(data)) + penalty(data.size());
        } finally {
            endRead(stamp);
        }
    }

    /**
     * A forward pass in inference mode over a data set, {@link #EVALUATION_CHUNK} examples at a
     * time, through buffers allocated once per pass (one pass per call, so calls on several
     * threads do not share them).
     */
    private final class ChunkedPass {
        private final Dataset data;
        private final Step step = Step.inference();
        private final DMatrixRMaj x;
        final DMatrixRMaj y;
        final DMatrixRMaj[] z;
        private final DMatrixRMaj[] a;
        private final FloatBuffers floats;

        /** Examples per chunk: {@link #EVALUATION_CHUNK}, or fewer when the heap cannot hold that many. */
        final int chunk;

        ChunkedPass(Dataset data) {
            this.data = data;
            chunk = chunkFor(data);
            int columns = chunk;
            x = new DMatrixRMaj(floatPath == null ? data.inputSize() : 0, columns); // a float32 pass reads its chunk into float
            y = new DMatrixRMaj(data.outputSize(), columns);
            z = new DMatrixRMaj[slots.size()];
            a = new DMatrixRMaj[slots.size()];
            for (int l = 0; l < slots.size(); l++) {
                // a float32 pass keeps only the output layer's in double
                int rows = floatPath == null || l == slots.size() - 1 ? slots.get(l).units : 0;
                z[l] = new DMatrixRMaj(rows, columns);
                a[l] = new DMatrixRMaj(rows, columns);
            }
            floats = floatPath == null ? null : new FloatBuffers(data.inputSize(), columns);
        }

        /** A float32 pass's buffers: the chunk in float, every layer's output, the output layer's {@code Z}. */
        private final class FloatBuffers {
            final FMatrixRMaj x;
            final FMatrixRMaj[] outs = new FMatrixRMaj[slots.size()];
            final FMatrixRMaj z;

            FloatBuffers(int inputs, int columns) {
                x = new FMatrixRMaj(inputs, columns);
                for (int l = 0; l < outs.length; l++) {
                    outs[l] = new FMatrixRMaj(slots.get(l).units, columns);
                }
                z = new FMatrixRMaj(slots.get(slots.size() - 1).units, columns);
            }
        }

        /**
         * {@link #EVALUATION_CHUNK} examples, or as many as a quarter of the free heap holds (the
         * sum over chunks is then taken in other groups: the cost may differ in its last bits); a
         * pass that cannot hold even one example is refused before allocating.
         */
        private int chunkFor(Dataset data) {
            int wanted = Math.max(1, Math.min(data.size(), EVALUATION_CHUNK));
            long perExample = passBytesPerExample(data.inputSize(), data.outputSize());
            Runtime runtime = Runtime.getRuntime();
            long free = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
            if (runtime.maxMemory() == Long.MAX_VALUE || saturatedMultiply(perExample, wanted) <= free / 4) {
                return wanted;
            }
            requireHeap(perExample, String.format(Locale.ROOT, "a pass of one example through %s (%,d bytes for Z and A of "
                    + "every layer)", Network.this, perExample));
            free = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
            return (int) Math.max(1, Math.min(wanted, free / 4 / perExample));
        }

        /** Reads examples {@code [from, to)} into {@code x} and {@code y} and runs them forward. */
        void forward(int from, int to) {
            if (floatPath != null) {
                Access.data().features(data).gather(null, from, to - from, floats.x);
                FeatureStore.gatherColumns(Access.data().y(data), null, from, to - from, y);
                floatPath.beforeFloatPass();
                int last = slots.size() - 1;
                FMatrixRMaj af = floatPath.infer(floats.x, step, floats.outs, floats.z);
                Internals.widen(floats.z, z[last]);
                Internals.widen(af, a[last]);
                return;
            }
            Access.data().gather(data, null, from, to, x, y);
            DMatrixRMaj current = x;
            for (int l = 0; l < slots.size(); l++) {
                LayerSlot slot = slots.get(l);
                z[l].reshape(slot.units, to - from);
                step.enter(slot.part, slot.first);
                slot.layer.forward(current, z[l], step);
                a[l].reshape(z[l].numRows, z[l].numCols);
                slot.activation.forward(z[l], a[l]);
                current = slot.transform(a[l], step);
            }
        }

        DMatrixRMaj output() {
            return a[a.length - 1];
        }
    }

    /**
     * Runs one forward and backward pass over the whole data set in {@code CHECKING} mode (batch
     * statistics, no unit dropped, no state updated) and leaves the gradient of every parameter in
     * its {@link Parameter#gradient()}; regularization penalties are included in both the cost and
     * the gradients. This is what a gradient checker compares with finite differences of
     * {@link #cost(Dataset, Mode) cost(data, CHECKING)}.
     *
     * @return the cost {@code J} at the current parameters
     */
    public double computeGradients(Dataset data) {
        long stamp = beginRead("computeGradients");
        try {
            syncDoubles();
            checkLabelsShape(data);
            loss.checkLabels(Access.data().y(data));
            return forwardBackward(Access.data().x(data), Access.data().y(data), Step.checking());
        } finally {
            endRead(stamp);
        }
    }

    /**
     * Runs one training step's forward and backward pass on {@code (X, Y)}, without an optimizer
     * update, and records every matrix of it: per layer {@code Z[l]}, {@code A[l]}, the dropout mask
     * {@code D[l]}, {@code dA[l]}, {@code dZ[l]} and each parameter's gradient. Masks are drawn
     * from {@code random}, so a generator seeded as a training epoch's reproduces its masks. The
     * layers' state (running statistics) is left as it was; the parameters' gradients are those
     * of the traced step.
     *
     * @param x inputs, {@code (n[0], m)}. Not modified.
     * @param y labels, {@code (n[L], m)}. Not modified.
     */
    public StepTrace traceStep(DMatrixRMaj x, DMatrixRMaj y, RandomGenerator random) {
        return trace(x, y, Objects.requireNonNull(random, "random"), Map.of());
    }

    /**
     * {@link #traceStep(DMatrixRMaj, DMatrixRMaj, RandomGenerator)} with given dropout masks instead
     * of drawn ones: {@code masks.get(l)} is {@code D[l]}, {@code (n[l], m)} of 0 and 1, for each
     * layer {@code l} whose regularizers include an active transform (the first one gets it), so a
     * worked example with printed masks can be reproduced number for number. A layer with such a
     * transform and no given mask draws one from a generator seeded with 0.
     *
     * @throws IllegalArgumentException when a mask is given for a layer without a transform, or has the wrong shape
     */
    public StepTrace traceStep(DMatrixRMaj x, DMatrixRMaj y, Map<Integer, DMatrixRMaj> masks) {
        return trace(x, y, new SplittableRandom(0), Objects.requireNonNull(masks, "masks"));
    }

    private StepTrace trace(DMatrixRMaj x, DMatrixRMaj y, RandomGenerator random, Map<Integer, DMatrixRMaj> masks) {
        long stamp = beginRead("traceStep");
        try {
            syncDoubles();
            return traceOf(x, y, random, masks);
        } finally {
            endRead(stamp);
        }
    }

    private StepTrace traceOf(DMatrixRMaj x, DMatrixRMaj y, RandomGenerator random, Map<Integer, DMatrixRMaj> masks) {
        checkInput(x);
        Checks.requireRows("Y", y, units(depth()), "the network's output size n[L]");
        if (y.numCols != x.numCols) {
            throw new IllegalArgumentException("X has " + x.numCols + " columns but Y has " + y.numCols
                    + "; they must have one column per example");
        }
        loss.checkLabels(y);
        DMatrixRMaj[] given = new DMatrixRMaj[parts];
        for (Map.Entry<Integer, DMatrixRMaj> e : masks.entrySet()) {
            LayerSlot slot = slot(e.getKey());
            if (slot.transforms.length == 0) {
                throw new IllegalArgumentException("a mask is given for layer " + e.getKey() + ", which has no active "
                        + "activation transform (e.g. dropout); its regularizers are " + slot.regularizers);
            }
            given[slot.part + 1] = e.getValue();
        }
        double[][] savedState = new double[stateValues.size()][];
        for (int k = 0; k < savedState.length; k++) {
            savedState[k] = stateValues.get(k).data.clone();
        }
        Step step = Step.training(random);
        step.traceMasks(given, parts);
        try {
            DMatrixRMaj current = x;
            for (LayerSlot slot : slots) {
                current = slot.forward(current, step);
            }
            LayerSlot out = slots.get(slots.size() - 1);
            double cost = head.cost(out.z, out.a, y) + penalty(x.numCols);
            int depth = slots.size();
            DMatrixRMaj[] dA = new DMatrixRMaj[depth];
            DMatrixRMaj[] dZ = new DMatrixRMaj[depth];
            DMatrixRMaj noInputGradient = new DMatrixRMaj(0, 0);
            out.gradient.reshape(out.z.numRows, out.z.numCols);
            dA[depth - 1] = head.outputGradient(out, y);
            for (int l = depth - 1; l >= 0; l--) {
                LayerSlot slot = slots.get(l);
                if (l < depth - 1 || dA[l] != null) {
                    slot.backwardTransforms(step);
                    dA[l] = slot.gradient.copy();
                    slot.activation.backward(slot.z, slot.a, slot.gradient, slot.gradient);
                }
                dZ[l] = slot.gradient.copy();
                slot.backwardFromDz(step, l > 0 ? slots.get(l - 1).gradient : noInputGradient);
            }
            List<StepTrace.LayerTrace> layers = new ArrayList<>();
            for (int l = 0; l < depth; l++) {
                LayerSlot slot = slots.get(l);
                Map<String, DMatrixRMaj> gradients = new LinkedHashMap<>();
                for (Parameter p : slot.layer.parameters()) {
                    gradients.put(p.name(), p.gradient().copy());
                }
                DMatrixRMaj mask = slot.transforms.length > 0 ? step.recordedMask(slot.part + 1) : null;
                layers.add(new StepTrace.LayerTrace(slot.z.copy(), slot.output.copy(), mask, dA[l], dZ[l], gradients));
            }
            return new StepTrace(cost, layers);
        } finally {
            for (int k = 0; k < savedState.length; k++) {
                System.arraycopy(savedState[k], 0, stateValues.get(k).data, 0, savedState[k].length);
            }
        }
    }

    // --------------------------------------------------------------------------- training guard

    /**
     * Marks the calling thread as this network's trainer until {@link #finishTraining()}: fails at
     * once when a fit already runs, then waits for calls already reading on other threads.
     */
    void startTraining() {
        Thread current = Thread.currentThread();
        if (!trainer.compareAndSet(null, current)) {
            Thread owner = trainer.get();
            throw new IllegalStateException("network " + this + " is already being trained by thread '"
                    + (owner == null ? "?" : owner.getName()) + "'" + (owner == current
                    ? " (this thread: a listener cannot start a fit of the network it observes)" : "")
                    + "; a network trains in one fit at a time: wait for that fit to return, or train a copy (e.g. saved "
                    + "with ModelFile.save and loaded with ModelFile.load)");
        }
        try {
            trainingStamp = exclusive.writeLock();
        } catch (RuntimeException | Error e) {
            trainer.set(null);
            throw e;
        }
    }

    /** Ends what {@link #startTraining()} started; called by the training thread. */
    void finishTraining() {
        exclusive.unlockWrite(trainingStamp);
        trainer.set(null);
    }

    /**
     * Read access for {@code what}: free on the training thread (0), a read lock on others,
     * refused on others while a fit runs.
     *
     * @return the stamp to hand to {@link #endRead}
     * @throws IllegalStateException when another thread is training the network
     */
    long beginRead(String what) {
        Thread current = Thread.currentThread();
        Thread owner = trainer.get();
        if (owner == current) {
            return 0L;
        }
        // refused as soon as a fit has claimed the network, so that new calls cannot keep it waiting
        while (owner == null) {
            long stamp = exclusive.tryReadLock();
            if (stamp != 0L) {
                return stamp;
            }
            owner = trainer.get();
            Thread.onSpinWait(); // null here: the fit is just releasing the network
        }
        throw new IllegalStateException("network " + this + " is being trained by thread '" + owner.getName()
                + "'; call " + what + " after fit returns, or from a listener on the training thread");
    }

    /** Ends what {@link #beginRead} began. */
    void endRead(long stamp) {
        if (stamp != 0L) {
            exclusive.unlockRead(stamp);
        }
    }

    /** The number of step parts (layers and active transforms) of this network. */
    int parts() {
        return parts;
    }

    /**
     * One forward and backward pass over a batch with the slots' buffers, in the step's mode
     * ({@code TRAINING} or {@code CHECKING}).
     */
    double forwardBackward(DMatrixRMaj x, DMatrixRMaj y, Step step) {
        floatGradientsAhead = false;
        DMatrixRMaj current = x;
        for (int l = 0; l < slots.size(); l++) { // indexed loops: the training step allocates nothing
            current = slots.get(l).forward(current, step);
        }
        LayerSlot out = slots.get(slots.size() - 1);
        double cost = head.cost(out.z, out.a, y) + penalty(x.numCols);
        out.gradient.reshape(out.z.numRows, out.z.numCols);
        head.backward(out, y, step, slots.size() > 1 ? slots.get(slots.size() - 2).gradient : NO_INPUT_GRADIENT);
        for (int l = slots.size() - 2; l >= 0; l--) {
            slots.get(l).backward(step, l > 0 ? slots.get(l - 1).gradient : NO_INPUT_GRADIENT);
        }
        return cost;
    }

    /** Whether the last backward pass was a float one, whose gradients the double ones do not hold. */
    private volatile boolean floatGradientsAhead;

    /** The float path of a float32 network, or null. */
    FloatPath floatPath() {
        return floatPath;
    }

    /**
     * One float training step's forward and backward pass (a float32 network), the floats first
     * rounded from the doubles if those may have been written.
     */
    double forwardBackward(FMatrixRMaj x, FMatrixRMaj y, Step step) {
        floatPath.beforeFloatPass();
        floatGradientsAhead = true;
        return floatPath.forwardBackward(x, y, step, penalty(x.numCols));
    }

    /** What the first layer gets as {@code dA[0]}: an empty matrix it must not write. */
    private static final DMatrixRMaj NO_INPUT_GRADIENT = new DMatrixRMaj(0, 0);

    /**
     * Refuses output layers whose declared function cannot serve the loss: a softmax over one unit
     * (always 1, so nothing can be learned), and a loss that pairs with one standard function
     * given an output that declares another (a sigmoid under softmax cross-entropy: outputs that
     * need not sum to 1, whose cost falls to 0 by pushing every output to 1).
     */
    private static void checkOutputPairing(Loss loss, Activation output, int units) {
        if (!(output instanceof StandardActivation standard)) {
            return;
        }
        if (standard.function() == StandardFunction.SOFTMAX && units == 1) {
            throw new IllegalArgumentException("the output layer has 1 unit with " + output + ", which is always 1, so nothing "
                    + "can be learned; use sigmoid for one output (with binary_cross_entropy), or one unit per class");
        }
        if (loss instanceof FusedLoss fused && fused.fusedWith() != standard.function()) {
            throw new IllegalArgumentException("the loss " + loss + " needs a " + describe(fused.fusedWith())
                    + " output, but the output activation " + output + " computes the " + describe(standard.function())
                    + "; use " + (standard.function() == StandardFunction.LOGISTIC ? "binary_cross_entropy with " + output
                    : "softmax_cross_entropy with " + output) + ", or change the output activation");
        }
    }

    private static String describe(StandardFunction function) {
        return function == StandardFunction.SOFTMAX ? "softmax (a distribution over the classes)" : "logistic function (one "
                + "probability per unit)";
    }

    /**
     * How the output layer's cost and gradient are computed: fused ({@code dZ = A - Y} from a
     * {@link FusedLoss} whose function the output activation declares) or general (the loss's
     * {@code dA}, then the activation's backward). Chosen once, when the network is built.
     */
    private abstract static class OutputHead {

        static OutputHead of(Loss loss, Activation output) {
            if (loss instanceof FusedLoss fused && output instanceof StandardActivation standard
                    && standard.function() == fused.fusedWith()) {
                return new Fused(fused);
            }
            return new General(loss);
        }

        abstract double cost(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y);

        /** Runs the output layer's backward pass from the loss; {@code out.gradient} is shaped. */
        abstract void backward(LayerSlot out, DMatrixRMaj y, Step step, DMatrixRMaj previous);

        /** For traces: leaves {@code dZ[L]} (fused) or {@code dA[L]} (general) in {@code out.gradient}; returns a copy of {@code dA[L]}, or null when fused. */
        abstract DMatrixRMaj outputGradient(LayerSlot out, DMatrixRMaj y);

        private static final class Fused extends OutputHead {
            private final FusedLoss loss;

            Fused(FusedLoss loss) {
                this.loss = loss;
            }

            @Override
            double cost(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y) {
                return loss.fusedCost(z, y);
            }

            @Override
            void backward(LayerSlot out, DMatrixRMaj y, Step step, DMatrixRMaj previous) {
                loss.fusedGradient(out.z, out.a, y, out.gradient);
                out.backwardFromDz(step, previous);
            }

            @Override
            DMatrixRMaj outputGradient(LayerSlot out, DMatrixRMaj y) {
                loss.fusedGradient(out.z, out.a, y, out.gradient);
                return null;
            }
        }

        private static final class General extends OutputHead {
            private final Loss loss;

            General(Loss loss) {
                this.loss = loss;
            }

            @Override
            double cost(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj y) {
                if (loss instanceof FusedLoss fused) {
                    requireOutputsOf(fused, a);
                }
                return loss.cost(a, y);
            }

            /**
             * A loss that pairs with a standard function (a cross-entropy) reads the outputs as
             * probabilities; an output activation that does not declare that function may give
             * values outside [0, 1] (identity, relu), which such a loss would clamp and train on
             * without a word. NaN is left to the divergence check.
             */
            private static void requireOutputsOf(FusedLoss loss, DMatrixRMaj a) {
                double[] d = a.data;
                for (int k = 0, n = a.getNumElements(); k < n; k++) {
                    if (d[k] < 0.0 || d[k] > 1.0) {
                        throw notAProbability(loss, k / a.numCols, k % a.numCols, d[k]);
                    }
                }
            }

            @Override
            void backward(LayerSlot out, DMatrixRMaj y, Step step, DMatrixRMaj previous) {
                loss.gradient(out.output, y, out.gradient);
                out.backward(step, previous);
            }

            @Override
            DMatrixRMaj outputGradient(LayerSlot out, DMatrixRMaj y) {
                loss.gradient(out.output, y, out.gradient);
                return out.gradient.copy();
            }
        }
    }

    /** The refusal of output {@code A[row, column] = value} outside [0, 1] under a loss that reads probabilities. */
    static IllegalArgumentException notAProbability(FusedLoss loss, int row, int column, double value) {
        return new IllegalArgumentException(loss + ": output A[" + row + ", " + column + "] = " + value + " is not a probability "
                + "in [0, 1]; this loss needs an output activation whose values are probabilities ("
                + (loss.fusedWith() == StandardFunction.SOFTMAX ? "softmax" : "sigmoid") + ")");
    }

    private double penalty(int m) {
        double sum = 0.0;
        for (int l = 0; l < slots.size(); l++) {
            sum += slots.get(l).penalty(m);
        }
        return sum;
    }

    void checkInput(DMatrixRMaj x) {
        Objects.requireNonNull(x, "x");
        Checks.requireRows("X", x, config.inputSize(), "the network's input size n[0]");
        Checks.requireNonEmpty("X", x);
        Checks.requireFinite("X", x);
        if (floatPath != null) {
            Checks.requireFloatRange("X", x);
        }
    }

    /** Checks the data set's shapes against the network's and, for a float32 network, that every value fits in a float. */
    void checkLabelsShape(Dataset data) {
        Checks.requireRows("X", data.inputSize(), data.size(), config.inputSize(), "the network's input size n[0]");
        Checks.requireRows("Y", Access.data().y(data), units(depth()), "the network's output size n[L]");
        if (floatPath != null) {
            FeatureStore features = Access.data().features(data);
            long at = features.firstBeyondFloat();
            if (at >= 0) {
                int n = data.inputSize();
                DMatrixRMaj example = new DMatrixRMaj(n, 1);
                features.gather(null, (int) (at / n), 1, example);
                throw Checks.beyondFloat("the features contain " + example.get((int) (at % n), 0) + " at value " + at % n
                        + " of example " + at / n);
            }
            Checks.requireFloatRange("Y", Access.data().y(data));
        }
    }

    /**
     * {@code n[0]-n[1]-...-n[L]}, the activations (and every layer kind but dense) and the loss, e.g.
     * {@code 2-4(tanh)-4(batch_norm, relu)-1(sigmoid), binary_cross_entropy}.
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder().append(config.inputSize());
        for (int l = 0; l < slots.size(); l++) {
            LayerSlot slot = slots.get(l);
            String kind = PluginSpec.parse(config.layers().get(l).layer()).name();
            out.append('-').append(slot.units).append('(').append(kind.equals("dense") ? "" : kind + ", ")
                    .append(slot.activation).append(')');
        }
        out.append(", ").append(loss);
        return (config.dtype() == Dtype.FLOAT64 ? out : out.append(", ").append(config.dtype())).toString();
    }

    /**
     * Collects the architecture. Network-wide defaults (activation, initializer, regularizers)
     * apply to every layer that does not set its own; a network-wide regularizer that acts on
     * activations (dropout) is not applied to the output layer. Validation happens in
     * {@link #build()}, with messages that name the layer, the setting and the value.
     */
    public static final class Builder {
        private final int inputSize;
        private final List<LayerConfig> layers = new ArrayList<>();
        private String activation = "relu";
        private String initializer = "he_normal";
        private List<String> regularizers = List.of();
        private String loss;
        private long seed = 42L;
        private String random = NetworkConfig.DEFAULT_RANDOM;
        private Dtype dtype = Dtype.FLOAT64;
        private PluginRegistry registry;

        private Builder(int inputSize) {
            this.inputSize = inputSize;
        }

        /** The activation of layers that set none; default {@code relu}. */
        public Builder activation(String spec) {
            this.activation = spec;
            return this;
        }

        /** The weight initializer of layers that set none; default {@code he_normal}. */
        public Builder initializer(String spec) {
            this.initializer = spec;
            return this;
        }

        /** The regularizers of layers that set none; default none. */
        public Builder regularizers(String... specs) {
            this.regularizers = List.of(specs);
            return this;
        }

        /** Adds a dense layer of {@code units} units with the network-wide defaults. */
        public Builder dense(int units) {
            return layer(LayerConfig.dense(units));
        }

        /** Adds a dense layer of {@code units} units with the given activation. */
        public Builder dense(int units, String activation) {
            return layer(LayerConfig.dense(units).withActivation(activation));
        }

        /** Adds a layer; the last one added is the output layer. */
        public Builder layer(LayerConfig layer) {
            layers.add(Objects.requireNonNull(layer, "layer"));
            return this;
        }

        /** The loss, e.g. {@code binary_cross_entropy}; required. */
        public Builder loss(String spec) {
            this.loss = spec;
            return this;
        }

        /** The seed of the weight initialization; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The random source of the weight initialization, a {@link RandomSource} spec; default
         * {@code splittable}. {@code numpy_legacy} draws what NumPy draws after
         * {@code np.random.seed(seed)}; {@code numpy_legacy(seed=2)} fixes the seed in the spec.
         */
        public Builder random(String spec) {
            this.random = spec;
            return this;
        }

        /**
         * The number type to compute in; default {@link Dtype#FLOAT64}. {@link Dtype#FLOAT32} halves
         * the memory traffic and doubles the SIMD width of the products (see {@link Dtype}).
         */
        public Builder dtype(Dtype dtype) {
            this.dtype = Objects.requireNonNull(dtype, "dtype");
            return this;
        }

        /** {@link #dtype(Dtype)} by name: {@code float64} or {@code float32}. */
        public Builder dtype(String name) {
            return dtype(Dtype.parse(name));
        }

        /** The registry to take plugins from; default {@link PluginRegistry#defaults()}. */
        public Builder registry(PluginRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The architecture this builder describes, with the defaults resolved into every layer. */
        public NetworkConfig config() {
            PluginRegistry plugins = registry();
            List<LayerConfig> resolved = new ArrayList<>();
            for (int l = 1; l <= layers.size(); l++) {
                LayerConfig lc = layers.get(l - 1);
                List<String> regs = lc.regularizers();
                if (regs == null) {
                    regs = l < layers.size() ? regularizers : regularizers.stream()
                            .filter(spec -> !(plugins.create(Regularizer.class, spec) instanceof ActivationTransform t
                                    && t.isActive())).toList();
                }
                resolved.add(new LayerConfig(lc.layer(),
                        lc.activation() == null ? activation : lc.activation(),
                        lc.initializer() == null ? initializer : lc.initializer(),
                        regs));
            }
            return new NetworkConfig(inputSize, resolved, loss, seed, random, dtype);
        }

        /** Builds and initializes the network. */
        public Network build() {
            return fromConfig(config(), registry());
        }

        private PluginRegistry registry() {
            return registry == null ? PluginRegistry.defaults() : registry;
        }
    }
}
