package dev.nnkit.training;

import dev.nnkit.Network;
import dev.nnkit.internal.Access;
import dev.nnkit.io.ModelFile;
import dev.nnkit.spi.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ejml.data.DMatrixRMaj;

/**
 * A {@link TrainingListener} that saves {@linkplain ModelFile model files} with the
 * {@link TrainingState} to resume from: after every {@code every}-th epoch and after the last one,
 * keeping the newest {@code keep} files of its name pattern in the directory and deleting older
 * ones.
 *
 * <pre>{@code
 * Path dir = Path.of("runs/xor");
 * new Trainer(hp).listener(new Checkpoints(network, dir, 10, 3)).fit(network, data);
 * // later, or after a crash:
 * ModelFile.Contents last = ModelFile.load(Checkpoints.latest(dir).orElseThrow());
 * new Trainer(hp).resume(last.network(), data, last.trainingState().orElseThrow());
 * }</pre>
 *
 * <p>Files are named {@code <prefix>-epoch-<epoch>.nnkit} with the epoch in at least 8 digits, e.g.
 * {@code checkpoint-epoch-00000010.nnkit}, and written atomically by {@link ModelFile}, so a crash
 * during a save leaves the previous checkpoints intact. The final checkpoint holds the parameters
 * and optimizer state of the last completed epoch, also when a listener (such as
 * {@link EarlyStopping}) asked the run to restore an earlier model: the run performs such restores
 * only after every listener's {@code onTrainingEnd}, where this one saves. A failed save stops
 * training with an {@link UncheckedIOException}.
 *
 * <p>One instance serves one training run of one network at a time.
 */
public final class Checkpoints implements TrainingListener {

    /** The default file name prefix. */
    public static final String DEFAULT_PREFIX = "checkpoint";
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    private final Network network;
    private final Path directory;
    private final String prefix;
    private final int every;
    private final int keep;
    private final Pattern files;
    /** The last epoch ended and not yet saved, or 0. */
    private int pendingEpoch;
    private final List<Path> saved = new ArrayList<>();

    /**
     * Checkpoints named {@code checkpoint-epoch-<epoch>.nnkit}.
     *
     * @param network   the network being trained
     * @param directory where to write; created if missing
     * @param every     save after every {@code every}-th epoch, {@code >= 1}
     * @param keep      how many of the newest checkpoint files to keep, {@code >= 1}
     */
    public Checkpoints(Network network, Path directory, int every, int keep) {
        this(network, directory, DEFAULT_PREFIX, every, keep);
    }

    /**
     * Checkpoints named {@code <prefix>-epoch-<epoch>.nnkit}.
     *
     * @param prefix letters, digits, {@code _ . -}; 1 to 100 characters
     * @throws IllegalArgumentException when an argument is out of range
     */
    public Checkpoints(Network network, Path directory, String prefix, int every, int keep) {
        this.network = Objects.requireNonNull(network, "network");
        this.directory = Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("checkpoint prefix \"" + prefix + "\"; use 1 to 100 letters, digits, _ . or -");
        }
        if (every < 1) {
            throw new IllegalArgumentException("checkpoints every " + every + " epochs; it must be >= 1");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep " + keep + " checkpoints; it must be >= 1");
        }
        this.prefix = prefix;
        this.every = every;
        this.keep = keep;
        this.files = pattern(prefix);
    }

    private static Pattern pattern(String prefix) {
        return Pattern.compile(Pattern.quote(prefix) + "-epoch-([0-9]{8,10})\\.nnkit");
    }

    /** The file a checkpoint of {@code epoch} is written to. */
    public Path file(int epoch) {
        return directory.resolve(String.format(java.util.Locale.ROOT, "%s-epoch-%08d.nnkit", prefix, epoch));
    }

    /** The checkpoint files written by this instance and not deleted since, oldest first. */
    public List<Path> saved() {
        return List.copyOf(saved);
    }

    @Override
    public void onEpochEnd(TrainingContext context) {
        int epoch = context.epoch();
        if (epoch % every == 0) {
            save(epoch, context.state());
            pendingEpoch = 0;
        } else {
            pendingEpoch = epoch;
        }
    }

    /**
     * Saves the last epoch when it was not one of the every-{@code every} ones: the network still
     * holds it here (restores that listeners requested come after).
     */
    @Override
    public void onTrainingEnd(TrainingContext context) {
        if (pendingEpoch == 0) {
            return;
        }
        save(pendingEpoch, context.state());
        pendingEpoch = 0;
    }

    private void save(int epoch, TrainingState state) {
        List<DMatrixRMaj> model = Access.model().modelArrays(network);
        double[][] data = new double[model.size()][];
        for (int k = 0; k < data.length; k++) {
            data[k] = model.get(k).data;
        }
        write(epoch, data, state);
    }

    /** Writes the model whose arrays (parameters, then layer state) hold {@code data}. */
    private void write(int epoch, double[][] data, TrainingState state) {
        Path target = file(epoch);
        try {
            Files.createDirectories(directory);
            Access.io().write(network, data, state, target);
            saved.remove(target);
            saved.add(target);
            prune();
        } catch (IOException e) {
            throw new UncheckedIOException("saving the checkpoint of epoch " + epoch + " to " + target + " failed: " + e, e);
        }
    }

    /** Deletes the checkpoint files of this prefix beyond the newest {@code keep}. */
    private void prune() throws IOException {
        List<Path> all = list(directory, files);
        for (int k = 0; k < all.size() - keep; k++) {
            Files.deleteIfExists(all.get(k));
            saved.remove(all.get(k));
        }
    }

    private static List<Path> list(Path directory, Pattern files) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (files.matcher(entry.getFileName().toString()).matches() && Files.isRegularFile(entry)) {
                    found.add(entry);
                }
            }
        }
        found.sort(Comparator.comparingLong(path -> epochOf(path, files)));
        return found;
    }

    private static long epochOf(Path path, Pattern files) {
        Matcher m = files.matcher(path.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException(path.toString());
        }
        return Long.parseLong(m.group(1));
    }

    /** The checkpoint of the highest epoch named {@code checkpoint-epoch-<epoch>.nnkit} in {@code directory}, if any. */
    public static Optional<Path> latest(Path directory) throws IOException {
        return latest(directory, DEFAULT_PREFIX);
    }

    /** The checkpoint of the highest epoch named {@code <prefix>-epoch-<epoch>.nnkit} in {@code directory}, if any. */
    public static Optional<Path> latest(Path directory, String prefix) throws IOException {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        List<Path> all = list(directory, pattern(prefix));
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }
}
