package dev.nnkit;

import dev.nnkit.internal.Internals;

/**
 * Which compute backend ({@link dev.nnkit.spi.ComputeBackend}) multiplies the matrices of every
 * layer in this JVM. Backends are plugins: {@code ejml} (pure Java, always present),
 * {@code vector} (the JDK's Vector API, with {@code --add-modules jdk.incubator.vector}),
 * {@code system_blas} (a native BLAS installed on the machine), {@code openblas} (a native
 * OpenBLAS bundled in the jars of the dependency {@code dev.nnkit:nnkit-compute-openblas}), or a
 * third party's. The usable backend of highest rank is chosen once, at first use, the same on
 * every run on one machine, and logged at INFO; the system property {@code nnkit.compute}
 * ({@code auto}, or a backend's spec string such as {@code ejml} or {@code vector(threads=2)})
 * overrides the choice. Products under 2^14 multiply-adds run on EJML on every backend.
 */
public final class Compute {

    private Compute() {
    }

    /**
     * The backend in use and what it runs on, e.g. {@code openblas (OpenBLAS 0.3.31 bundled, ...)}
     * or {@code ejml (EJML, pure Java, 1 thread)}; starts with the backend's name.
     *
     * @throws IllegalArgumentException when {@code nnkit.compute} names no backend or one that cannot run here
     */
    public static String path() {
        return Internals.computePath();
    }

    /**
     * Whether the backend in use multiplies float32 matrices with its own single-precision kernel
     * ({@code sgemm}; core's pure-Java float kernels for {@code ejml}); {@code false} when float32
     * networks get its double products, the operands widened and the result rounded (a backend
     * without {@link dev.nnkit.spi.FloatMatrixOps}).
     */
    public static boolean floatKernels() {
        return Internals.nativeFloatProducts();
    }

    /** The name of the backend in use, e.g. {@code openblas}, {@code vector} or {@code ejml}. */
    public static String backend() {
        String path = path();
        int space = path.indexOf(' ');
        return space < 0 ? path : path.substring(0, space);
    }
}
