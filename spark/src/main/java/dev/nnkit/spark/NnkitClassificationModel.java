package dev.nnkit.spark;

import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.io.DataFileException;
import dev.nnkit.io.ModelFile;
import dev.nnkit.io.NetworkConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.ejml.data.DMatrixRMaj;
import scala.Option;

/**
 * A trained nnkit network as a Spark ML probabilistic classification model, made by
 * {@link NnkitClassifier}: {@code transform} adds {@code rawPrediction} and {@code probability}
 * (both the output layer's activations {@code A[L]} of the row's features; for a single sigmoid
 * output the pair {@code (1 - a, a)}) and {@code prediction}, the class of the largest probability
 * (or the first over its threshold when {@code thresholds} are set), as Spark's own classifiers do.
 * The output is a probability distribution with a softmax output layer or one sigmoid unit.
 *
 * <p>Saved with Spark ML's writer: params as Spark ML metadata in {@code <path>/metadata}, the
 * network as an nnkit model file in {@code <path>/network.nnkit} (on any Hadoop file system), and
 * loaded with {@link #load} or {@code PipelineModel.load}. Inside, the network travels to the
 * executors as its config JSON and a flat {@code double[]} of parameters, rebuilt once per
 * deserialized copy.
 */
public final class NnkitClassificationModel extends ProbabilisticClassificationModel<Vector, NnkitClassificationModel>
        implements MLWritable {

    private static final long serialVersionUID = 1L;

    /** The name of the network file inside a saved model's directory. */
    public static final String NETWORK_FILE = "network.nnkit";

    private final String uid;
    private final String configJson;
    private final double[] parameters;
    private final int inputs;
    private final int outputs;
    private transient volatile Network network;

    NnkitClassificationModel(String uid, Network trained) {
        this(Uids.stash(uid), trained, true);
    }

    private NnkitClassificationModel(String uid, Network trained, boolean stashed) {
        Uids.clear();
        for (int l = 1; l <= trained.depth(); l++) {
            if (!trained.state(l).isEmpty()) {
                throw new IllegalArgumentException("layer " + l + " (" + trained.layer(l) + ") keeps state; a Spark ML model"
                        + " carries parameters only");
            }
        }
        this.uid = uid;
        this.configJson = NetworkConfigs.toJson(trained.config());
        this.parameters = FlatParameters.values(trained);
        this.inputs = trained.units(0);
        this.outputs = trained.units(trained.depth());
        this.network = trained;
    }

    @Override
    public String uid() {
        return uid != null ? uid : Uids.pending();
    }

    /** The trained network (built on first use in this JVM); inference on it is thread-safe. */
    public Network network() {
        Network n = network;
        if (n == null) {
            synchronized (this) {
                n = network;
                if (n == null) {
                    try {
                        n = Network.fromConfig(NetworkConfigs.fromJson(configJson).network(), PluginRegistry.defaults());
                    } catch (DataFileException e) {
                        throw new IllegalStateException("the model's network config does not parse: " + e.getMessage(), e);
                    }
                    FlatParameters.setValues(n, parameters);
                    network = n;
                }
            }
        }
        return n;
    }

    @Override
    public int numClasses() {
        return outputs == 1 ? 2 : outputs;
    }

    @Override
    public int numFeatures() {
        return inputs;
    }

    @Override
    public Vector predictRaw(Vector features) {
        if (features.size() != inputs) {
            throw new IllegalArgumentException("features column '" + getFeaturesCol() + "' has a vector of " + features.size()
                    + " values where the network's input size n[0] is " + inputs);
        }
        DMatrixRMaj a = network().predict(DMatrixRMaj.wrap(inputs, 1, features.toArray()));
        if (outputs == 1) {
            return Vectors.dense(1 - a.data[0], a.data[0]);
        }
        return Vectors.dense(a.data.clone());
    }

    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        if (rawPrediction instanceof DenseVector) {
            return rawPrediction; // the output layer's activations already are the probabilities
        }
        return rawPrediction.toDense();
    }

    @Override
    public NnkitClassificationModel copy(ParamMap extra) {
        NnkitClassificationModel copy = new NnkitClassificationModel(uid, network());
        return copyValues(copy, extra).setParent(parent());
    }

    /**
     * The summary lookup of Spark's classifiers, inherited twice with generic signatures Java cannot
     * reconcile; behaves as Spark's (no training summary is kept).
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    @Override
    public void save(String path) throws IOException {
        write().save(path);
    }

    /** Spark ML's reader of a saved model (found by {@code PipelineModel.load} through reflection). */
    public static MLReader<NnkitClassificationModel> read() {
        return new Reader();
    }

    /** Loads a model saved with {@link #save}. */
    public static NnkitClassificationModel load(String path) {
        return read().load(path);
    }

    /** Writes the params as metadata and the network as an nnkit model file beside them. */
    private static final class Writer extends MLWriter {
        private final NnkitClassificationModel model;

        Writer(NnkitClassificationModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sc(), Option.empty(), Option.empty());
            try {
                java.nio.file.Path local = Files.createTempFile("nnkit-model", ".nnkit");
                try {
                    ModelFile.save(model.network(), local);
                    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(path, NETWORK_FILE);
                    FileSystem fs = target.getFileSystem(sc().hadoopConfiguration());
                    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), target);
                } finally {
                    Files.deleteIfExists(local);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("saving the network of model " + model.uid() + " to " + path + " failed: " + e, e);
            }
        }
    }

    /** Reads what {@link Writer} wrote. */
    private static final class Reader extends MLReader<NnkitClassificationModel> {
        @Override
        public NnkitClassificationModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sc(),
                    NnkitClassificationModel.class.getName());
            try {
                java.nio.file.Path local = Files.createTempFile("nnkit-model", ".nnkit");
                try {
                    org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(path, NETWORK_FILE);
                    FileSystem fs = source.getFileSystem(sc().hadoopConfiguration());
                    fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(local.toUri()), true);
                    Network network = ModelFile.load(local).network();
                    NnkitClassificationModel model = new NnkitClassificationModel(metadata.uid(), network);
                    metadata.getAndSetParams(model, Option.empty());
                    return model;
                } finally {
                    Files.deleteIfExists(local);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("loading the network of the model saved in " + path + " failed: " + e, e);
            }
        }
    }
}
