package dev.nnkit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.Regularizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * A feed-forward network of {@code L} layers with the notation and shapes of SPEC §1: examples are
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
 * Weights are initialized by each layer's initializer from a generator seeded with the
 * {@linkplain NetworkConfig#seed() seed}; biases start at zero.
 *
 * <p>Threads: {@link #predict}, {@link #classify}, {@link #cost} and {@link #accuracy} only read
 * the parameters and may run on many threads at once. Training, {@link #computeGradients} and the
 * parameter setters change the network and need exclusive access.
 *
 * <p>Memory: besides its parameters, a network holds each layer's buffers for the largest batch
 * it has trained on, and, once trained, the trainer's batch buffers and one copy of its
 * parameters (for recovery from divergence), so that its next {@code fit} allocates none of them.
 */
public final class Network {

    /**
     * Examples evaluated at a time by {@link #cost} and {@link #accuracy} on larger data sets, so
     * that their memory stays bounded (a few MB) whatever the size of the data set.
     */
    static final int EVALUATION_CHUNK = 1024;

    private final NetworkConfig config;
    private final PluginRegistry registry;
    private final List<LayerSlot> slots;
    private final Loss loss;
    private final List<Parameter> parameters;
    private TrainingBuffers trainingBuffers;

    private Network(NetworkConfig config, PluginRegistry registry, List<LayerSlot> slots, Loss loss) {
        this.config = config;
        this.registry = registry;
        this.slots = List.copyOf(slots);
        this.loss = loss;
        List<Parameter> all = new ArrayList<>();
        for (LayerSlot slot : slots) {
            all.addAll(slot.layer.parameters());
        }
        this.parameters = Collections.unmodifiableList(all);
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
        RandomGenerator random = new SplittableRandom(config.seed());
        List<LayerSlot> slots = new ArrayList<>();
        int inputs = config.inputSize();
        int last = config.layers().size();
        for (int l = 1; l <= last; l++) {
            LayerConfig lc = config.layers().get(l - 1);
            String where = "layer " + l + " (" + lc.layer() + ")";
            Layer layer = registry.create(Layer.class, lc.layer());
            Activation activation = registry.create(Activation.class, require(lc.activation(), where + " activation", "tanh"));
            Initializer initializer = registry.create(Initializer.class, require(lc.initializer(), where + " initializer", "he_normal"));
            List<Regularizer> regularizers = new ArrayList<>();
            for (String spec : lc.regularizers() == null ? List.<String>of() : lc.regularizers()) {
                Regularizer r = registry.create(Regularizer.class, spec);
                if (l == last && r.actsOnActivations()) {
                    throw new IllegalArgumentException(where + " is the output layer and " + r
                            + " acts on its activations; the loss would see altered outputs. Attach it to hidden layers only");
                }
                regularizers.add(r);
            }
            if (layer.units() <= 0) {
                throw new IllegalArgumentException(where + ": units=" + layer.units() + "; units must be > 0");
            }
            layer.connect(inputs);
            for (Parameter p : layer.parameters()) {
                if (p.role() == Parameter.Role.WEIGHT) {
                    initializer.initialize(p.value(), random);
                } else {
                    p.value().zero();
                }
            }
            if (l == last) {
                loss.checkOutputActivation(activation);
            }
            slots.add(new LayerSlot(layer, activation, initializer, regularizers));
            inputs = layer.units();
        }
        return new Network(config, registry, slots, loss);
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
        return slot(l).layer.units();
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

    /** The registry the network's plugins came from. */
    public PluginRegistry registry() {
        return registry;
    }

    /**
     * Every parameter array with live access to its value and gradient, layer by layer
     * ({@code W[1], b[1], W[2], ...}): for optimizers and gradient checkers.
     */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The parameter arrays of layer {@code l} (1..L), live, e.g. {@code W} then {@code b} for dense. */
    public List<Parameter> parameters(int l) {
        return slot(l).layer.parameters();
    }

    /** A copy of parameter {@code name} of layer {@code l}, e.g. {@code parameter(1, "W")} is {@code W[1]}. */
    public DMatrixRMaj parameter(int l, String name) {
        return find(l, name).value().copy();
    }

    /**
     * Sets parameter {@code name} of layer {@code l} to a copy of {@code value}, e.g. to reproduce a
     * textbook case with known weights.
     *
     * @throws IllegalArgumentException when the shape differs or an entry is not finite
     */
    public void setParameter(int l, String name, DMatrixRMaj value) {
        Parameter p = find(l, name);
        if (value.numRows != p.value().numRows || value.numCols != p.value().numCols) {
            throw new IllegalArgumentException(name + "[" + l + "] is (" + p.value().numRows + ", " + p.value().numCols
                    + ") but the given matrix is (" + value.numRows + ", " + value.numCols + ")");
        }
        Checks.requireFinite(name + "[" + l + "]", value);
        p.value().setTo(value);
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
     * rescaled. Safe to call from several threads at once.
     *
     * @param x inputs, {@code (n[0], m)}. Not modified.
     * @return a new {@code (n[L], m)} matrix
     */
    public DMatrixRMaj predict(DMatrixRMaj x) {
        checkInput(x);
        DMatrixRMaj current = x;
        for (LayerSlot slot : slots) {
            DMatrixRMaj z = new DMatrixRMaj(slot.layer.units(), x.numCols);
            slot.layer.forward(current, z);
            slot.activation.forward(z, z);
            current = z;
        }
        return current;
    }

    /**
     * Every layer's {@code Z[l]} and {@code A[l]} for inputs {@code X}, in inference mode (no unit
     * dropped). Safe to call from several threads at once.
     *
     * @param x inputs, {@code (n[0], m)}. Not modified.
     */
    public ForwardTrace forwardTrace(DMatrixRMaj x) {
        checkInput(x);
        List<DMatrixRMaj> zs = new ArrayList<>();
        List<DMatrixRMaj> as = new ArrayList<>();
        DMatrixRMaj current = x;
        for (LayerSlot slot : slots) {
            DMatrixRMaj z = new DMatrixRMaj(slot.layer.units(), x.numCols);
            slot.layer.forward(current, z);
            DMatrixRMaj a = new DMatrixRMaj(z.numRows, z.numCols);
            slot.activation.forward(z, a);
            zs.add(z);
            as.add(a);
            current = a;
        }
        return new ForwardTrace(zs, as);
    }

    /**
     * The predicted class of each column: with one output unit {@code A[L] > 0.5} (SPEC §1) gives 1
     * or 0; with several, the index of the largest output.
     */
    public int[] classify(DMatrixRMaj x) {
        return Evaluation.classes(predict(x));
    }

    /**
     * The fraction of examples whose predicted class equals the label's class, in [0, 1]. Reads
     * the data set 1,024 examples at a time, so its memory stays a few MB whatever the size.
     */
    public double accuracy(Dataset data) {
        checkLabelsShape(data);
        ChunkedPass pass = new ChunkedPass(data);
        long correct = 0;
        for (int from = 0; from < data.size(); from += EVALUATION_CHUNK) {
            pass.forward(from, Math.min(data.size(), from + EVALUATION_CHUNK));
            correct += Evaluation.correct(Evaluation.classes(pass.output()), pass.y);
        }
        return (double) correct / data.size();
    }

    /**
     * The cost {@code J} on a data set, regularization penalties included, with no unit dropped.
     * Reads the data set 1,024 examples at a time: the loss's mean over each chunk, weighted by
     * the chunk's size, then the penalties once.
     */
    public double cost(Dataset data) {
        checkLabelsShape(data);
        ChunkedPass pass = new ChunkedPass(data);
        double sum = 0.0; // of the per-example losses: each chunk's mean times its size
        for (int from = 0; from < data.size(); from += EVALUATION_CHUNK) {
            int to = Math.min(data.size(), from + EVALUATION_CHUNK);
            pass.forward(from, to);
            sum += loss.cost(pass.z[pass.z.length - 1], pass.output(), pass.y) * (to - from);
        }
        return sum / data.size() + penalty(data.size());
    }

    /**
     * A forward pass in inference mode over a data set, {@link #EVALUATION_CHUNK} examples at a
     * time, through buffers allocated once per pass (one pass per call, so calls on several
     * threads do not share them).
     */
    private final class ChunkedPass {
        private final Dataset data;
        private final DMatrixRMaj x;
        final DMatrixRMaj y;
        final DMatrixRMaj[] z;
        private final DMatrixRMaj[] a;

        ChunkedPass(Dataset data) {
            this.data = data;
            int columns = Math.min(data.size(), EVALUATION_CHUNK);
            x = new DMatrixRMaj(data.inputSize(), columns);
            y = new DMatrixRMaj(data.outputSize(), columns);
            z = new DMatrixRMaj[slots.size()];
            a = new DMatrixRMaj[slots.size()];
            for (int l = 0; l < slots.size(); l++) {
                z[l] = new DMatrixRMaj(slots.get(l).layer.units(), columns);
                a[l] = new DMatrixRMaj(slots.get(l).layer.units(), columns);
            }
        }

        /** Reads examples {@code [from, to)} into {@code x} and {@code y} and runs them forward. */
        void forward(int from, int to) {
            data.gather(null, from, to, x, y);
            DMatrixRMaj current = x;
            for (int l = 0; l < slots.size(); l++) {
                LayerSlot slot = slots.get(l);
                z[l].reshape(slot.layer.units(), to - from);
                slot.layer.forward(current, z[l]);
                a[l].reshape(z[l].numRows, z[l].numCols);
                slot.activation.forward(z[l], a[l]);
                current = a[l];
            }
        }

        DMatrixRMaj output() {
            return a[a.length - 1];
        }
    }

    /**
     * Runs one deterministic forward and backward pass (no unit dropped) and leaves the gradient of
     * every parameter in its {@link Parameter#gradient()}; regularization penalties are included in
     * both the cost and the gradients. This is what a gradient checker compares with finite
     * differences of {@link #cost}.
     *
     * @return the cost {@code J} at the current parameters
     */
    public double computeGradients(Dataset data) {
        checkLabelsShape(data);
        loss.checkLabels(data.y());
        return forwardBackward(data.x(), data.y(), null);
    }

    /** The trainer's buffers for this network, made at the first training run and kept for the next. */
    TrainingBuffers trainingBuffers() {
        if (trainingBuffers == null) {
            trainingBuffers = new TrainingBuffers();
        }
        return trainingBuffers;
    }

    /**
     * One forward and backward pass over a batch with the slots' buffers. With a non-null
     * {@code random}, regularizers that act on activations do so (training); otherwise they are skipped.
     */
    double forwardBackward(DMatrixRMaj x, DMatrixRMaj y, RandomGenerator random) {
        DMatrixRMaj current = x;
        for (int l = 0; l < slots.size(); l++) { // indexed loops: the training step allocates nothing
            current = slots.get(l).forward(current, random);
        }
        LayerSlot out = slots.get(slots.size() - 1);
        double cost = loss.cost(out.z, out.a, y) + penalty(x.numCols);
        out.gradient.reshape(out.z.numRows, out.z.numCols);
        loss.gradient(out.z, out.a, y, out.activation, out.gradient);
        for (int l = slots.size() - 1; l >= 0; l--) {
            DMatrixRMaj previous = l > 0 ? slots.get(l - 1).gradient : null;
            slots.get(l).backward(l == slots.size() - 1, random != null, previous);
        }
        return cost;
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
    }

    void checkLabelsShape(Dataset data) {
        Checks.requireRows("X", data.inputSize(), data.size(), config.inputSize(), "the network's input size n[0]");
        Checks.requireRows("Y", data.y(), units(depth()), "the network's output size n[L]");
    }

    /** {@code n[0]-n[1]-...-n[L]}, the activations and the loss, e.g. {@code 2-4(tanh)-1(sigmoid), binary_cross_entropy}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder().append(config.inputSize());
        for (LayerSlot slot : slots) {
            out.append('-').append(slot.layer.units()).append('(').append(slot.activation).append(')');
        }
        return out.append(", ").append(loss).toString();
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
                            .filter(spec -> !plugins.create(Regularizer.class, spec).actsOnActivations()).toList();
                }
                resolved.add(new LayerConfig(lc.layer(),
                        lc.activation() == null ? activation : lc.activation(),
                        lc.initializer() == null ? initializer : lc.initializer(),
                        regs));
            }
            return new NetworkConfig(inputSize, resolved, loss, seed);
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
