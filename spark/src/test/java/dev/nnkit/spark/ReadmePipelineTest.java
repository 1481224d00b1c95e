package dev.nnkit.spark;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline of the README's "On Apache Spark" section, as printed there, trains, saves, loads and predicts. */
class ReadmePipelineTest {

    @Test
    void theReadmePipelineRuns(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkFixture.spark();
        String saved = dir.resolve("pipeline").toString();
        // ---- from the README (the session, the save path and show(5), which would print, aside)
        Dataset<Row> all = spark.range(0, 1000, 1, 2).selectExpr(
                        "rand(1) * 4 - 2 AS x0", "rand(2) * 4 - 2 AS x1", "rand(3) * 1000 AS x2", "rand(4) AS x3")
                .withColumn("label", expr("CASE WHEN x0 + x1 > 1 THEN 2.0 WHEN x0 > x1 THEN 1.0 ELSE 0.0 END"));
        Dataset<Row>[] split = all.randomSplit(new double[] {0.8, 0.2}, 7);
        Dataset<Row> train = split[0];
        Dataset<Row> test = split[1];

        VectorAssembler assembler = new VectorAssembler()
                .setInputCols(new String[] {"x0", "x1", "x2", "x3"}).setOutputCol("raw");
        StandardScaler scaler = new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true);
        NnkitClassifier nn = new NnkitClassifier()
                .setNetwork(Network.builder(4).dense(12, "relu").dense(3, "softmax")
                                .loss("softmax_cross_entropy").seed(5).config(),
                        new Hyperparameters("adam(learning_rate=0.05)", 30, 0, 1, false)); // 30 full-batch epochs
        nn.setFeaturesCol("features").setLabelCol("label");

        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, scaler, nn}).fit(train);
        model.transform(test).select("label", "probability", "prediction").takeAsList(5);
        model.write().overwrite().save(saved);
        PipelineModel again = PipelineModel.load(saved);
        // ---- end of the README's code
        double accuracy = again.transform(test).filter("prediction = label").count() / (double) test.count();
        assertTrue(accuracy > 0.85, "accuracy " + accuracy);
        List<Row> a = model.transform(test).select("prediction").collectAsList();
        List<Row> b = again.transform(test).select("prediction").collectAsList();
        assertEquals(a, b);
    }
}
