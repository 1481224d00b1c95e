package dev.nnkit.benchmarks;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Activation;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Each activation's forward ({@code A = g(Z)}) and backward ({@code dZ = dA * g'(Z)}, or the
 * softmax Jacobian product) kernel on a (256, 128) matrix, made through the registry from its spec
 * string. {@code Z} and {@code dA} are standard normal (seed 5), {@code A} and {@code dZ} distinct
 * buffers (the training layout).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ActivationBenchmark {

    /** The activation spec. */
    @Param({"sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"})
    public String activation;

    private Activation g;
    private DMatrixRMaj z;
    private DMatrixRMaj a;
    private DMatrixRMaj dA;
    private DMatrixRMaj dZ;

    /** Makes the activation and the buffers. */
    @Setup
    public void setUp() {
        g = PluginRegistry.defaults().create(Activation.class, activation);
        SplittableRandom random = new SplittableRandom(5);
        z = normal(random);
        dA = normal(random);
        a = new DMatrixRMaj(256, 128);
        dZ = new DMatrixRMaj(256, 128);
        g.forward(z, a);
    }

    private static DMatrixRMaj normal(SplittableRandom random) {
        DMatrixRMaj m = new DMatrixRMaj(256, 128);
        for (int k = 0; k < m.data.length; k++) {
            m.data[k] = random.nextGaussian();
        }
        return m;
    }

    /** {@code A = g(Z)}. */
    @Benchmark
    public DMatrixRMaj forward() {
        g.forward(z, a);
        return a;
    }

    /** {@code dZ} from {@code Z}, {@code A} and {@code dA}. */
    @Benchmark
    public DMatrixRMaj backward() {
        g.backward(z, a, dA, dZ);
        return dZ;
    }
}
