package dev.nnkit.internal;

import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.NamedProvider;

/**
 * The compute backend {@code ejml}: EJML's row-major {@code CommonOps_DDRM} kernels, pure Java on
 * one thread. Always usable and ranked last (0): the fallback when no faster backend is present.
 */
public final class EjmlBackend implements ComputeBackend {

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.usable("EJML, pure Java, 1 thread");
    }

    @Override
    public MatrixOps ops() {
        return new MatrixProducts.Ejml();
    }

    /** Makes {@code ejml}; no arguments. */
    public static final class Provider extends NamedProvider<ComputeBackend> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(ComputeBackend.class, "ejml");
        }

        @Override
        public ComputeBackend create(Arguments arguments) {
            return new EjmlBackend();
        }
    }
}
