package dev.nnkit.internal;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.NamedProvider;

/**
 * The compute backend {@code system_blas}: a native BLAS installed on the machine (netlib loads
 * {@code libblas.so.3}, e.g. Debian's {@code libopenblas0-pthread}; the system property
 * {@code dev.ludovic.netlib.blas.nativeLib} names another library, {@code ...nativeLibPath} a
 * file), called through netlib's JNI on the heap arrays without copies; the library threads itself.
 * Linux only (netlib ships its JNI glue for Linux).
 *
 * <p>Rank 200: above the Vector API on CPUs with vectors narrower than 512 bits (on an AVX2 machine
 * a system OpenBLAS was faster than the Vector API path) and below it on AVX-512 machines (where
 * Debian's older OpenBLAS was measured slower than the Vector API path); below the bundled
 * {@code openblas}, a recent OpenBLAS that knows current CPUs.
 */
public final class SystemBlasBackend implements ComputeBackend {

    static final int RANK = 200;

    @Override
    public int rank() {
        return RANK;
    }

    @Override
    public Availability availability() {
        try {
            BLAS blas = MatrixProducts.quietly(NativeBLAS::getInstance);
            return Availability.usable("netlib JNI on the system's native BLAS ("
                    + System.getProperty("dev.ludovic.netlib.blas.nativeLibPath",
                    System.getProperty("dev.ludovic.netlib.blas.nativeLib", "libblas.so.3")) + "), "
                    + blas.getClass().getSimpleName());
        } catch (RuntimeException | LinkageError e) {
            return Availability.unusable("no native BLAS is installed on this machine (netlib could not load "
                    + System.getProperty("dev.ludovic.netlib.blas.nativeLib", "libblas.so.3")
                    + "); install one, e.g. Debian's libopenblas0-pthread, or use the bundled backend of nnkit-compute-openblas");
        }
    }

    @Override
    public MatrixOps ops() {
        return new MatrixProducts.Blas(MatrixProducts.quietly(NativeBLAS::getInstance), 1);
    }

    /** Makes {@code system_blas}; no arguments. */
    public static final class Provider extends NamedProvider<ComputeBackend> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(ComputeBackend.class, "system_blas");
        }

        @Override
        public ComputeBackend create(Arguments arguments) {
            return new SystemBlasBackend();
        }
    }
}
