package dev.nnkit.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.NetworkConfig;
import dev.nnkit.PluginRegistry;
import dev.nnkit.io.ModelFile;
import dev.nnkit.training.Trainer;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep trains one single-machine network per task, tabulates them and keeps the best. */
class SparkSweepTest {

    private static final List<Row> TRAIN = SparkFixture.blobs(150, 5, 41);
    private static final List<Row> VALIDATION = SparkFixture.blobs(60, 5, 42);

    private static NetworkConfig net(int hidden, String activation) {
        return Network.builder(5).dense(hidden, activation).dense(3, "softmax").initializer("xavier_normal")
                .loss("softmax_cross_entropy").seed(3).config();
    }

    @Test
    void aGridWritesItsTableAndKeepsTheBestModel(@TempDir Path dir) throws Exception {
        Hyperparameters base = new Hyperparameters("sgd(learning_rate=0.1)", 15, 30, 9, true);
        List<SparkSweep.Setting> grid = SparkSweep.grid(List.of(net(4, "tanh"), net(10, "relu")),
                List.of(base, base.withOptimizer("adam(learning_rate=0.01)"), base.withOptimizer("no_such_optimizer")));
        assertEquals(6, grid.size());
        SparkSweep.Result r = new SparkSweep("features", "label")
                .run(grid, SparkFixture.frame(TRAIN, 3), SparkFixture.frame(VALIDATION, 2));
        List<Row> rows = r.rows();
        assertEquals(6, rows.size());
        int best = -1;
        double bestAccuracy = -1;
        for (Row row : rows) {
            if (row.getString(3).equals("no_such_optimizer")) {
                assertNotNull(row.get(12), "a failing setting is recorded with its error: " + row);
                assertTrue(row.getString(12).contains("no_such_optimizer"), row.getString(12));
                continue;
            }
            assertNull(row.get(12), row.toString());
            double va = row.getDouble(10);
            assertTrue(va >= 0 && va <= 1);
            if (va > bestAccuracy) {
                bestAccuracy = va;
                best = row.getInt(0);
            }
        }
        assertEquals(best, r.bestIndex());
        // the best network is exactly what single-machine nnkit trains for that setting
        SparkSweep.Setting chosen = grid.get(best);
        Network expected = Network.fromConfig(chosen.network(), PluginRegistry.defaults());
        new Trainer(chosen.training()).fit(expected, SparkFixture.local(TRAIN, 3));
        assertArrayEquals(FlatParameters.values(expected), FlatParameters.values(r.best()), 0.0);
        assertEquals(bestAccuracy, r.best().accuracy(SparkFixture.local(VALIDATION, 3)), 0.0);

        r.writeCsv(dir.resolve("table-csv").toString());
        r.writeParquet(dir.resolve("table-parquet").toString());
        assertEquals(6, SparkFixture.spark().read().option("header", "true").csv(dir.resolve("table-csv").toString()).count());
        List<Row> back = SparkFixture.spark().read().parquet(dir.resolve("table-parquet").toString()).orderBy("setting")
                .collectAsList();
        assertEquals(rows.get(best).getDouble(10), back.get(best).getDouble(10), 0.0);
        r.saveBest(dir.resolve("best.nnkit"));
        assertArrayEquals(FlatParameters.values(r.best()),
                FlatParameters.values(ModelFile.load(dir.resolve("best.nnkit")).network()), 0.0);
    }

    @Test
    void aRandomSearchDrawsLogUniformRatesReproducibly() {
        Hyperparameters base = new Hyperparameters("adam", 5, 0, 1, false);
        List<SparkSweep.Setting> a = SparkSweep.random(List.of(net(4, "tanh"), net(6, "tanh")), base, "adam", 1e-4, 1e-1, 8, 5);
        List<SparkSweep.Setting> b = SparkSweep.random(List.of(net(4, "tanh"), net(6, "tanh")), base, "adam", 1e-4, 1e-1, 8, 5);
        assertEquals(a, b);
        for (SparkSweep.Setting s : a) {
            double rate = Double.parseDouble(s.training().optimizer().replaceAll(".*learning_rate=([^,)]+).*", "$1"));
            assertTrue(rate >= 1e-4 && rate <= 1e-1, s.toString());
        }
    }
}
