package dev.nnkit.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Dtype;
import dev.nnkit.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * A quick check (well under 5 s) that the benchmark data and harness are what they claim: the
 * column-layout MLP data equals the baseline's verbatim recipe, the flower is the baseline's, and
 * both workloads run through the Trainer, lower the loss and print a RESULT line in the baseline's
 * format. Not a benchmark: nothing here is timed.
 */
class SmokeTest {

    /** The baseline's line: RESULT|what|shape|dtype|threads|JDKnn|median|min|max|unit|reps. */
    private static final Pattern RESULT = Pattern.compile(
            "RESULT\\|[^|]+\\|[^|]+\\|(f64|f32)\\|[^|]+\\|JDK\\d+\\|(\\d+\\.\\d{3})\\|(\\d+\\.\\d{3})\\|(\\d+\\.\\d{3})\\|[a-z/]+\\|(\\d+)");

    @Test
    void mlpDataInColumnsEqualsTheBaselineRecipe() {
        int n = 40;
        float[] x = SynthData.features(n, 42);
        int[] y = SynthData.labels(x, n, 42);
        Dataset data = SynthData.mlp(n, 42);
        DMatrixRMaj features = data.features();
        DMatrixRMaj labels = data.labels();
        assertEquals(SynthData.IN, features.numRows);
        assertEquals(n, features.numCols);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < SynthData.IN; j++) {
                // exact: a float widened to double
                assertEquals((double) x[i * SynthData.IN + j], features.get(j, i), 0.0);
            }
            for (int c = 0; c < SynthData.CLASSES; c++) {
                assertEquals(c == y[i] ? 1.0 : 0.0, labels.get(c, i), 0.0);
            }
        }
        // a learnable task: the teacher uses more than one class on 40 examples
        assertTrue(java.util.Arrays.stream(y).distinct().count() > 1);
    }

    @Test
    void flowerIsTheBaselines() {
        double[][] f = SynthData.flower(1);
        Dataset data = SynthData.flowerDataset(1);
        assertArrayEquals(f[0], data.features().data, 0.0);
        assertArrayEquals(f[1], data.labels().data, 0.0);
        assertEquals(400, data.size());
        assertEquals(200.0, java.util.Arrays.stream(f[1]).sum(), 0.0);
    }

    @Test
    void statsMatchTheBaselineHarness() {
        Stats odd = Stats.of(new double[] {3, 1, 2});
        assertEquals(new Stats(2, 1, 3, 3), odd);
        Stats even = Stats.of(new double[] {4, 1, 2, 8});
        assertEquals(new Stats(3, 1, 8, 4), even);
        assertTrue(RESULT.matcher(even.resultLine("w", "s", "f64", "1", "iters/s")).matches());
        assertTrue(RESULT.matcher(even.resultLine("w", "s", "f32", "1", "iters/s")).matches());
    }

    @Test
    void tinyWorkloadRunsThroughTheTrainer() {
        String text = withProperty("bench.iters", "300", () -> Throughput.tiny(2, print()));
        assertRun(text, 2, "f64");
        Matcher loss = Pattern.compile("loss (\\d+\\.\\d+) -> (\\d+\\.\\d+)").matcher(text);
        assertTrue(loss.find(), text);
        assertTrue(Double.parseDouble(loss.group(2)) < Double.parseDouble(loss.group(1)), text);
    }

    @Test
    void mlpWorkloadRunsThroughTheTrainer() {
        String text = withProperty("bench.samples", "512",
                () -> withProperty("bench.hidden", "16,8", () -> Throughput.mlp(2, print())));
        assertRun(text, 2, "f64");
        assertTrue(text.contains("nnkit MLP 784-16-8-10 train"), text);
        Matcher loss = Pattern.compile("initial loss \\(first 10k\\) (\\d+\\.\\d+)[\\s\\S]*final loss \\(first 10k\\) (\\d+\\.\\d+)")
                .matcher(text);
        assertTrue(loss.find(), text);
        assertTrue(Double.parseDouble(loss.group(2)) < Double.parseDouble(loss.group(1)), text);
    }

    @Test
    void mlpWorkloadRunsInFloat32() {
        Throughput.dtype = Dtype.FLOAT32;
        String text;
        try {
            text = withProperty("bench.samples", "512",
                    () -> withProperty("bench.hidden", "16,8", () -> Throughput.mlp(2, print())));
        } finally {
            Throughput.dtype = Dtype.FLOAT64;
        }
        assertRun(text, 2, "f32");
        assertTrue(text.contains("dtype FLOAT"), text);
        Matcher loss = Pattern.compile("initial loss \\(first 10k\\) (\\d+\\.\\d+)[\\s\\S]*final loss \\(first 10k\\) (\\d+\\.\\d+)")
                .matcher(text);
        assertTrue(loss.find(), text);
        assertTrue(Double.parseDouble(loss.group(2)) < Double.parseDouble(loss.group(1)), text);
    }

    @Test
    void stepBenchmarkBuildsTheNetworkInTheAskedDtype() {
        assertEquals(Dtype.FLOAT32, TrainStepBenchmark.mlp(TrainStepBenchmark.dtypeOf("f32")).dtype());
        assertEquals(Dtype.FLOAT64, TrainStepBenchmark.mlp(TrainStepBenchmark.dtypeOf("f64")).dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainStepBenchmark.dtypeOf("f16"));
        assertTrue(e.getMessage().contains("f16") && e.getMessage().contains("f32"), e.getMessage());
    }

    private static void assertRun(String text, int reps, String dtype) {
        Matcher m = RESULT.matcher(text);
        assertTrue(m.find(), text);
        assertEquals(dtype, m.group(1), text);
        double median = Double.parseDouble(m.group(2));
        double min = Double.parseDouble(m.group(3));
        double max = Double.parseDouble(m.group(4));
        assertTrue(min > 0 && min <= median && median <= max, text);
        assertEquals(reps, Integer.parseInt(m.group(5)));
    }

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private PrintStream print() {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private String withProperty(String key, String value, Runnable body) {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
