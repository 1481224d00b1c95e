package dev.nnkit.benchmarks;

import dev.nnkit.Dtype;
import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.training.Trainer;
import dev.nnkit.training.TrainingHistory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training steps of the 784-256-128-10 MLP (relu, softmax + softmax_cross_entropy,
 * {@code sgd(learning_rate=0.1)}) through the public API only: the closest thing to "one step" is a
 * {@link Trainer#fit} call, so three benchmarks separate the per-call cost from the per-step cost:
 * <ul>
 *   <li>{@code fitOneStep}: {@code fit} of one full-batch epoch over a 128-example data set = exactly
 *       one step (forward, backward, SGD update) plus {@code fit}'s own per-call work;</li>
 *   <li>{@code fullBatchStep}: {@code fit} of {@value #STEPS} full-batch epochs over the same 128
 *       examples, reported per step ({@code @OperationsPerInvocation}): the steady-state step;</li>
 *   <li>{@code miniBatchStep}: {@code fit} of {@value #EPOCHS} epochs over 1,280 examples in batches
 *       of 128 (in data order), {@value #STEPS} steps per call, reported per step: the step of the
 *       MLP workload, batch gathering included.</li>
 * </ul>
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes allocated per step; per-call work
 * divided by {@value #STEPS} is included in the last two. The network keeps training from call to
 * call (the cost of a step does not depend on the values). {@code dtype}: {@code f64} (the default
 * network) or {@code f32} (the same network built with {@code dtype(FLOAT32)}: float buffers,
 * parameters and products).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TrainStepBenchmark {

    static final int STEPS = 50;
    static final int EPOCHS = 5;

    /** The mini-batch size (and the size of the full-batch data set). */
    @Param({"128"})
    public int batch;

    /** The network's number type: {@code f64} or {@code f32}. */
    @Param({"f64", "f32"})
    public String dtype;

    private Network network;
    private Dataset oneBatch;
    private Dataset tenBatches;
    private Trainer oneStep;
    private Trainer fullBatchSteps;
    private Trainer miniBatchSteps;

    /** The network and data sets. */
    @Setup
    public void setUp() {
        network = mlp(dtypeOf(dtype));
        Dataset floats = SynthData.mlp(batch, 42);
        // full batch trains on the data set's own matrix: doubles, or it would be built once per fit
        oneBatch = Dataset.wrapping(floats.features(), floats.labels());
        tenBatches = SynthData.mlp(batch * (STEPS / EPOCHS), 43);
        Hyperparameters hp = Hyperparameters.defaults().withOptimizer("sgd(learning_rate=0.1)").withShuffle(false);
        oneStep = new Trainer(hp.withBatchSize(0).withEpochs(1));
        fullBatchSteps = new Trainer(hp.withBatchSize(0).withEpochs(STEPS));
        miniBatchSteps = new Trainer(hp.withBatchSize(batch).withEpochs(EPOCHS));
        System.out.println("# compute " + Seam.currentName() + ", " + network.dtype());
    }

    /** {@code f64} or {@code f32} (as {@code Throughput}'s RESULT lines name them) as a {@link Dtype}. */
    static Dtype dtypeOf(String name) {
        return switch (name) {
            case "f64" -> Dtype.FLOAT64;
            case "f32" -> Dtype.FLOAT32;
            default -> throw new IllegalArgumentException("dtype " + name + "; use f64 or f32");
        };
    }

    /** 784-256-128-10 from spec strings, He init, seed 42, in fp64. */
    static Network mlp() {
        return mlp(Dtype.FLOAT64);
    }

    /** 784-256-128-10 from spec strings, He init, seed 42, in the given number type. */
    static Network mlp(Dtype dtype) {
        return Network.builder(SynthData.IN)
                .dtype(dtype)
                .dense(256, "relu")
                .dense(128, "relu")
                .dense(SynthData.CLASSES, "softmax")
                .initializer("he_normal")
                .loss("softmax_cross_entropy")
                .seed(42)
                .build();
    }

    /** One step, plus the per-call work of {@code fit}. */
    @Benchmark
    public TrainingHistory fitOneStep() {
        return oneStep.fit(network, oneBatch);
    }

    /** Per step, {@value #STEPS} full-batch steps per call. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public TrainingHistory fullBatchStep() {
        return fullBatchSteps.fit(network, oneBatch);
    }

    /** Per step, {@value #STEPS} mini-batch steps per call (batches gathered from 1,280 examples). */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public TrainingHistory miniBatchStep() {
        return miniBatchSteps.fit(network, tenBatches);
    }
}
