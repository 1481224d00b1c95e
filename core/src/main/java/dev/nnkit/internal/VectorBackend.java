package dev.nnkit.internal;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.NamedProvider;
import java.lang.reflect.Method;

/**
 * The compute backend {@code vector}: netlib's BLAS on the JDK's Vector API, usable when the JVM
 * runs with {@code --add-modules jdk.incubator.vector}; each product of at least 2^20 flops has the
 * rows of its output split over {@code threads} threads ({@link RowSplitGemm}), deterministic for
 * a given number of threads.
 *
 * <p>Arguments: {@code threads} (default: the system property {@code nnkit.threads}, else one per
 * processor). Rank: 250 when the CPU's preferred vectors are 512 bits wide (AVX-512), above a
 * system BLAS; 100 otherwise, below it (see {@link SystemBlasBackend}).
 */
public final class VectorBackend implements ComputeBackend {

    static final String MODULE = "jdk.incubator.vector";

    private final int threads;

    VectorBackend(int threads) {
        this.threads = threads;
    }

    @Override
    public int rank() {
        return vectorBits() >= 512 ? 250 : 100;
    }

    @Override
    public Availability availability() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return Availability.unusable("the Vector API is not enabled; run java with --add-modules " + MODULE);
        }
        BLAS blas = MatrixProducts.quietly(JavaBLAS::getInstance);
        if (!blas.getClass().getSimpleName().equals("VectorBLAS")) {
            return Availability.unusable("netlib did not load its Vector API BLAS (it gave "
                    + blas.getClass().getSimpleName() + ")");
        }
        return Availability.usable("netlib VectorBLAS, " + vectorBits() + "-bit vectors, rows split over " + threads
                + (threads == 1 ? " thread" : " threads"));
    }

    @Override
    public MatrixOps ops() {
        return new MatrixProducts.Blas(MatrixProducts.quietly(JavaBLAS::getInstance), threads);
    }

    /** The width of the CPU's preferred double vectors in bits, read without loading anything native; 0 when unknown. */
    static int vectorBits() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return 0;
        }
        try {
            Object species = Class.forName(MODULE + ".DoubleVector").getField("SPECIES_PREFERRED").get(null);
            Method bits = Class.forName(MODULE + ".VectorSpecies").getMethod("vectorBitSize");
            return (Integer) bits.invoke(species);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return 0;
        }
    }

    /** Makes {@code vector} or {@code vector(threads=N)}. */
    public static final class Provider extends NamedProvider<ComputeBackend> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(ComputeBackend.class, "vector");
        }

        @Override
        public ComputeBackend create(Arguments arguments) {
            int threads = arguments.getInt("threads", MatrixProducts.Blas.threads());
            if (threads < 1) {
                throw arguments.invalid("threads", threads, ">= 1");
            }
            return new VectorBackend(threads);
        }
    }
}
