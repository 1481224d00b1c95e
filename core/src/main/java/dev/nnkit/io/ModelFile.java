package dev.nnkit.io;

import dev.nnkit.Dtype;
import dev.nnkit.Hyperparameters;
import dev.nnkit.LayerConfig;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.data.Pipeline;
import dev.nnkit.internal.Access;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.StateArray;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import dev.nnkit.training.TrainingState;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.ejml.data.DMatrixRMaj;

/**
 * Saves a trained {@link Network}, optionally with the {@link TrainingState} to resume its training
 * from, in one binary file, and loads it back.
 *
 * <pre>{@code
 * ModelFile.save(network, Path.of("xor.nnkit"));
 * Network same = ModelFile.load(Path.of("xor.nnkit")).network();
 * }</pre>
 *
 * <p><b>Format</b> (version {@value #FORMAT_VERSION}; every integer and double little-endian;
 * version 1, written before layers could hold state, and version 2, written before the
 * preprocessing {@link Pipeline} was saved, are read as well):
 * <table>
 *   <caption>model file layout</caption>
 *   <tr><th>bytes</th><th>field</th></tr>
 *   <tr><td>8</td><td>magic {@code 0x89 'N' 'N' 'K' 'I' 'T' 0x0D 0x0A}</td></tr>
 *   <tr><td>4</td><td>format version, int32 ({@value #FORMAT_VERSION})</td></tr>
 *   <tr><td>4</td><td>flags, int32: bit 0 set when a training state follows the parameters; bit 1
 *       (version 3 on) set when a pipeline follows the layer state; other bits 0</td></tr>
 *   <tr><td>4</td><td>{@code J}, the length of the config in bytes, 1 to {@value #MAX_CONFIG_BYTES}</td></tr>
 *   <tr><td>J</td><td>the config: a {@link NetworkConfigs} JSON document in UTF-8, with a
 *       {@code training} section (the state's {@link Hyperparameters}) exactly when bit 0 is set</td></tr>
 *   <tr><td>4</td><td>{@code P}, the number of parameter arrays, 1 to {@value #MAX_PARAMETERS}</td></tr>
 *   <tr><td>P times</td><td>int32 name length {@code N} (1 to {@value #MAX_NAME_BYTES}), the name in
 *       ASCII (e.g. {@code W[1]}: the parameter's name in its layer and the layer number), int32
 *       rows, int32 columns, then rows x columns float64 values in row-major order</td></tr>
 *   <tr><td>4</td><td>{@code S}, the number of layer state arrays (e.g. {@code running_mean[2]}), 0 to
 *       {@value #MAX_PARAMETERS}; absent in version 1 files, which hold no state</td></tr>
 *   <tr><td>S times</td><td>a state array, laid out as a parameter array</td></tr>
 *   <tr><td>if bit 1</td><td>int32 {@code Q}, 1 to {@value #MAX_CONFIG_BYTES}, then {@code Q} bytes: the
 *       {@link Pipeline} (feature names, standardizer, task, label and class names) as an
 *       {@code nnkit-pipeline} JSON document in UTF-8 (see {@code docs/FILE-FORMATS.md})</td></tr>
 *   <tr><td>if bit 0</td><td>int32 epochs done, int64 steps done, int32 {@code K}, the number of
 *       optimizer state arrays, then {@code K} times: int32 length {@code n}, {@code n} float64</td></tr>
 *   <tr><td>32</td><td>SHA-256 of every byte before it</td></tr>
 * </table>
 *
 * <p><b>Saving</b> is atomic: the bytes go to a new temporary file {@code .<name>.<random>.tmp} in
 * the target's directory, which is forced to the storage device ({@link FileChannel#force}) and
 * then renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}; the directory is then
 * forced too where the platform allows it. A crash or kill at any moment leaves either the old
 * file or the new one, never a mixture; on an exception the temporary file is deleted and the old
 * file is untouched (after a killed JVM a temporary file may remain and may be deleted). Only
 * finite parameters and optimizer state are saved.
 *
 * <p><b>Loading</b> treats the file as hostile. It checks the magic, the version and the flags;
 * then every length, count and shape against the limits above and against the bytes that remain
 * before the checksum, before allocating anything for it, so a file never makes the reader
 * allocate more than its own size; then that the structure ends exactly at the checksum, and the
 * SHA-256; then it reads the config with {@link NetworkConfigs} (the plugins are made by spec name
 * through the registry, the only code the file can select; never Java serialization), checks that
 * the network the config describes has at most its parameters' values plus {@code 2^20} weights
 * ({@code sum of n[l] * n[l-1]}), builds it, and checks that the file's parameter names and
 * shapes are exactly the network's, in order, and every value finite; finally a training state's
 * arrays must be accepted by the optimizer its spec names: restored into a fresh instance that
 * takes one trial step on scratch copies of the parameters with zero gradients.
 * A file that fails any check is refused with a {@link DataFileException} naming the file, the
 * byte offset and the problem; a config that names a plugin missing from the registry is refused
 * with the registry's {@link PluginException}, prefixed with the file and the position.
 *
 * <p>Thread-safe: every method may be called from several threads, on different files.
 */
