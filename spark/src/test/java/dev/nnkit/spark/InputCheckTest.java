package dev.nnkit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Bad input is refused on the driver before the first step, naming the column and the row. */
class InputCheckTest {

    private static final NetworkConfig CONFIG = SparkFixture.mlp(5);
    private static final Hyperparameters HP = new Hyperparameters("sgd(learning_rate=0.1)", 1, 0, 1, false);

    private static String refusal(Dataset<Row> data) {
        return assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder(CONFIG, HP).build().fit(data))
                .getMessage();
    }

    private static List<Row> rowsWith(int at, Row bad) {
        List<Row> rows = new ArrayList<>(SparkFixture.blobs(40, 5, 3));
        rows.set(at, bad);
        return rows;
    }

    @Test
    void aMissingColumnIsNamedWithTheColumnsThereAre() {
        String m = refusal(SparkFixture.frame(SparkFixture.blobs(10, 5, 1), 2).withColumnRenamed("label", "y"));
        assertTrue(m.contains("label column 'label' is missing") && m.contains("[features, y]"), m);
    }

    @Test
    void aMistypedColumnIsNamedWithItsType() {
        String m = refusal(SparkFixture.frame(SparkFixture.blobs(10, 5, 1), 2)
                .withColumn("label", org.apache.spark.sql.functions.lit("cat")));
        assertTrue(m.contains("label column 'label' has type string"), m);
        String f = refusal(SparkFixture.frame(SparkFixture.blobs(10, 5, 1), 2)
                .withColumn("features", org.apache.spark.sql.functions.lit(1.0)));
        assertTrue(f.contains("features column 'features' has type double"), f);
    }

    @Test
    void aVectorOfTheWrongSizeIsNamedWithItsRow() {
        String m = refusal(SparkFixture.frame(rowsWith(27, RowFactory.create(Vectors.dense(1, 2, 3), 1.0)), 2));
        assertTrue(m.contains("a vector of 3 values where the network's input size n[0] is 5"), m);
        assertTrue(m.contains("at row 27 of the data set (row 7 of partition 1)"), m);
    }

    @Test
    void notANumberIsNamedWithItsIndexAndRow() {
        String m = refusal(SparkFixture.frame(rowsWith(3, RowFactory.create(Vectors.dense(1, 2, Double.NaN, 4, 5), 1.0)), 2));
        assertTrue(m.contains("has NaN at index 2 at row 3 of the data set"), m);
        String inf = refusal(SparkFixture.frame(rowsWith(4, RowFactory.create(Vectors.dense(1, 2, 3, 4, 5),
                Double.POSITIVE_INFINITY)), 2));
        assertTrue(inf.contains("label column 'label' is Infinity at row 4"), inf);
    }

    @Test
    void aLabelOutsideTheClassesIsRefused() {
        String m = refusal(SparkFixture.frame(rowsWith(39, RowFactory.create(Vectors.dense(1, 2, 3, 4, 5), 3.0)), 4));
        assertTrue(m.contains("label column 'label' is 3; the network has 3 classes, so a label must be an integer in [0, 2]"), m);
        assertTrue(m.contains("at row 39"), m);
        String half = refusal(SparkFixture.frame(rowsWith(0, RowFactory.create(Vectors.dense(1, 2, 3, 4, 5), 0.5)), 1));
        assertTrue(half.contains("is 0.5;"), half);
    }

    @Test
    void anEmptyPartitionIsNotAnError() {
        // 8 rows over 12 partitions: at least 4 are empty
        SparkTrainer.Result r = SparkTrainer.builder(CONFIG, HP.withEpochs(2)).build()
                .fit(SparkFixture.frame(SparkFixture.blobs(8, 5, 2), 12));
        assertEquals(12, r.partitions());
        assertEquals(8, r.examples());
    }

    @Test
    void stateLayersAndShuffledMiniBatchesAreRefusedWhenBuilding() {
        NetworkConfig bn = Network.builder(5).dense(4, "relu").layer(dev.nnkit.LayerConfig.of("batch_norm"))
                .dense(3, "softmax").loss("softmax_cross_entropy").config();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkTrainer.builder(bn, HP).build());
        assertTrue(e.getMessage().contains("keeps state"), e.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> SparkTrainer.builder(CONFIG, HP.withBatchSize(10).withShuffle(true)).build());
        assertTrue(s.getMessage().contains("withShuffle(false)"), s.getMessage());
    }
}
