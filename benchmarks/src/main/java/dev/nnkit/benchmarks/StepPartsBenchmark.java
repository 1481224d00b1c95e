package dev.nnkit.benchmarks;

import dev.nnkit.Network;
import dev.nnkit.PluginRegistry;
import dev.nnkit.Step;
import dev.nnkit.data.Dataset;
import dev.nnkit.spi.FusedLoss;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Loss;
import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.StepContext;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The sub-steps of one MLP training step, each through public API or the public SPI, so that
 * {@code -prof gc} attributes allocation to a part: {@code Network.computeGradients} (forward +
 * backward of the whole network), the first dense layer's forward and backward
 * ({@code dense(units=256)} on 784 inputs, batch 128, in a {@code TRAINING} step as the trainer
 * runs it: the first layer forms no {@code dA[0]}), the loss's fused cost and gradient from the
 * logits of the (10, 128) output (the path the network takes for softmax with
 * {@code softmax_cross_entropy}), and the SGD update of all parameters.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StepPartsBenchmark {

    private Network network;
    private Dataset batch;
    private Layer dense;
    private StepContext firstLayerStep;
    private final DMatrixRMaj noInputGradient = new DMatrixRMaj(0, 0);
    private DMatrixRMaj x;
    private DMatrixRMaj z;
    private DMatrixRMaj dZ;
    private FusedLoss loss;
    private DMatrixRMaj logits;
    private DMatrixRMaj probabilities;
    private DMatrixRMaj labels;
    private DMatrixRMaj outputGradient;
    private Optimizer sgd;
    private long step;

    /** Builds every part from the default registry. */
    @Setup
    public void setUp() {
        PluginRegistry registry = PluginRegistry.defaults();
        network = TrainStepBenchmark.mlp();
        Dataset floats = SynthData.mlp(128, 42);
        batch = Dataset.wrapping(floats.features(), floats.labels()); // doubles: no conversion inside the pass
        SplittableRandom random = new SplittableRandom(11);
        dense = registry.create(Layer.class, "dense(units=256)");
        dense.connect(SynthData.IN);
        dense.parameters().forEach(p -> fill(p.value(), random));
        x = batch.features();
        z = new DMatrixRMaj(256, 128);
        dZ = GemmBenchmark.random(256, 128, random);
        firstLayerStep = new FirstLayer(Step.training(new SplittableRandom(12)));
        Loss named = registry.create(Loss.class, "softmax_cross_entropy");
        if (!(named instanceof FusedLoss fused)) {
            throw new IllegalStateException(named + " is not a FusedLoss; the benchmark measures the fused path");
        }
        loss = fused;
        logits = GemmBenchmark.random(SynthData.CLASSES, 128, random);
        probabilities = new DMatrixRMaj(SynthData.CLASSES, 128);
        network.activation(3).forward(logits, probabilities);
        labels = batch.labels();
        outputGradient = new DMatrixRMaj(SynthData.CLASSES, 128);
        sgd = registry.create(Optimizer.class, "sgd(learning_rate=0.1)");
    }

    private static void fill(DMatrixRMaj m, SplittableRandom random) {
        for (int k = 0; k < m.data.length; k++) {
            m.data[k] = random.nextDouble(-0.05, 0.05);
        }
    }

    /** Forward and backward of the whole network on one batch of 128 (no update). */
    @Benchmark
    public double computeGradients() {
        return network.computeGradients(batch);
    }

    /** {@code Z = W X + b} of {@code dense(units=256)} on (784, 128). */
    @Benchmark
    public DMatrixRMaj denseForward() {
        dense.forward(x, z, firstLayerStep);
        return z;
    }

    /** {@code dW, db} of {@code dense(units=256)} (the first layer forms no {@code dA[0]}). */
    @Benchmark
    public Layer denseBackward() {
        dense.backward(x, z, dZ, noInputGradient, firstLayerStep);
        return dense;
    }

    /** The softmax cross-entropy cost from the logits on (10, 128). */
    @Benchmark
    public double lossCost() {
        return loss.fusedCost(logits, labels);
    }

    /** The fused gradient {@code dZ = A - Y} on (10, 128). */
    @Benchmark
    public DMatrixRMaj lossGradient() {
        loss.fusedGradient(logits, probabilities, labels, outputGradient);
        return outputGradient;
    }

    /** {@code sgd(learning_rate=0.1)} over the MLP's six parameter arrays (gradients as left by setup). */
    @Benchmark
    public Optimizer sgdUpdate() {
        sgd.update(network.parameters(), ++step, 0.1);
        return sgd;
    }

    /**
     * The context the network gives its first layer: a training step whose layer need not form
     * {@code dA[0]} (the input is the data). {@link Step} made through its public factories always
     * asks for the input gradient, so this wraps one and answers {@code false}.
     */
    private static final class FirstLayer implements StepContext {
        private final Step step;

        FirstLayer(Step step) {
            this.step = step;
        }

        @Override
        public StepContext.Mode mode() {
            return step.mode();
        }

        @Override
        public RandomGenerator random() {
            return step.random();
        }

        @Override
        public void drawMask(DMatrixRMaj mask, double keepProbability) {
            step.drawMask(mask, keepProbability);
        }

        @Override
        public void drawMask(FMatrixRMaj mask, double keepProbability) {
            step.drawMask(mask, keepProbability);
        }

        @Override
        public DMatrixRMaj buffer(int index, int rows, int cols) {
            return step.buffer(index, rows, cols);
        }

        @Override
        public MatrixOps ops() {
            return step.ops();
        }

        @Override
        public FMatrixRMaj floatBuffer(int index, int rows, int cols) {
            return step.floatBuffer(index, rows, cols);
        }

        @Override
        public FloatMatrixOps floatOps() {
            return step.floatOps();
        }

        @Override
        public boolean needsInputGradient() {
            return false;
        }
    }
}
