package dev.nnkit.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Estimator/Model pair in a Pipeline after VectorAssembler and StandardScaler, saved and loaded. */
class PipelineTest {

    /** Plain numeric columns x0..x3 (one of them on a large scale) and a label, as a user's table would be. */
    private static Dataset<Row> table(int m, long seed) {
        List<Row> rows = new ArrayList<>();
        for (Row r : SparkFixture.blobs(m, 4, seed)) {
            double[] v = ((Vector) r.get(0)).toArray();
            rows.add(RowFactory.create(v[0], v[1] * 1000, v[2], v[3], r.getDouble(1)));
        }
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("x0", DataTypes.DoubleType, false),
            DataTypes.createStructField("x1", DataTypes.DoubleType, false),
            DataTypes.createStructField("x2", DataTypes.DoubleType, false),
            DataTypes.createStructField("x3", DataTypes.DoubleType, false),
            DataTypes.createStructField("label", DataTypes.DoubleType, false)
        });
        return SparkFixture.spark().createDataFrame(SparkFixture.jsc().parallelize(rows, 2), schema);
    }

    private static Pipeline pipeline() {
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"x0", "x1", "x2", "x3"})
                .setOutputCol("raw");
        StandardScaler scaler = new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true);
        NnkitClassifier nn = new NnkitClassifier()
                .setNetwork(Network.builder(4).dense(12, "relu").dense(3, "softmax").initializer("he_normal")
                                .loss("softmax_cross_entropy").seed(5).config(),
                        new Hyperparameters("adam(learning_rate=0.05)", 30, 0, 1, false));
        nn.setFeaturesCol("features").setLabelCol("label");
        return new Pipeline().setStages(new PipelineStage[] {assembler, scaler, nn});
    }

    private static double accuracy(Dataset<Row> predicted) {
        return predicted.filter("prediction = label").count() / (double) predicted.count();
    }

    @Test
    void aPipelineTrainsPredictsSavesAndLoads(@TempDir Path dir) throws Exception {
        Dataset<Row> train = table(300, 51);
        Dataset<Row> test = table(120, 52);
        PipelineModel model = pipeline().fit(train);
        Dataset<Row> predicted = model.transform(test);
        List<String> columns = Arrays.asList(predicted.columns());
        assertTrue(columns.containsAll(List.of("rawPrediction", "probability", "prediction")), columns.toString());
        assertTrue(accuracy(predicted) > 0.85, "test accuracy " + accuracy(predicted));
        for (Row r : predicted.select("probability", "prediction").collectAsList()) {
            double[] p = ((Vector) r.get(0)).toArray();
            assertEquals(3, p.length);
            assertEquals(1.0, p[0] + p[1] + p[2], 1e-12);
            int argmax = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
            assertEquals(argmax, r.getDouble(1), 0.0);
        }

        String path = dir.resolve("pipeline-model").toString();
        model.write().overwrite().save(path);
        assertTrue(dir.resolve("pipeline-model/stages").toFile().isDirectory());
        PipelineModel loaded = PipelineModel.load(path);
        NnkitClassificationModel nn = (NnkitClassificationModel) loaded.stages()[2];
        assertEquals(4, nn.numFeatures());
        assertEquals(3, nn.numClasses());
        List<Row> before = predicted.select("probability", "prediction").collectAsList();
        List<Row> after = loaded.transform(test).select("probability", "prediction").collectAsList();
        for (int k = 0; k < before.size(); k++) {
            assertArrayEquals(((Vector) before.get(k).get(0)).toArray(), ((Vector) after.get(k).get(0)).toArray(), 0.0);
            assertEquals(before.get(k).getDouble(1), after.get(k).getDouble(1), 0.0);
        }
    }

    @Test
    void anUnfittedPipelineWithTheEstimatorSavesAndLoads(@TempDir Path dir) throws Exception {
        SparkFixture.spark(); // the writer uses the active session
        String path = dir.resolve("pipeline").toString();
        pipeline().write().overwrite().save(path);
        Pipeline loaded = Pipeline.load(path);
        NnkitClassifier nn = (NnkitClassifier) loaded.getStages()[2];
        NnkitClassifier original = (NnkitClassifier) pipeline().getStages()[2];
        assertEquals(original.getOrDefault(original.network()), nn.getOrDefault(nn.network()));
        assertTrue(accuracy(loaded.fit(table(300, 51)).transform(table(120, 52))) > 0.85);
    }
}
