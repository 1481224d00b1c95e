package dev.nnkit.spi;

import java.util.Objects;

/**
 * A compute backend: the library that multiplies the matrices of every layer ({@link MatrixOps}),
 * a plugin kind like the others. A backend is made by a {@link PluginProvider} of this kind, named
 * in spec strings ({@code ejml}, {@code vector}, {@code system_blas}, {@code openblas}, or a third
 * party's), and chosen once per JVM by core:
 * <ul>
 *   <li>{@code -Dnnkit.compute=SPEC} names the backend (e.g. {@code -Dnnkit.compute=ejml}); one
 *       that is not {@linkplain #availability() usable} here is an error that says why;</li>
 *   <li>otherwise ({@code auto}, the default) every discovered backend is made with no arguments
 *       and asked, in order of decreasing {@link #rank()} (ties by name), whether it is usable; the
 *       first that is wins. Backends ranked below the winner are never probed, so their native
 *       libraries are never loaded.</li>
 * </ul>
 * The rank is a fixed number per backend and machine, computed from what is known of the CPU and
 * the library (never from a timing), so the same program on the same machine picks the same
 * backend every run and its results are bit-identical run to run.
 *
 * <p>Contract: {@link #rank()} is cheap and loads nothing; {@link #availability()} may load native
 * code, is called at most once per instance by core, and never throws (a failure is an unusable
 * availability naming the cause); {@link #ops()} is called only after a usable availability and
 * returns products that are deterministic for a given shape and thread count, allocate nothing on
 * the Java heap per call, and agree with EJML's up to floating-point round-off. Products of fewer
 * than 2^14 multiply-adds are computed by core with EJML whatever the backend (a native call costs
 * more than such a product), so a backend need not be fast on tiny shapes.
 *
 * <p>Single precision: a backend that can also multiply float matrices will offer it through a
 * separate small capability interface implemented by its {@link MatrixOps} (checked with
 * {@code instanceof}), so that backends with double products only keep working unchanged.
 */
public interface ComputeBackend {

    /** Preference among usable backends, higher first: a fixed number per backend and machine. */
    int rank();

    /** Whether this backend works in this JVM, with a one-line detail (the library, or why not). */
    Availability availability();

    /** The matrix products; called only when {@link #availability()} is usable. */
    MatrixOps ops();

    /**
     * Whether a backend is usable, and a one-line detail: what it runs on (e.g. {@code OpenBLAS
     * 0.3.31 bundled, 2 threads}) or why it cannot run here (e.g. {@code no native BLAS found:
     * libblas.so.3 is not installed}).
     *
     * @param usable whether {@link ComputeBackend#ops()} may be called
     * @param detail never blank
     */
    record Availability(boolean usable, String detail) {

        /** Checks that the detail is given. */
        public Availability {
            Objects.requireNonNull(detail, "detail");
            if (detail.isBlank()) {
                throw new IllegalArgumentException("the detail of a backend's availability is blank; say what it runs on or why it cannot run");
            }
        }

        /** A usable backend running on {@code detail}. */
        public static Availability usable(String detail) {
            return new Availability(true, detail);
        }

        /** A backend that cannot run here because of {@code reason}. */
        public static Availability unusable(String reason) {
            return new Availability(false, reason);
        }
    }
}
