package dev.nnkit.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The eight matrix products of one training step of the 784-256-128-10 MLP at batch {@code m = 128},
 * through core's compute seam ({@link Seam}, the code the dense layer runs), on each path:
 * <ul>
 *   <li>forward {@code Z[l] = W[l] A[l-1]} ({@code mult}): {@code fwd1} (256x784)(784x128),
 *       {@code fwd2} (128x256)(256x128), {@code fwd3} (10x128)(128x128);</li>
 *   <li>backward {@code dW[l] = (1/m) dZ[l] A[l-1]^T} ({@code multTransB}): {@code dW1}
 *       (256x128)(128x784), {@code dW2} (128x128)(128x256), {@code dW3} (10x128)(128x128);</li>
 *   <li>backward {@code dA[l-1] = W[l]^T dZ[l]} ({@code multTransA}), for layers 2 and 3 (the
 *       network does not form {@code dA[0]}): {@code dA1} (256x128)(128x128),
 *       {@code dA2} (128x10)(10x128).</li>
 * </ul>
 * {@code path}: a compute backend's spec string, {@code ejml}, {@code openblas} (the bundled
 * OpenBLAS, heap arrays pinned through netlib's JNI) or {@code openblas(binding=javacpp)} (the same
 * library through JavaCPP's binding, which copies the arrays at each call: the difference is the
 * cost of the copy); also {@code -p path=system_blas} (with a system BLAS installed) and
 * {@code -p path=vector} (with {@code -jvmArgsAppend "--add-modules jdk.incubator.vector"}). The
 * setup prints what the backend runs on. {@code dtype}: {@code f64} (double, {@code dgemm}) or
 * {@code f32} (float, {@code sgemm} where the backend has it). The primary score is products per second; the secondary {@code gemm:gflop}
 * counter, incremented by {@code 2 M N K / 1e9} per product, is reported as a rate: GFLOP/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class GemmBenchmark {

    /** The compute path of core's seam. */
    @Param({"ejml", "openblas", "openblas(binding=javacpp)"})
    public String path;

    /** The precision of the operands: {@code f64} or {@code f32}. */
    @Param({"f64", "f32"})
    public String dtype;

    /** Which product of the step. */
    @Param({"fwd1", "fwd2", "fwd3", "dW1", "dW2", "dW3", "dA1", "dA2"})
    public String shape;

    private Seam seam;
    private int kind;
    private DMatrixRMaj a;
    private DMatrixRMaj b;
    private DMatrixRMaj c;
    private FMatrixRMaj fa;
    private FMatrixRMaj fb;
    private FMatrixRMaj fc;
    private boolean single;
    private double gflopPerCall;

    /** Floating-point work done, in GFLOP; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** GFLOP so far in this iteration. */
        public double gflop;

        /** Resets the counter at each iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    /** Shapes: {@code {kind, rows of a, cols of a, rows of b, cols of b}}; kind 0 = A B, 1 = A B^T, 2 = A^T B. */
    static int[] dims(String shape) {
        int m = 128;
        return switch (shape) {
            case "fwd1" -> new int[] {0, 256, 784, 784, m};
            case "fwd2" -> new int[] {0, 128, 256, 256, m};
            case "fwd3" -> new int[] {0, 10, 128, 128, m};
            case "dW1" -> new int[] {1, 256, m, 784, m};
            case "dW2" -> new int[] {1, 128, m, 256, m};
            case "dW3" -> new int[] {1, 10, m, 128, m};
            case "dA1" -> new int[] {2, 128, 256, 128, m};
            case "dA2" -> new int[] {2, 10, 128, 10, m};
            default -> throw new IllegalArgumentException("shape " + shape);
        };
    }

    /** {@code 2 M N K} of a product of the given dims. */
    static double flops(int[] d) {
        return switch (d[0]) {
            case 0 -> 2.0 * d[1] * d[4] * d[2];
            case 1 -> 2.0 * d[1] * d[3] * d[2];
            default -> 2.0 * d[2] * d[4] * d[1];
        };
    }

    /** Builds random operands and the seam for the path. */
    @Setup
    public void setUp() {
        seam = Seam.choose(path);
        System.out.println("# seam " + path + " -> " + seam.name());
        int[] d = dims(shape);
        kind = d[0];
        SplittableRandom random = new SplittableRandom(7);
        a = random(d[1], d[2], random);
        b = random(d[3], d[4], random);
        c = new DMatrixRMaj(1, 1);
        single = switch (dtype) {
            case "f64" -> false;
            case "f32" -> true;
            default -> throw new IllegalArgumentException("dtype " + dtype + "; use f64 or f32");
        };
        fa = narrow(a);
        fb = narrow(b);
        fc = new FMatrixRMaj(1, 1);
        gflopPerCall = flops(d) * 1e-9;
        product();
    }

    static DMatrixRMaj random(int rows, int cols, SplittableRandom random) {
        DMatrixRMaj x = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < x.data.length; k++) {
            x.data[k] = random.nextDouble(-1.0, 1.0);
        }
        return x;
    }

    static FMatrixRMaj narrow(DMatrixRMaj x) {
        FMatrixRMaj f = new FMatrixRMaj(x.numRows, x.numCols);
        for (int k = 0; k < f.data.length; k++) {
            f.data[k] = (float) x.data[k];
        }
        return f;
    }

    private void product() {
        if (single) {
            switch (kind) {
                case 0 -> seam.mult(fa, fb, fc);
                case 1 -> seam.multTransB(1.0f / 128, fa, fb, fc);
                default -> seam.multTransA(fa, fb, fc);
            }
            return;
        }
        switch (kind) {
            case 0 -> seam.mult(a, b, c);
            case 1 -> seam.multTransB(1.0 / 128, a, b, c);
            default -> seam.multTransA(a, b, c);
        }
    }

    /** One product of the chosen shape on the chosen path. */
    @Benchmark
    public Object gemm(Flops flops) {
        product();
        flops.gflop += gflopPerCall;
        return single ? fc : c;
    }
}
