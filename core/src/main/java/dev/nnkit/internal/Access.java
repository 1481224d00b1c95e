package dev.nnkit.internal;

import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.Step;
import dev.nnkit.data.Dataset;
import dev.nnkit.io.DataFileException;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.RandomSource;
import dev.nnkit.training.TrainingState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The one bridge between core's packages (the JDK's "shared secrets" pattern): what one package needs
 * from another's classes without it becoming public API. This package is not exported by the
 * module, so nothing here is visible to users or plugins.
 *
 * <p>Each room has one interface; the public class owning the members implements it in an anonymous
 * class and registers it from its static initializer ({@link Network}, {@link Dataset},
 * {@code dev.nnkit.io.ModelFile}). A getter initializes the owning class first if nothing has
 * registered yet, so callers never see {@code null}.
 */
public final class Access {

    /** What the other packages need from {@link Network}, {@link Step} and the plugin registry. */
    public interface Model {
        /** The parameter arrays, then the layer-state arrays, of a network (live, not copies). */
        List<DMatrixRMaj> modelArrays(Network network);

        /** Claims the network for one training run. */
        void startTraining(Network network);

        /** Releases the network after a training run. */
        void finishTraining(Network network);

        /** Starts an optimistic-or-locked read of the network's arrays; returns the stamp. */
        long beginRead(Network network, String what);

        /** Ends a read started by {@link #beginRead}. */
        void endRead(Network network, long stamp);

        /** One forward and backward pass; returns the cost. */
        double forwardBackward(Network network, DMatrixRMaj x, DMatrixRMaj y, Step step);

        /** Checks that the labels of {@code data} fit the network's output. */
        void checkLabelsShape(Network network, Dataset data);

        /** The float parameters of a float32 network (live, in the order of its double ones), or null for a float64 one. */
        List<FloatParameter> floatParameters(Network network);

        /** One float training step's forward and backward pass of a float32 network; returns the cost. */
        double forwardBackward(Network network, FMatrixRMaj x, FMatrixRMaj y, Step step);

        /** Tells a float32 network that its optimizer updated the float parameters (their doubles are copied when read). */
        void floatsUpdated(Network network);

        /** Makes a float32 network's double parameters hold its float ones' values (after updates or double writes). */
        void settle(Network network);

        /** Tells a float32 network that its double parameters were written (snapshots restored, a model loaded). */
        void doublesChanged(Network network);

        /** The network's parameters for core's own use (live; unlike {@code Network.parameters()}, not handed out to users). */
        List<Parameter> parameters(Network network);

        /** The parameters of layer {@code l} for core's own use, as {@link #parameters(Network)}. */
        List<Parameter> parameters(Network network, int l);

        /** Replaces the random stream of a training step. */
        void random(Step step, RandomGenerator stream);

        /** The closest known name to {@code name}, or {@code null}. */
        String closest(String name, Collection<String> known);

        /** The registry the network's plugins came from. */
        PluginRegistry registry(Network network);

        /** The network's random source for training draws, or {@code null} for the default ({@code splittable}). */
        RandomSource trainingSource(Network network);
    }

    /** What the other packages need from {@link Dataset}. */
    public interface Data {
        /** A data set over the given feature store. */
        Dataset of(FeatureStore x, DMatrixRMaj y);

        /** Shuffles {@code order} in place. */
        void shuffle(int[] order, RandomGenerator random);

        /** Copies the examples {@code order[from..to)} into the batch buffers. */
        void gather(Dataset data, int[] order, int from, int to, DMatrixRMaj xOut, DMatrixRMaj yOut);

        /** The same into float batch buffers, each value rounded to float. */
        void gather(Dataset data, int[] order, int from, int to, FMatrixRMaj xOut, FMatrixRMaj yOut);

        /** The store that holds the features. */
        FeatureStore features(Dataset data);

        /** The features as one matrix (one column per example). */
        DMatrixRMaj x(Dataset data);

        /** The labels (one column per example). */
        DMatrixRMaj y(Dataset data);
    }

    /** What training needs from the model file format. */
    public interface Io {
        /** Writes a model file of {@code network} whose arrays (parameters, then layer state) hold {@code data}. */
        void write(Network network, double[][] data, TrainingState state, Path file) throws IOException;
    }

    /** What the registry needs of {@link dev.nnkit.spi.Arguments}, whose constructor and final check are not public. */
    public interface Spi {
        /** New arguments for a provider, whose nested plugins come from {@code registry}. */
        Arguments arguments(String plugin, Map<String, String> values, PluginRegistry registry);

        /** Throws when a key was given that the provider never read. */
        void checkAllUsed(Arguments arguments);
    }

    /** What the readers of particular formats ({@code dev.nnkit.io.formats}) need from {@link DataFileException}. */
    public interface Files {
        /** A problem at a byte offset of a binary file; {@code cause} may be {@code null}. */
        DataFileException atOffset(String file, long offset, String problem, Throwable cause);

        /** A problem at a 1-based line and column (0: the whole line) of a text file. */
        DataFileException atLine(String file, long line, int column, String problem);

        /** A problem with the file as a whole. */
        DataFileException whole(String file, String problem);
    }

    private static volatile Model model;
    private static volatile Spi spi;
    private static volatile Data data;
    private static volatile Io io;
    private static volatile Files files;

    private Access() {
    }

    /** Registers the model bridge (from {@link Network}'s static initializer). */
    public static void setModel(Model access) {
        model = access;
    }

    /** Registers the data bridge (from {@link Dataset}'s static initializer). */
    public static void setData(Data access) {
        data = access;
    }

    /** Registers the file-format bridge (from {@code ModelFile}'s static initializer). */
    public static void setIo(Io access) {
        io = access;
    }

    /** Registers the plugin-arguments bridge (from {@link Arguments}' static initializer). */
    public static void setSpi(Spi access) {
        spi = access;
    }

    /** Registers the data-file error bridge (from {@link DataFileException}'s static initializer). */
    public static void setFiles(Files access) {
        files = access;
    }

    /** The model bridge. */
    public static Model model() {
        Model m = model;
        if (m == null) {
            initialize(Network.class);
            m = model;
        }
        return m;
    }

    /** The data bridge. */
    public static Data data() {
        Data d = data;
        if (d == null) {
            initialize(Dataset.class);
            d = data;
        }
        return d;
    }

    /** The file-format bridge. */
    public static Io io() {
        Io i = io;
        if (i == null) {
            initialize("dev.nnkit.io.ModelFile");
            i = io;
        }
        return i;
    }

    /** The plugin-arguments bridge. */
    public static Spi spi() {
        Spi s = spi;
        if (s == null) {
            initialize(Arguments.class);
            s = spi;
        }
        return s;
    }

    /** The data-file error bridge. */
    public static Files files() {
        Files f = files;
        if (f == null) {
            initialize(DataFileException.class);
            f = files;
        }
        return f;
    }

    private static void initialize(Class<?> owner) {
        initialize(owner.getName());
    }

    private static void initialize(String owner) {
        try {
            Class.forName(owner, true, Access.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
