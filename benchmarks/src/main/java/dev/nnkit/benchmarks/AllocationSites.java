package dev.nnkit.benchmarks;

import com.sun.management.ThreadMXBean;
import dev.nnkit.Dtype;
import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.training.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a steady-state training step allocates. Trains through the public API (the same
 * {@link Trainer} calls as {@link TrainStepBenchmark}) and reports
 * <ol>
 *   <li>exact bytes allocated by the training thread ({@code ThreadMXBean.getThreadAllocatedBytes})
 *       per {@code fit} call of 1 epoch and of {@code E} epochs, hence per step
 *       ({@code (bytes(E) - bytes(1)) / (steps(E) - steps(1))}) and per call;</li>
 *   <li>a JFR recording of {@code jdk.ObjectAllocationSample} during steady-state training,
 *       aggregated by allocated class and allocating frame (the first frame in {@code dev.nnkit},
 *       with the caller chain), with the sampled weight per step.</li>
 * </ol>
 * <pre>
 * java -XX:-ResizeTLAB -XX:TLABSize=2k -XX:MinTLABSize=2k \
 *      -cp benchmarks.jar dev.nnkit.benchmarks.AllocationSites [mlp|tiny] [double|float] [seconds]
 * java -cp benchmarks.jar dev.nnkit.benchmarks.AllocationSites parts
 * </pre>
 * {@code parts}: exact bytes per call of each sub-step (whole-network forward + backward, dense
 * forward and backward, loss cost and gradient, SGD update, every activation's kernels).
 * JFR samples allocations at TLAB refills; the small fixed TLAB makes it sample every ~2 KB, enough
 * to see allocations of a few dozen bytes per step (with the default TLABs the steady state is
 * almost never sampled). The sampled weights are estimates; the exact per-step figure is the
 * {@code ThreadMXBean} one.
 * {@code mlp}: 784-256-128-10 on 1,280 examples in batches of 128 (10 steps per epoch);
 * {@code tiny}: 2-4-1 full batch on the 400-point flower (1 step per epoch); {@code float} builds
 * either network with {@code dtype(FLOAT32)} (the default, {@code double}, is fp64).
 */
public final class AllocationSites {

    private AllocationSites() {
    }

    /** Entry point; see the class documentation. */
    public static void main(String[] args) throws IOException {
        List<String> rest = new ArrayList<>(List.of(args));
        String mode = rest.isEmpty() ? "mlp" : rest.remove(0);
        Dtype dtype = Dtype.FLOAT64;
        if (!rest.isEmpty() && (rest.get(0).equals("double") || rest.get(0).equals("float"))) {
            dtype = rest.remove(0).equals("float") ? Dtype.FLOAT32 : Dtype.FLOAT64;
        }
        double seconds = rest.isEmpty() ? 10 : Double.parseDouble(rest.get(0));
        PrintStream out = System.out;
        if (mode.equals("parts")) {
            parts(out);
            return;
        }
        Network network;
        Dataset data;
        Hyperparameters hp;
        int stepsPerEpoch;
        if (mode.equals("mlp")) {
            network = TrainStepBenchmark.mlp(dtype);
            data = SynthData.mlp(1280, 43);
            hp = Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)").withShuffle(false).withBatchSize(128);
            stepsPerEpoch = 10;
        } else if (mode.equals("tiny")) {
            network = Network.builder(2).dtype(dtype).dense(4, "tanh").dense(1, "sigmoid").initializer("xavier_normal")
                    .loss("binary_cross_entropy").seed(3).build();
            data = SynthData.flowerDataset(1);
            hp = Hyperparameters.defaults().withOptimizer("sgd(learning_rate=1.2)").withBatchSize(0);
            stepsPerEpoch = 1;
        } else {
            throw new IllegalArgumentException("mode " + mode + "; use mlp or tiny");
        }
        int epochs = mode.equals("mlp") ? 20 : 2000;
        Trainer one = new Trainer(hp.withEpochs(1));
        Trainer many = new Trainer(hp.withEpochs(epochs));
        out.println("# " + mode + ": " + network + ", compute " + Seam.currentName());

        long deadline = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < deadline) {
            many.fit(network, data);
            one.fit(network, data);
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int calls = 20;
        long b0 = threads.getThreadAllocatedBytes(id);
        for (int k = 0; k < calls; k++) {
            one.fit(network, data);
        }
        long b1 = threads.getThreadAllocatedBytes(id);
        for (int k = 0; k < calls; k++) {
            many.fit(network, data);
        }
        long b2 = threads.getThreadAllocatedBytes(id);
        double perOneCall = (b1 - b0) / (double) calls;
        double perManyCall = (b2 - b1) / (double) calls;
        double perStep = (perManyCall - perOneCall) / ((epochs - 1) * stepsPerEpoch);
        out.printf(Locale.ROOT, "exact: fit(1 epoch = %d steps) %.0f B/call; fit(%d epochs = %d steps) %.0f B/call%n",
                stepsPerEpoch, perOneCall, epochs, epochs * stepsPerEpoch, perManyCall);
        out.printf(Locale.ROOT, "exact: per steady-state step %.1f B/step; per fit call (fixed) %.0f B%n",
                perStep, perOneCall - perStep * stepsPerEpoch);

        Path file = Files.createTempFile("nnkit-alloc", ".jfr");
        long steps = 0;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ObjectAllocationSample").with("throttle", "10000/s").withStackTrace();
            recording.start();
            deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                many.fit(network, data);
                steps += (long) epochs * stepsPerEpoch;
            }
            recording.stop();
            recording.dump(file);
        }
        report(file, steps, out);
        Files.deleteIfExists(file);
    }

    /**
     * Exact bytes per call of each sub-step of the MLP step (the parts of {@link StepPartsBenchmark}),
     * after 3,000 warm-up calls (enough for C2 to compile each part), over 500 calls.
     */
    static void parts(PrintStream out) {
        StepPartsBenchmark parts = new StepPartsBenchmark();
        parts.setUp();
        out.println("# exact bytes allocated per call, MLP 784-256-128-10, batch 128, compute " + Seam.currentName());
        measure(out, "Network.computeGradients (forward + backward)", parts::computeGradients);
        measure(out, "Layer dense(units=256).forward (784 -> 256)", parts::denseForward);
        measure(out, "Layer dense(units=256).backward (dW, db)", parts::denseBackward);
        measure(out, "Loss softmax_cross_entropy.fusedCost (10, 128)", parts::lossCost);
        measure(out, "Loss softmax_cross_entropy.fusedGradient", parts::lossGradient);
        measure(out, "Optimizer sgd.update (6 parameter arrays)", parts::sgdUpdate);
        for (String path : new String[] {"ejml", "openblas", "openblas(binding=javacpp)"}) {
            for (String shape : new String[] {"fwd1", "fwd2", "fwd3", "dW1", "dW2", "dW3", "dA1", "dA2"}) {
                GemmBenchmark gemm = new GemmBenchmark();
                gemm.path = path;
                gemm.shape = shape;
                PrintStream quiet = System.out;
                System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
                try {
                    gemm.setUp();
                } finally {
                    System.setOut(quiet);
                }
                GemmBenchmark.Flops flops = new GemmBenchmark.Flops();
                measure(out, "MatrixProducts " + path + " " + shape, () -> gemm.gemm(flops));
            }
        }
        for (String g : new String[] {"sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"}) {
            ActivationBenchmark a = new ActivationBenchmark();
            a.activation = g;
            a.setUp();
            measure(out, "Activation " + g + ".forward (256, 128)", a::forward);
            measure(out, "Activation " + g + ".backward (256, 128)", a::backward);
        }
    }

    private static void measure(PrintStream out, String what, Runnable call) {
        for (int k = 0; k < 3000; k++) {
            call.run();
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int calls = 500;
        long b0 = threads.getThreadAllocatedBytes(id);
        for (int k = 0; k < calls; k++) {
            call.run();
        }
        long b1 = threads.getThreadAllocatedBytes(id);
        out.printf(Locale.ROOT, "  %8.1f B/call  %s%n", (b1 - b0) / (double) calls, what);
    }

    private static void report(Path file, long steps, PrintStream out) throws IOException {
        Map<String, double[]> sites = new HashMap<>();
        double total = 0;
        List<RecordedEvent> events = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (e.getEventType().getName().equals("jdk.ObjectAllocationSample")
                    && "main".equals(e.getThread("eventThread").getJavaName())) {
                events.add(e);
            }
        }
        // the first sample's weight counts bytes allocated before the recording started
        events.sort((x, y) -> x.getStartTime().compareTo(y.getStartTime()));
        for (RecordedEvent e : events.subList(Math.min(1, events.size()), events.size())) {
            double weight = e.getLong("weight");
            total += weight;
            String key = e.getClass("objectClass").getName() + " <- " + site(e.getStackTrace() == null
                    ? List.of() : e.getStackTrace().getFrames());
            sites.computeIfAbsent(key, k -> new double[2]);
            sites.get(key)[0] += weight;
            sites.get(key)[1]++;
        }
        out.printf(Locale.ROOT, "JFR jdk.ObjectAllocationSample on the training thread: %d steps, sampled weight %.1f B/step%n",
                steps, total / steps);
        List<Map.Entry<String, double[]>> sorted = new ArrayList<>(sites.entrySet());
        sorted.sort((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0]));
        for (Map.Entry<String, double[]> s : sorted.subList(0, Math.min(15, sorted.size()))) {
            out.printf(Locale.ROOT, "  %5.1f%%  %10.1f B/step  %6d samples  %s%n", 100 * s.getValue()[0] / total,
                    s.getValue()[0] / steps, (long) s.getValue()[1], s.getKey());
        }
    }

    /** The first frame in dev.nnkit (not this module), then up to three callers, as class.method:line. */
    private static String site(List<RecordedFrame> frames) {
        int first = -1;
        for (int k = 0; k < frames.size(); k++) {
            String type = frames.get(k).getMethod().getType().getName();
            if (type.startsWith("dev.nnkit.") && !type.startsWith("dev.nnkit.benchmarks.")) {
                first = k;
                break;
            }
        }
        if (first < 0) {
            return frames.isEmpty() ? "?" : frame(frames.get(0));
        }
        StringBuilder b = new StringBuilder();
        if (first > 0) {
            b.append(frame(frames.get(first - 1))).append(" <- ");
        }
        for (int k = first; k < Math.min(frames.size(), first + 3); k++) {
            b.append(k > first ? " <- " : "").append(frame(frames.get(k)));
        }
        return b.toString();
    }

    private static String frame(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":" + f.getLineNumber();
    }
}
