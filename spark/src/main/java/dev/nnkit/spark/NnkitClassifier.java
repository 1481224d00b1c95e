package dev.nnkit.spark;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.io.DataFileException;
import dev.nnkit.io.NetworkConfigs;
import java.io.IOException;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A Spark ML {@code Estimator} that trains an nnkit network with {@link SparkTrainer} and gives
 * an {@link NnkitClassificationModel}: a probabilistic classifier like Spark's own, with the usual
 * {@code featuresCol}, {@code labelCol}, {@code predictionCol}, {@code probabilityCol} and
 * {@code rawPredictionCol} params, usable as a {@code Pipeline} stage after
 * {@code VectorAssembler} and {@code StandardScaler}.
 *
 * <pre>{@code
 * NnkitClassifier nn = new NnkitClassifier()
 *         .setNetwork(Network.builder(4).dense(16, "relu").dense(3, "softmax")
 *                         .loss("softmax_cross_entropy").config(),
 *                 new Hyperparameters("adam(learning_rate=0.01)", 50, 0, 1, false))
 *         .setFeaturesCol("features").setLabelCol("label");
 * PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, scaler, nn}).fit(train);
 * }</pre>
 *
 * <p>The network and its training are one param, {@code network}: an nnkit JSON document with a
 * {@code training} section ({@link NetworkConfigs#toJson(NetworkConfig, Hyperparameters)}), so the
 * whole setting is spec strings. Labels are class indices {@code 0..n[L]-1} (a {@code double}
 * column, as {@code StringIndexer} makes), or 0/1 for one sigmoid output. {@code parameterAveraging}
 * {@code k > 0} trains with parameter averaging every {@code k} local steps instead of gradient
 * aggregation. Saved and loaded with Spark ML's {@code save}/{@code load} (params as Spark ML
 * metadata).
 */
public final class NnkitClassifier
        extends ProbabilisticClassifier<Vector, NnkitClassifier, NnkitClassificationModel> implements MLWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> network;
    private final IntParam parameterAveraging;

    /** An estimator with a fresh uid. */
    public NnkitClassifier() {
        this("nnkit_" + java.util.UUID.randomUUID().toString().substring(24));
    }

    /** An estimator with the given uid (used by Spark ML's reader and copy). */
    public NnkitClassifier(String uid) {
        this(Uids.stash(uid), true);
    }

    private NnkitClassifier(String uid, boolean stashed) {
        this.uid = uid;
        Uids.clear();
        this.network = new Param<>(this, "network",
                "the nnkit JSON document of the network with its training section (spec strings)");
        this.parameterAveraging = new IntParam(this, "parameterAveraging",
                "0 for synchronous gradient aggregation, k > 0 for parameter averaging every k local steps");
        setDefault(parameterAveraging, 0);
    }

    @Override
    public String uid() {
        return uid != null ? uid : Uids.pending();
    }

    /** The param holding the network and training document. */
    public Param<String> network() {
        return network;
    }

    /** The param choosing the training mode. */
    public IntParam parameterAveraging() {
        return parameterAveraging;
    }

    /**
     * Sets the network and training from an nnkit JSON document with a {@code training} section.
     *
     * @throws IllegalArgumentException when the document does not parse or has no training section
     */
    public NnkitClassifier setNetwork(String json) {
        parse(json);
        return (NnkitClassifier) set(network, json);
    }

    /** Sets the network and its training. */
    public NnkitClassifier setNetwork(NetworkConfig config, Hyperparameters training) {
        return setNetwork(NetworkConfigs.toJson(config, training));
    }

    /** Parameter averaging every {@code k} local steps ({@code k > 0}), or gradient aggregation ({@code 0}). */
    public NnkitClassifier setParameterAveraging(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("parameterAveraging=" + k + "; use 0 (gradient aggregation) or k >= 1");
        }
        return (NnkitClassifier) set(parameterAveraging, k);
    }

    private static NetworkConfigs.Document parse(String json) {
        try {
            NetworkConfigs.Document doc = NetworkConfigs.fromJson(json);
            if (doc.training().isEmpty()) {
                throw new IllegalArgumentException("the network document has no \"training\" section; write it with "
                        + "NetworkConfigs.toJson(config, hyperparameters)");
            }
            return doc;
        } catch (DataFileException e) {
            throw new IllegalArgumentException("the network document does not parse: " + e.getMessage(), e);
        }
    }

    @Override
    public NnkitClassificationModel train(Dataset<?> dataset) {
        if (!isDefined(network)) {
            throw new IllegalArgumentException("param 'network' is not set; call setNetwork(config, hyperparameters)");
        }
        NetworkConfigs.Document doc = parse(getOrDefault(network));
        SparkTrainer.Builder builder = SparkTrainer.builder(doc.network(), doc.training().orElseThrow())
                .featuresCol(getFeaturesCol()).labelCol(getLabelCol());
        int k = (Integer) getOrDefault(parameterAveraging);
        if (k > 0) {
            builder.parameterAveraging(k);
        }
        @SuppressWarnings("unchecked")
        Dataset<Row> rows = (Dataset<Row>) dataset.toDF();
        Network trained = builder.build().fit(rows).network();
        return new NnkitClassificationModel(uid, trained);
    }

    @Override
    public NnkitClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    @Override
    public void save(String path) throws IOException {
        write().save(path);
    }

    /** Spark ML's reader of a saved estimator (found by {@code Pipeline.load} through reflection). */
    public static MLReader<NnkitClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads an estimator saved with {@link #save}. */
    public static NnkitClassifier load(String path) {
        return read().load(path);
    }
}