public final class ModelFile {

    static {
        Access.setIo((network, data, state, file) -> write(network.config(), tensors(network, data), layerState(network, data), null, state, file));
    }

    /** The version of the file format this class writes; it reads this one and every earlier one. */
    public static final int FORMAT_VERSION = 3;
    /** The first version with layer state arrays. */
    static final int FIRST_VERSION_WITH_STATE = 2;
    /** The first version that may hold a preprocessing pipeline. */
    static final int FIRST_VERSION_WITH_PIPELINE = 3;
    /** The longest config accepted, in bytes. */
    public static final int MAX_CONFIG_BYTES = 1 << 20;
    /** The most parameter arrays a file may hold. */
    public static final int MAX_PARAMETERS = 1 << 16;
    /** The longest parameter name accepted, in bytes. */
    public static final int MAX_NAME_BYTES = 64;
    /** The most optimizer state arrays a file may hold. */
    public static final int MAX_OPTIMIZER_ARRAYS = 1 << 20;
    /** The slack, in weights, between the parameters a file holds and the network its config may describe. */
    public static final long WEIGHT_SLACK = 1L << 20;

    static final byte[] MAGIC = {(byte) 0x89, 'N', 'N', 'K', 'I', 'T', 0x0D, 0x0A};
    private static final int FLAG_STATE = 1;
    private static final int FLAG_PIPELINE = 2;
    private static final int CHECKSUM_BYTES = 32;
    private static final int HEADER_BYTES = MAGIC.length + 4 + 4 + 4;
    /** Header, one byte of config, the parameter count and one empty parameter named x[1], checksum. */
    private static final int MIN_FILE_BYTES = HEADER_BYTES + 1 + 4 + 4 + 4 + 4 + 4 + CHECKSUM_BYTES;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}\\[[1-9][0-9]{0,8}\\]");

    private ModelFile() {
    }

    /**
     * What a model file holds.
     *
     * @param network       the network, with the saved parameters
     * @param trainingState the state to {@linkplain Trainer#resume resume} training from, when it was saved
     * @param pipeline      the preprocessing of raw features and the meaning of the outputs, when it
     *                      was saved (format version 3 on)
     */
    public record Contents(Network network, Optional<TrainingState> trainingState, Optional<Pipeline> pipeline) {

        /** Refuses a missing component. */
        public Contents {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(trainingState, "trainingState");
            Objects.requireNonNull(pipeline, "pipeline");
        }

        /** Contents without a pipeline. */
        public Contents(Network network, Optional<TrainingState> trainingState) {
            this(network, trainingState, Optional.empty());
        }

        /**
         * The model's predictions for raw features, as in training: the pipeline's preprocessing,
         * the network, then the pipeline's reading of the outputs (class names or values).
         *
         * @param rawFeatures {@code (features, m)}, one example per column, in the order of
         *                    {@link Pipeline#featureNames()}. Not modified.
         * @throws IllegalStateException    when the file holds no pipeline (it was saved without one,
         *                                  or by a version of nnkit before format version 3)
         * @throws IllegalArgumentException when the features do not fit the pipeline
         */
        public Pipeline.Predictions predict(DMatrixRMaj rawFeatures) {
            Pipeline p = pipeline.orElseThrow(() -> new IllegalStateException("this model file holds no pipeline (it was "
                    + "saved without one, or before format version 3): its network takes features prepared as in its "
                    + "training; call network().predict on them"));
            return p.decode(network.predict(p.transform(rawFeatures)));
        }
    }

    /**
     * Saves the network's config and parameters, replacing {@code file} atomically.
     *
     * @throws IllegalArgumentException when a parameter is not finite or the config cannot be written
     * @throws IOException when the file cannot be written; the old file, if any, is then unchanged
     */
    public static void save(Network network, Path file) throws IOException {
        save(network, (TrainingState) null, file);
    }

    /**
     * Saves the network with the pipeline that prepares its input and reads its output, replacing
     * {@code file} atomically; {@link Contents#predict} then works from raw features.
     *
     * @throws IllegalArgumentException when the pipeline does not fit the network's input and
     *                                  output sizes, or a parameter is not finite
     * @throws IOException when the file cannot be written; the old file, if any, is then unchanged
     */
    public static void save(Network network, Pipeline pipeline, Path file) throws IOException {
        Objects.requireNonNull(pipeline, "pipeline");
        pipeline.requireFits(network.config().inputSize(), network.units(network.depth()));
        save(network, pipeline, null, file);
    }

    /**
     * Saves the network's config and parameters and the state to resume training from (e.g. the
     * one a {@link TrainingListener} gets from {@link TrainingContext#state()}), replacing
     * {@code file} atomically. While the network trains, only the training thread (a listener) may
     * save it; another thread is refused with an {@link IllegalStateException}, so a file never
     * mixes the parameters of two steps.
     *
     * @param state the training position and optimizer state, or {@code null} for none
     * @throws IllegalArgumentException when a parameter or a state entry is not finite, or the
     *                                  config cannot be written
     * @throws IOException when the file cannot be written; the old file, if any, is then unchanged
     */
    public static void save(Network network, TrainingState state, Path file) throws IOException {
        save(network, null, state, file);
    }

    private static void save(Network network, Pipeline pipeline, TrainingState state, Path file) throws IOException {
        Objects.requireNonNull(network, "network");
        long stamp = Access.model().beginRead(network, "ModelFile.save");
        try {
            List<DMatrixRMaj> model = Access.model().modelArrays(network);
            double[][] data = new double[model.size()][];
            for (int k = 0; k < data.length; k++) {
                data[k] = model.get(k).data;
            }
            write(network.config(), tensors(network, data), layerState(network, data), pipeline, state, file);
        } finally {
            Access.model().endRead(network, stamp);
        }
    }

    /** One named parameter array; {@code data} holds at least rows x cols values, row-major. */
    record Tensor(String name, int rows, int cols, double[] data) {
    }

    /**
     * The parameter arrays of {@code network} named as in a file ({@code W[1]}), with their values
     * taken from {@code data}: one array per {@link Network#modelArrays()} entry, parameters first.
     */
    static List<Tensor> tensors(Network network, double[][] data) {
        List<Tensor> tensors = new ArrayList<>();
        int k = 0;
        for (int l = 1; l <= network.depth(); l++) {
            for (Parameter p : Access.model().parameters(network, l)) {
                tensors.add(new Tensor(p.name() + "[" + l + "]", p.value().numRows, p.value().numCols, data[k++]));
            }
        }
        return tensors;
    }

    /** The layer state arrays of {@code network} named as in a file, values from the tail of {@code data}. */
    static List<Tensor> layerState(Network network, double[][] data) {
        List<Tensor> tensors = new ArrayList<>();
        int k = Access.model().parameters(network).size();
        for (int l = 1; l <= network.depth(); l++) {
            for (StateArray s : network.state(l)) {
                tensors.add(new Tensor(s.name() + "[" + l + "]", s.value().numRows, s.value().numCols, data[k++]));
            }
        }
        return tensors;
    }

    /** Writes a model file of a network without layer state; see the other {@code write}. */
    static void write(NetworkConfig config, List<Tensor> tensors, TrainingState state, Path file) throws IOException {
        write(config, tensors, List.of(), null, state, file);
    }

    /** Writes a model file without a pipeline; see the other {@code write}. */
    static void write(NetworkConfig config, List<Tensor> tensors, List<Tensor> layerState, TrainingState state, Path file)
            throws IOException {
        write(config, tensors, layerState, null, state, file);
    }

    /** Writes a model file atomically from a config, its parameter and layer state arrays and an optional training state. */
    static void write(NetworkConfig config, List<Tensor> tensors, List<Tensor> layerState, Pipeline pipeline,
                      TrainingState state, Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] pipelineJson = pipeline == null ? null : PipelineJson.toJson(pipeline).getBytes(StandardCharsets.UTF_8);
        if (pipelineJson != null && pipelineJson.length > MAX_CONFIG_BYTES) {
            throw new IllegalArgumentException("the pipeline is " + pipelineJson.length + " bytes of JSON; a model file holds"
                    + " at most " + MAX_CONFIG_BYTES);
        }
        byte[] json = NetworkConfigs.toJson(config, state == null ? null : state.hyperparameters())
                .getBytes(StandardCharsets.UTF_8);
        if (json.length > MAX_CONFIG_BYTES) {
            throw new IllegalArgumentException("the config is " + json.length + " bytes of JSON; a model file holds at most "
                    + MAX_CONFIG_BYTES);
        }
        List<Tensor> all = new ArrayList<>(tensors);
        all.addAll(layerState);
        for (Tensor t : all) {
            if (!NAME.matcher(t.name).matches()) {
                throw new IllegalArgumentException("parameter " + t.name + ": a saved parameter's name is letters, digits"
                        + " and _ (at most 32, starting with a letter) followed by [layer]; rename it in its layer plugin");
            }
            requireFinite(t.name, t.data, (long) t.rows * t.cols);
        }
        List<double[]> optimizerState = state == null ? List.of() : state.optimizerState();
        for (int k = 0; k < optimizerState.size(); k++) {
            requireFinite("optimizer state array " + k, optimizerState.get(k), optimizerState.get(k).length);
        }
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        if (Files.isDirectory(target)) {
            throw new FileSystemException(file.toString(), null, "cannot write the model file: it is a folder");
        }
        Path temporary;
        try {
            temporary = createTemporary(directory, target.getFileName().toString());
        } catch (IOException e) {
            throw writeFailure(file, directory, e);
        }
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                Output out = new Output(channel);
                out.bytes(MAGIC);
                out.int32(FORMAT_VERSION);
                out.int32((state == null ? 0 : FLAG_STATE) | (pipelineJson == null ? 0 : FLAG_PIPELINE));
                out.int32(json.length);
                out.bytes(json);
                writeTensors(out, tensors);
                writeTensors(out, layerState);
                if (pipelineJson != null) {
                    out.int32(pipelineJson.length);
                    out.bytes(pipelineJson);
                }
                if (state != null) {
                    out.int32(state.epochsDone());
                    out.int64(state.stepsDone());
                    out.int32(optimizerState.size());
                    for (double[] array : optimizerState) {
                        out.int32(array.length);
                        out.doubles(array, array.length);
                    }
                }
                out.finish();
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically (" + e.getMessage()
                    + "); save to a file system that supports atomic rename", e);
        } catch (IOException e) {
            throw writeFailure(file, directory, e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the original failure matters more; the temporary name marks it as disposable
                }
            }
        }
        forceDirectory(directory);
    }

    /**
     * A failure to write {@code file}, named by the user's path (not the temporary file's) with the
     * operating system's reason, as a {@link FileSystemException} whose file is {@code file}.
     */
    private static FileSystemException writeFailure(Path file, Path directory, IOException e) {
        String reason;
        if (e instanceof NoSuchFileException) {
            reason = "the folder " + directory + " does not exist";
        } else if (e instanceof AccessDeniedException) {
            reason = "permission denied (the folder " + directory + " is not writable)";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            reason = f.getReason();
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        FileSystemException failure = new FileSystemException(file.toString(), null, "cannot write the model file: " + reason
                + "; the old file, if any, is unchanged");
        failure.initCause(e);
        return failure;
    }

    private static void writeTensors(Output out, List<Tensor> tensors) throws IOException {
        out.int32(tensors.size());
        for (Tensor t : tensors) {
            byte[] name = t.name.getBytes(StandardCharsets.US_ASCII);
            out.int32(name.length);
            out.bytes(name);
            out.int32(t.rows);
            out.int32(t.cols);
            out.doubles(t.data, t.rows * t.cols);
        }
    }

    private static void requireFinite(String name, double[] data, long count) {
        for (int k = 0; k < count; k++) {
            if (!Double.isFinite(data[k])) {
                throw new IllegalArgumentException(name + " holds " + data[k] + " at index " + k
                        + "; only finite parameters and optimizer state can be saved");
            }
        }
    }

    private static Path createTemporary(Path directory, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = directory.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 9) {
                    throw e;
                }
            }
        }
    }

    /** Makes the rename durable where directories can be opened and forced (Linux, macOS). */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform (e.g. Windows); the rename itself is still atomic
        }
    }

    /** Loads a model file with the plugins of {@link PluginRegistry#defaults()}; see {@link #load(Path, PluginRegistry)}. */
    public static Contents load(Path file) throws IOException {
        return load(file, PluginRegistry.defaults());
    }

    /**
     * Loads a model file, checking everything listed in the class documentation.
     *
     * @param registry the plugins the file's spec strings are made with
     * @throws DataFileException when the file is not a model file, has another version, is
     *         truncated, corrupt, or inconsistent; the message names the file, the byte offset and
     *         the problem
     * @throws PluginException   when the config names a plugin or argument the registry does not know
     * @throws IOException       when the file cannot be opened or read
     */
    public static Contents load(Path file, PluginRegistry registry) throws IOException {
        Objects.requireNonNull(file, "file");
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
            return read(channel, file.toString(), registry);
        }
    }

    /** Reads a model file from a channel positioned at its start; {@code name} appears in errors. */
    static Contents read(SeekableByteChannel channel, String name, PluginRegistry registry) throws IOException {
        Objects.requireNonNull(registry, "registry");
        long size = channel.size();
        Input in = new Input(channel, name, size);
        checkMagic(in, size);
        if (size < MIN_FILE_BYTES) {
            throw in.error(size, "the file ends after " + size + " bytes; a model file has at least " + MIN_FILE_BYTES
                    + " (header, config, parameters, checksum): it is truncated");
        }
        in.setEnd(size - CHECKSUM_BYTES);
        in.skipMagic();
        long at = in.position();
        int version = in.int32();
        if (version < 1 || version > FORMAT_VERSION) {
            throw in.error(at, "format version " + Integer.toUnsignedString(version) + (version > FORMAT_VERSION || version < 0
                    ? " is newer than this nnkit reads (" + FORMAT_VERSION + "); upgrade nnkit to read it"
                    : " is not a version of the format (they start at 1); the file is corrupt"));
        }
        at = in.position();
        int flags = in.int32();
        int known = version >= FIRST_VERSION_WITH_PIPELINE ? FLAG_STATE | FLAG_PIPELINE : FLAG_STATE;
        if ((flags & ~known) != 0) {
            throw in.error(at, "flags 0x" + Integer.toHexString(flags) + " set bits this nnkit does not know in a version "
                    + version + " file (it knows 0x1, training state" + (known == FLAG_STATE ? "" : ", and 0x2, pipeline")
                    + "); the file is corrupt or needs a newer nnkit");
        }
        boolean hasPipeline = (flags & FLAG_PIPELINE) != 0;
        boolean hasState = (flags & FLAG_STATE) != 0;
        long configAt = in.position() + 4;
        int configLength = in.length("the config length", 1, MAX_CONFIG_BYTES, 1);
        byte[] configBytes = in.bytes(configLength);

        int count = in.length("the number of parameter arrays", 1, MAX_PARAMETERS, 4 + 1 + 4 + 4);
        List<Tensor> tensors = new ArrayList<>(count);
        List<Long> tensorOffsets = new ArrayList<>(count);
        long values = readTensors(in, count, "parameter array", tensors, tensorOffsets);
        List<Tensor> layerState = new ArrayList<>();
        List<Long> layerStateOffsets = new ArrayList<>();
        long layerStateAt = in.position();
        if (version >= FIRST_VERSION_WITH_STATE) {
            int stateCount = in.length("the number of layer state arrays", 0, MAX_PARAMETERS, 4 + 1 + 4 + 4);
            values += readTensors(in, stateCount, "layer state array", layerState, layerStateOffsets);
        }
        long pipelineAt = in.position() + 4;
        byte[] pipelineBytes = hasPipeline ? in.bytes(in.length("the pipeline length", 1, MAX_CONFIG_BYTES, 1)) : null;

        int epochsDone = 0;
        long stepsDone = 0;
        List<double[]> optimizerState = new ArrayList<>();
        long stateAt = in.position();
        if (hasState) {
            at = in.position();
            epochsDone = in.int32();
            stepsDone = in.int64();
            if (epochsDone < 0 || stepsDone < 0) {
                throw in.error(at, "the training state has " + epochsDone + " epochs and " + stepsDone
                        + " steps done; both must be >= 0");
            }
            int arrays = in.length("the number of optimizer state arrays", 0, MAX_OPTIMIZER_ARRAYS, 4);
            for (int k = 0; k < arrays; k++) {
                String what = "optimizer state array " + (k + 1) + " of " + arrays;
                int length = in.length("the length of " + what, 0, (int) MAX_ARRAY, 8);
                long valuesAt = in.position();
                double[] data = in.doubles(length);
                checkFinite(in, valuesAt, what, data);
                optimizerState.add(data);
            }
        }
        if (in.remaining() != 0) {
            throw in.error(in.position(), in.remaining() + " unexpected bytes between the "
                    + (hasState ? "training state" : "parameters") + " and the checksum: the file is corrupt");
        }
        in.verifyChecksum();

        // the bytes are as written; now check that they make sense together
        NetworkConfigs.Document document = config(in, configAt, configBytes, registry);
        if (document.training().isPresent() != hasState) {
            throw in.error(configAt, hasState
                    ? "the file holds a training state but its config has no \"training\" section"
                    : "the config has a \"training\" section but the file holds no training state");
        }
        checkNetworkSize(in, configAt, document.network(), registry, values);
        Network network;
        try {
            network = Network.fromConfig(document.network(), registry);
        } catch (PluginException e) {
            throw missingPlugin(name, configAt, e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw in.error(configAt, "the config does not describe a network that can be built: " + e.getMessage());
        }
        setParameters(in, network, tensors, tensorOffsets);
        setLayerState(in, network, layerState, layerStateOffsets, layerStateAt);
        Optional<Pipeline> pipeline = Optional.empty();
        if (hasPipeline) {
            pipeline = Optional.of(pipeline(in, pipelineAt, pipelineBytes, network));
        }
        Optional<TrainingState> state = Optional.empty();
        if (hasState) {
            Hyperparameters hyperparameters = document.training().get();
            checkOptimizerState(in, stateAt, network, hyperparameters, registry, stepsDone, optimizerState);
            state = Optional.of(new TrainingState(hyperparameters, epochsDone, stepsDone, optimizerState));
        }
        return new Contents(network, state, pipeline);
    }

    private static Pipeline pipeline(Input in, long at, byte[] bytes, Network network) throws DataFileException {
        Pipeline pipeline;
        try {
            String json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            pipeline = PipelineJson.fromJson(json);
        } catch (CharacterCodingException e) {
            throw in.error(at, "the pipeline is not valid UTF-8 (" + e + ")");
        } catch (IllegalArgumentException e) {
            throw in.error(at, "the pipeline: " + e.getMessage());
        }
        try {
            pipeline.requireFits(network.config().inputSize(), network.units(network.depth()));
        } catch (IllegalArgumentException e) {
            throw in.error(at, "the pipeline does not fit the network " + network + ": " + e.getMessage());
        }
        return pipeline;
    }

    /** Reads {@code count} named arrays into {@code tensors}, their offsets into {@code offsets}; returns the values read. */
    private static long readTensors(Input in, int count, String kind, List<Tensor> tensors, List<Long> offsets)
            throws IOException {
        long values = 0;
        for (int k = 0; k < count; k++) {
            offsets.add(in.position());
            String what = kind + " " + (k + 1) + " of " + count;
            int nameLength = in.length("the name length of " + what, 1, MAX_NAME_BYTES, 1);
            long nameAt = in.position();
            byte[] nameBytes = in.bytes(nameLength);
            String tensorName = new String(nameBytes, StandardCharsets.US_ASCII);
            if (!NAME.matcher(tensorName).matches()) {
                throw in.error(nameAt, "the name of " + what + " is \"" + printable(nameBytes)
                        + "\"; a name is a parameter name and a layer number, e.g. W[1]");
            }
            long shapeAt = in.position();
            int rows = in.int32();
            int cols = in.int32();
            if (rows < 0 || cols < 0) {
                throw in.error(shapeAt, tensorName + " has the shape (" + rows + ", " + cols + "); rows and columns must be >= 0");
            }
            long elements = (long) rows * cols;
            if (elements > MAX_ARRAY || elements * 8 > in.remaining()) {
                throw in.error(shapeAt, tensorName + " is (" + rows + ", " + cols + "): " + elements * 8 + " bytes of values, but "
                        + in.remaining() + " bytes remain before the checksum: the file is truncated or corrupt");
            }
            long valuesAt = in.position();
            double[] data = in.doubles((int) elements);
            checkFinite(in, valuesAt, tensorName, data);
            tensors.add(new Tensor(tensorName, rows, cols, data));
            values += elements;
        }
        return values;
    }

    private static void checkMagic(Input in, long size) throws IOException {
        int available = (int) Math.min(size, MAGIC.length);
        byte[] head = in.peek(available);
        if (!Arrays.equals(head, 0, available, MAGIC, 0, available)) {
            throw in.error(0, "not an nnkit model file: it starts with " + hex(head)
                    + " but a model file starts with " + hex(MAGIC) + " (\\x89NNKIT\\r\\n)");
        }
        if (size < MAGIC.length) {
            throw in.error(size, "the file ends after " + size + " bytes, inside the magic number: it is truncated");
        }
    }

    private static NetworkConfigs.Document config(Input in, long configAt, byte[] bytes, PluginRegistry registry)
            throws IOException {
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw in.error(configAt, "the config is not valid UTF-8 (" + e + ")");
        }
        try {
            return NetworkConfigs.fromJson(new StringReader(json), "config", registry);
        } catch (DataFileException e) {
            throw DataFileException.atOffset(in.name, configAt, e.getMessage(), e);
        } catch (PluginException e) {
            throw missingPlugin(in.name, configAt, e);
        }
    }

    private static final Pattern UNKNOWN_PLUGIN = Pattern.compile("(?:.*: )?unknown ([a-z_ ]+) '([^']*)'.*");

    /**
     * A plugin the config names that the registry lacks: the model was saved with a plugin whose jar
     * is not on the class path, which is said as such (rather than as a typo to correct).
     */
    private static PluginException missingPlugin(String file, long at, PluginException e) {
        java.util.regex.Matcher m = UNKNOWN_PLUGIN.matcher(e.getMessage());
        if (!m.matches()) {
            return new PluginException(file + ": at byte " + at + ": " + e.getMessage(), e);
        }
        return new PluginException(file + ": the model needs the " + m.group(1) + " '" + m.group(2) + "', which no plugin on "
                + "the class path provides: put the jar of the plugin that provides it on the class path (the registry says: "
                + e.getMessage() + ")", e);
    }

    /** Bounds what building the network will allocate by what the file holds, before building it. */
    private static void checkNetworkSize(Input in, long configAt, NetworkConfig config, PluginRegistry registry, long values)
            throws DataFileException {
        long weights = 0;
        int previous = config.inputSize();
        for (LayerConfig layer : config.layers()) {
            Layer made = registry.create(Layer.class, layer.layer());
            weights += Math.max(0, made.parameterCount(previous));
            previous = Math.max(1, made.outputSize(previous));
        }
        if (weights > values + WEIGHT_SLACK) {
            throw in.error(configAt, "the config describes a network of " + weights + " parameter and state values (sum of"
                    + " each layer's parameterCount, n[l] * (n[l-1] + 1) for dense) but the file holds " + values
                    + "; the file is corrupt");
        }
    }

    private static void setParameters(Input in, Network network, List<Tensor> tensors, List<Long> offsets)
            throws DataFileException {
        List<String> expected = new ArrayList<>();
        List<Parameter> parameters = new ArrayList<>();
        for (int l = 1; l <= network.depth(); l++) {
            for (Parameter p : Access.model().parameters(network, l)) {
                expected.add(p.name() + "[" + l + "] (" + p.value().numRows + ", " + p.value().numCols + ")");
                parameters.add(p);
            }
        }
        if (expected.size() != tensors.size()) {
            throw in.error(offsets.get(0) - 4, "the file holds " + tensors.size() + " parameter arrays but the network "
                    + network + " has " + expected.size() + ": " + String.join(", ", expected));
        }
        for (int k = 0; k < tensors.size(); k++) {
            Tensor t = tensors.get(k);
            String found = t.name + " (" + t.rows + ", " + t.cols + ")";
            if (!found.equals(expected.get(k))) {
                throw in.error(offsets.get(k), "parameter array " + (k + 1) + " is " + found + " but the network "
                        + network + " has " + expected.get(k) + " there");
            }
        }
        if (network.dtype() == Dtype.FLOAT32) {
            // a float32 model's parameters were written from floats: any other value is damage, not a rounding to do
            for (int k = 0; k < tensors.size(); k++) {
                double[] data = tensors.get(k).data;
                for (int i = 0; i < data.length; i++) {
                    if ((double) (float) data[i] != data[i]) {
                        Tensor t = tensors.get(k);
                        throw in.error(offsets.get(k), "parameter array " + t.name + " entry (" + i / t.cols + ", " + i % t.cols
                                + ") is " + data[i] + ", which is not a float32 value, but the model is float32: the file "
                                + "is damaged or was not written by nnkit");
                    }
                }
            }
        }
        for (int k = 0; k < tensors.size(); k++) {
            double[] data = tensors.get(k).data;
            System.arraycopy(data, 0, parameters.get(k).value().data, 0, data.length);
        }
        Access.model().doublesChanged(network);
    }

    private static void setLayerState(Input in, Network network, List<Tensor> tensors, List<Long> offsets, long at)
            throws DataFileException {
        List<String> expected = new ArrayList<>();
        List<StateArray> arrays = new ArrayList<>();
        for (int l = 1; l <= network.depth(); l++) {
            for (StateArray s : network.state(l)) {
                expected.add(s.name() + "[" + l + "] (" + s.value().numRows + ", " + s.value().numCols + ")");
                arrays.add(s);
            }
        }
        if (expected.size() != tensors.size()) {
            throw in.error(at, "the file holds " + tensors.size() + " layer state arrays but the network "
                    + network + " has " + expected.size() + (expected.isEmpty() ? "" : ": " + String.join(", ", expected)));
        }
        for (int k = 0; k < tensors.size(); k++) {
            Tensor t = tensors.get(k);
            String found = t.name + " (" + t.rows + ", " + t.cols + ")";
            if (!found.equals(expected.get(k))) {
                throw in.error(offsets.get(k), "layer state array " + (k + 1) + " is " + found + " but the network "
                        + network + " has " + expected.get(k) + " there");
            }
        }
        for (int k = 0; k < tensors.size(); k++) {
            double[] data = tensors.get(k).data;
            System.arraycopy(data, 0, arrays.get(k).value().data, 0, data.length);
        }
    }

    private static void checkOptimizerState(Input in, long stateAt, Network network, Hyperparameters hyperparameters,
                                            PluginRegistry registry, long stepsDone, List<double[]> state)
            throws DataFileException {
        List<Parameter> scratch = new ArrayList<>();
        for (Parameter p : Access.model().parameters(network)) {
            scratch.add(new Parameter(p.name(), p.role(), p.value().copy(),
                    new DMatrixRMaj(p.gradient().numRows, p.gradient().numCols)));
        }
        Optimizer optimizer = registry.create(Optimizer.class, hyperparameters.optimizer());
        try {
            optimizer.restoreState(state);
            optimizer.update(scratch, stepsDone + 1, optimizer.baseLearningRate());
        } catch (RuntimeException e) {
            List<Integer> lengths = new ArrayList<>();
            for (double[] array : state) {
                lengths.add(array.length);
            }
            throw in.error(stateAt, "the optimizer state (" + state.size() + " arrays of lengths " + lengths
                    + ") does not fit " + optimizer + " on this network: " + e.getMessage());
        }
    }

    private static void checkFinite(Input in, long valuesAt, String what, double[] data) throws DataFileException {
        for (int k = 0; k < data.length; k++) {
            if (!Double.isFinite(data[k])) {
                throw in.error(valuesAt + 8L * k, what + " holds " + data[k] + " at index " + k
                        + "; every saved value is finite: the file is corrupt");
            }
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    private static String printable(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(b >= 0x20 && b < 0x7f && b != '"' && b != '\\' ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff));
        }
        return out.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Buffered little-endian writing that feeds every byte to the checksum. */
    private static final class Output {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private final MessageDigest digest = sha256();

        Output(FileChannel channel) {
            this.channel = channel;
        }

        void int32(int value) throws IOException {
            room(4);
            buffer.putInt(value);
        }

        void int64(long value) throws IOException {
            room(8);
            buffer.putLong(value);
        }

        void bytes(byte[] bytes) throws IOException {
            for (int from = 0; from < bytes.length; ) {
                room(1);
                int n = Math.min(buffer.remaining(), bytes.length - from);
                buffer.put(bytes, from, n);
                from += n;
            }
        }

        void doubles(double[] values, int count) throws IOException {
            for (int from = 0; from < count; ) {
                room(8);
                int n = Math.min(buffer.remaining() / 8, count - from);
                buffer.asDoubleBuffer().put(values, from, n);
                buffer.position(buffer.position() + 8 * n);
                from += n;
            }
        }

        void finish() throws IOException {
            flush();
            ByteBuffer sum = ByteBuffer.wrap(digest.digest());
            while (sum.hasRemaining()) {
                channel.write(sum);
            }
        }

        private void room(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                flush();
            }
        }

        private void flush() throws IOException {
            buffer.flip();
            digest.update(buffer.array(), 0, buffer.limit());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }
    }

    /**
     * Buffered little-endian reading of the bytes before the checksum, feeding them to the
     * checksum as they are read; every read is first checked against what remains.
     */
    private static final class Input {
        private final SeekableByteChannel channel;
        private final String name;
        private final long size;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private final MessageDigest digest = sha256();
        private long end;
        /** The offset in the file of the byte after the buffer's last one. */
        private long read;

        Input(SeekableByteChannel channel, String name, long size) {
            this.channel = channel;
            this.name = name;
            this.size = size;
            buffer.limit(0);
        }

        void setEnd(long value) {
            this.end = value;
        }

        /** The first {@code n} bytes of the file, not consumed and not digested. */
        byte[] peek(int n) throws IOException {
            ByteBuffer head = ByteBuffer.allocate(n);
            channel.position(0);
            while (head.hasRemaining() && channel.read(head) > 0) {
                // read on
            }
            channel.position(0);
            return Arrays.copyOf(head.array(), head.position());
        }

        void skipMagic() throws IOException {
            bytes(MAGIC.length);
        }

        long position() {
            return read - buffer.remaining();
        }

        long remaining() {
            return end - position();
        }

        int int32() throws IOException {
            fill(4);
            return buffer.getInt();
        }

        long int64() throws IOException {
            fill(8);
            return buffer.getLong();
        }

        /** Reads an int32 count in [min, max], each unit of which needs {@code unitBytes} more bytes. */
        int length(String what, int min, int max, int unitBytes) throws IOException {
            long at = position();
            int value = int32();
            if (value < min || value > max) {
                throw error(at, what + " is " + value + "; it must be in [" + min + ", " + max + "]: the file is corrupt");
            }
            if ((long) value * unitBytes > remaining()) {
                throw error(at, what + " is " + value + ", which needs at least " + (long) value * unitBytes + " bytes, but "
                        + remaining() + " remain before the checksum: the file is truncated or corrupt");
            }
            return value;
        }

        byte[] bytes(int n) throws IOException {
            require(n);
            byte[] out = new byte[n];
            for (int from = 0; from < n; ) {
                if (!buffer.hasRemaining()) {
                    fill(1);
                }
                int k = Math.min(buffer.remaining(), n - from);
                buffer.get(out, from, k);
                from += k;
            }
            return out;
        }

        double[] doubles(int n) throws IOException {
            require(8L * n);
            double[] out = new double[n];
            for (int from = 0; from < n; ) {
                fill(8);
                int k = Math.min(buffer.remaining() / 8, n - from);
                buffer.asDoubleBuffer().get(out, from, k);
                buffer.position(buffer.position() + 8 * k);
                from += k;
            }
            return out;
        }

        private void require(long bytes) throws DataFileException {
            if (bytes > remaining()) {
                throw error(position(), "the file needs " + bytes + " more bytes here but " + remaining()
                        + " remain before the checksum: it is truncated or corrupt");
            }
        }

        /** Makes at least {@code n} (at most 8) bytes available in the buffer. */
        private void fill(int n) throws IOException {
            require(n);
            if (buffer.remaining() >= n) {
                return;
            }
            buffer.compact();
            channel.position(read);
            while (buffer.position() < n) {
                int want = (int) Math.min(buffer.remaining(), end - read);
                int before = buffer.position();
                buffer.limit(before + want);
                int got = channel.read(buffer);
                buffer.limit(buffer.capacity());
                if (got <= 0) {
                    throw error(read, "the file ended early while reading (it is " + channel.size() + " bytes now, was "
                            + size + "); was it changed while being read?");
                }
                digest.update(buffer.array(), before, got);
                read += got;
            }
            buffer.flip();
        }

        void verifyChecksum() throws IOException {
            ByteBuffer stored = ByteBuffer.allocate(CHECKSUM_BYTES);
            channel.position(end);
            while (stored.hasRemaining()) {
                if (channel.read(stored) <= 0) {
                    throw error(end, "the file ended early while reading the checksum; was it changed while being read?");
                }
            }
            byte[] computed = digest.digest();
            if (!MessageDigest.isEqual(computed, stored.array())) {
                throw error(end, "checksum mismatch: the SHA-256 of bytes 0.." + (end - 1) + " is " + hex(computed).replace(" ", "")
                        .substring(0, 16) + "... but the file records " + hex(stored.array()).replace(" ", "").substring(0, 16)
                        + "...: the file is corrupt (changed after it was written)");
            }
        }

        DataFileException error(long offset, String problem) {
            return DataFileException.atOffset(name, offset, problem);
        }
    }
}
