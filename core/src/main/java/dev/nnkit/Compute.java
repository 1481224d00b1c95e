package dev.nnkit;

import dev.nnkit.internal.Internals;

/**
 * Which implementation multiplies the matrices of every layer in this JVM: netlib's BLAS on a
 * native library ({@code blas (JNIBLAS)}, e.g. Debian's OpenBLAS, using every core), netlib's BLAS
 * on the JDK's Vector API ({@code blas (VectorBLAS) on 2 threads}, with {@code --add-modules
 * jdk.incubator.vector}; each large product's rows split over one thread per processor), or EJML
 * ({@code ejml}, always available, several times slower on layer sizes). Chosen once, at first
 * use; the system property {@code nnkit.compute} ({@code auto}, {@code blas}, {@code ejml})
 * overrides the choice, and {@code nnkit.threads} the number of threads of the split.
 */
public final class Compute {

    private Compute() {
    }

    /** The implementation in use, e.g. {@code blas (JNIBLAS)}, {@code blas (VectorBLAS) on 2 threads} or {@code ejml}. */
    public static String path() {
        return Internals.computePath();
    }

    /** Whether the products run on a native BLAS library. */
    public static boolean isNative() {
        return path().contains("JNIBLAS");
    }
}
