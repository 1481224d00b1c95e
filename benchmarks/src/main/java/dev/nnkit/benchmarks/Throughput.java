package dev.nnkit.benchmarks;

import dev.nnkit.Dtype;
import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two throughput workloads of the Deeplearning4j baseline ({@code ../shared/bench/dl4j-baseline},
 * {@code bench.Dl4jBench}), run through nnkit's public API: a {@link Network} built from spec
 * strings and trained by the normal {@link Trainer}. Prints per-epoch (per-repetition) lines and a
 * {@code RESULT|} line in the baseline's format.
 *
 * <pre>
 * java -cp benchmarks.jar dev.nnkit.benchmarks.Throughput mlp  [double|float] [epochs]   (default 3)
 * java -cp benchmarks.jar dev.nnkit.benchmarks.Throughput tiny [double|float] [reps]     (default 3)
 * </pre>
 *
 * <ul>
 *   <li><b>mlp</b>: 784-256-128-10, relu hidden ({@code he_normal}, seed 42), softmax output with
 *       {@code softmax_cross_entropy}, {@code sgd(learning_rate=0.1)}, mini-batch 128, 60,000
 *       samples of {@link SynthData#mlp} (seed 42), batches in data order (the baseline does not
 *       shuffle); one {@code Trainer.fit} of 1 + {@code epochs} epochs: the first is the warm-up,
 *       each later epoch is timed between the trainer's {@code onEpochEnd} calls. Rate = 60,000 /
 *       epoch seconds.</li>
 *   <li><b>tiny</b>: 2-4-1, tanh hidden, sigmoid output, {@code binary_cross_entropy},
 *       {@code xavier_normal} (seed 3), full-batch {@code sgd(learning_rate=1.2)} on the 400-point
 *       flower, 10,000 iterations ({@code Trainer.fit} of 10,000 full-batch epochs) per repetition;
 *       one warm-up repetition, then {@code reps} timed ones, each on a freshly built network (the
 *       build is not timed, the whole {@code fit} is). Rate = 10,000 / seconds.</li>
 * </ul>
 * System properties for the scaling tables (defaults are the baseline's workload):
 * {@code bench.batch} (128), {@code bench.hidden} ({@code 256,128}), {@code bench.samples} (60000),
 * {@code bench.iters} (10000, the baseline's own property). The tiny workload trains on the
 * baseline's own flower ({@code java.util.Random}, seed 1): the same 400 points as DL4J.
 */
public final class Throughput {

    private Throughput() {
    }

    /** The networks' number type: {@code double} (the default) or {@code float} on the command line, as the baseline names them. */
    static Dtype dtype = Dtype.FLOAT64;

    /** Entry point; see the class documentation. */
    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        String mode = rest.isEmpty() ? "mlp" : rest.remove(0);
        if (!rest.isEmpty() && (rest.get(0).equals("double") || rest.get(0).equals("float"))) {
            dtype = rest.remove(0).equals("float") ? Dtype.FLOAT32 : Dtype.FLOAT64;
        }
        int count = rest.isEmpty() ? 3 : Integer.parseInt(rest.get(0));
        PrintStream out = System.out;
        switch (mode) {
            case "mlp" -> mlp(count, out);
            case "tiny" -> tiny(count, out);
            default -> throw new IllegalArgumentException("mode " + mode + "; use mlp or tiny");
        }
        out.println("# peak RSS (VmHWM) " + peakRssKiB() + " KiB");
    }

    static void header(PrintStream out, String path) {
        out.println("# JDK " + jdk() + "; nnkit compute " + path + "; threads " + threadsLabel(path)
                + "; OPENBLAS_NUM_THREADS=" + System.getenv("OPENBLAS_NUM_THREADS") + "; dtype " + (dtype == Dtype.FLOAT32 ? "FLOAT" : "DOUBLE"));
    }

    /** Runs the MLP workload for {@code epochs} timed epochs and returns the samples/s of each. */
    static double[] mlp(int epochs, PrintStream out) {
        int n = Integer.getInteger("bench.samples", 60_000);
        int batch = Integer.getInteger("bench.batch", 128);
        String hidden = System.getProperty("bench.hidden", "256,128");
        Dataset data = SynthData.mlp(n, 42);
        Network.Builder builder = Network.builder(SynthData.IN).initializer("he_normal").dtype(dtype);
        StringBuilder shape = new StringBuilder().append(SynthData.IN);
        for (String h : hidden.split(",")) {
            int units = Integer.parseInt(h.trim());
            builder.dense(units, "relu");
            shape.append('-').append(units);
        }
        shape.append('-').append(SynthData.CLASSES);
        Network net = builder.dense(SynthData.CLASSES, "softmax")
                .loss("softmax_cross_entropy")
                .seed(42)
                .build();
        String path = Seam.currentName();
        header(out, path);
        Dataset first10k = data.slice(0, Math.min(n, 10_000));
        out.printf(Locale.ROOT, "initial loss (first 10k) %.4f%n", net.cost(first10k));
        Hyperparameters hp = Hyperparameters.defaults()
                .withOptimizer("sgd(learning_rate=0.1)")
                .withBatchSize(batch)
                .withShuffle(false)
                .withSeed(42)
                .withEpochs(1 + epochs);
        double[] rates = new double[epochs];
        TrainingListener timer = new TrainingListener() {
            private long start = System.nanoTime();

            @Override
            public void onEpochEnd(TrainingContext context) {
                int epoch = context.epoch();
                double meanCost = context.epochCost();
                double sec = (System.nanoTime() - start) * 1e-9;
                out.printf(Locale.ROOT, "epoch %s: %.2f s, %.0f samples/s, mean minibatch loss %.4f%n",
                        epoch == 1 ? "warm-up" : String.valueOf(epoch - 2), sec, n / sec, meanCost);
                if (epoch >= 2) {
                    rates[epoch - 2] = n / sec;
                }
                start = System.nanoTime();
            }
        };
        new Trainer(hp).listener(timer).fit(net, data);
        out.printf(Locale.ROOT, "final loss (first 10k) %.4f%n", net.cost(first10k));
        out.println(Stats.of(rates).resultLine("nnkit MLP " + shape + " train [" + path + "]",
                "batch " + batch + ", " + (n % 1000 == 0 ? (n / 1000) + "k" : String.valueOf(n)) + " samples",
                dtype == Dtype.FLOAT32 ? "f32" : "f64", threadsLabel(path), "samples/s"));
        return rates;
    }

    /** Runs the tiny workload for {@code reps} timed repetitions and returns the iterations/s of each. */
    static double[] tiny(int reps, PrintStream out) {
        int iters = Integer.getInteger("bench.iters", 10_000);
        Dataset data = SynthData.flowerDataset(1);
        Trainer trainer = new Trainer(Hyperparameters.defaults()
                .withOptimizer("sgd(learning_rate=1.2)")
                .withBatchSize(0)
                .withEpochs(iters));
        String path = null;
        double[] rates = new double[reps];
        for (int rep = -1; rep < reps; rep++) {
            Network net = Network.builder(2).dtype(dtype)
                    .dense(4, "tanh")
                    .dense(1, "sigmoid")
                    .initializer("xavier_normal")
                    .loss("binary_cross_entropy")
                    .seed(3)
                    .build();
            if (path == null) {
                path = Seam.currentName();
                header(out, path);
            }
            double l0 = net.cost(data);
            long t0 = System.nanoTime();
            trainer.fit(net, data);
            double sec = (System.nanoTime() - t0) * 1e-9;
            out.printf(Locale.ROOT, "rep %s: %.2f s, %.0f it/s, loss %.4f -> %.4f, train acc %.3f%n",
                    rep < 0 ? "warm-up" : String.valueOf(rep), sec, iters / sec, l0, net.cost(data), net.accuracy(data));
            if (rep >= 0) {
                rates[rep] = iters / sec;
            }
        }
        out.println(Stats.of(rates).resultLine("nnkit tiny 2-4-1 full-batch GD [" + path + "]",
                "400 pts, " + (iters % 1000 == 0 ? (iters / 1000) + "k" : String.valueOf(iters)) + " iters",
                dtype == Dtype.FLOAT32 ? "f32" : "f64", threadsLabel(path), "iters/s"));
        return rates;
    }

    /**
     * The threads the matrix products may use: as the backend's description says ({@code openblas
     * (..., 1 thread, ...)}, {@code vector (... over 2 threads)}), else OpenBLAS's on the system BLAS
     * ({@code OPENBLAS_NUM_THREADS}, else one per core), else 1, unless {@code bench.threads} says.
     */
    static String threadsLabel(String path) {
        String given = System.getProperty("bench.threads");
        if (given != null) {
            return given;
        }
        java.util.regex.Matcher said = java.util.regex.Pattern.compile("(\\d+) threads?\\b").matcher(path);
        if (said.find()) {
            return said.group(1);
        }
        if (path.startsWith("system_blas")) {
            String env = System.getenv("OPENBLAS_NUM_THREADS");
            return env != null ? env : String.valueOf(Runtime.getRuntime().availableProcessors());
        }
        return "1";
    }

    static String jdk() {
        return System.getProperty("java.vendor.version", System.getProperty("java.vm.vendor")) + " "
                + System.getProperty("java.version");
    }

    /** The process's peak resident set size from {@code /proc/self/status}, or -1 when unavailable. */
    static long peakRssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
