package dev.nnkit.openblas;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import dev.nnkit.spi.Arguments;
import dev.nnkit.spi.ComputeBackend;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.NamedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The compute backend {@code openblas}: OpenBLAS 0.3.31 (a build for every x86 and ARM core model
 * it knows, choosing its kernels for the CPU at load time), bundled in the per-platform jars of
 * {@code org.bytedeco:openblas} and unpacked and linked by JavaCPP's {@link Loader} (into
 * {@code ~/.javacpp/cache} the first time). No system package and no JVM flag are needed.
 *
 * <p>Threads ({@code threads} argument): by default {@code OPENBLAS_NUM_THREADS} when set, else 1.
 * One thread is the robust choice on machines whose cores are shared with other work: OpenBLAS's
 * threads wait for each other at every product, and when one of them is descheduled the product
 * stalls (on a busy 2-core machine, 2 threads trained the MLP at 1,841 samples/s where 1 thread
 * did 39,507 in the same round; see BENCHMARKS.md). On a machine of its own, {@code
 * openblas(threads=2)} or more is faster on large products. For a given thread count the products
 * are the same on every run.
 *
 * <p>Rank 300, above every other backend of nnkit: a current OpenBLAS knows current CPUs (on an
 * AVX-512 machine it beat both the Vector API and Debian's older OpenBLAS; see BENCHMARKS.md).
 *
 * <p>How the heap arrays reach the library ({@code binding} argument, default {@code auto}):
 * <ul>
 *   <li>{@code netlib}: netlib's JNI glue, loaded on this OpenBLAS (its system property
 *       {@code dev.ludovic.netlib.blas.nativeLibPath} is set to the bundled file before netlib
 *       first loads), pins the arrays and passes them without a copy. Linux on x86-64 and ARM64,
 *       where netlib ships its glue; the choice of {@code auto} there. When netlib has already
 *       loaded another BLAS in this JVM, the backend is not usable (nnkit never loads a second BLAS
 *       library into one process) and {@code auto} moves on to the next backend.</li>
 *   <li>{@code javacpp}: JavaCPP's binding, which copies every array into native memory and back at
 *       each call; the choice of {@code auto} on other platforms.</li>
 * </ul>
 */
public final class OpenBlasBackend implements ComputeBackend {

    static final int RANK = 300;
    static final String NETLIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";

    private final String binding;
    private final int threads;
    private MatrixOps ops;

    OpenBlasBackend(String binding, int threads) {
        this.binding = binding;
        this.threads = threads;
    }

    @Override
    public int rank() {
        return RANK;
    }

    @Override
    public synchronized Availability availability() {
        String platform = Loader.getPlatform();
        if (!binding.equals("javacpp") && netlibGlue() && netlibLoadedElsewhere()) {
            // checked before anything is loaded: a second BLAS library in one process is not safe
            return Availability.unusable("netlib's native BLAS was already loaded in this JVM, on another library"
                    + " (a system BLAS); nnkit loads no second BLAS into one process: choose the backend before"
                    + " anything else uses netlib, or use -Dnnkit.compute=system_blas");
        }
        String loaded;
        try {
            loaded = Loader.load(openblas_nolapack.class);
        } catch (RuntimeException | LinkageError e) {
            return Availability.unusable("the bundled OpenBLAS has no native library for this platform (" + platform
                    + ") on the class path: add the dependencies org.bytedeco:openblas:0.3.31-1.5.13 and"
                    + " org.bytedeco:javacpp:1.5.13 with classifier " + platform + " (" + e + ")");
        }
        String version = openblas_nolapack.OPENBLAS_VERSION.trim();
        openblas_nolapack.blas_set_num_threads(this.threads); // process-wide, before the first product
        String threads = this.threads + (this.threads == 1 ? " thread" : " threads");
        boolean netlibHere = netlibGlue();
        if (binding.equals("netlib") || (binding.equals("auto") && netlibHere)) {
            if (!netlibHere) {
                return Availability.unusable("netlib has no JNI glue for " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch") + "; use openblas(binding=javacpp)");
            }
            Optional<String> problem = loadIntoNetlib(loaded);
            if (problem.isEmpty()) {
                BLAS blas = quietNativeBlas();
                String name = version + " bundled (" + platform + "), " + threads + ", heap arrays without copies (netlib JNI)";
                ops = new NetlibProducts(blas, name);
                return Availability.usable(name);
            }
            if (binding.equals("netlib")) {
                return Availability.unusable(problem.get());
            }
            String name = version + " bundled (" + platform + "), " + threads + ", heap arrays copied (JavaCPP; "
                    + problem.get() + ")";
            ops = new JavaCppProducts(name);
            return Availability.usable(name);
        }
        String name = version + " bundled (" + platform + "), " + threads + ", heap arrays copied at each call (JavaCPP)";
        ops = new JavaCppProducts(name);
        return Availability.usable(name);
    }

    @Override
    public synchronized MatrixOps ops() {
        if (ops == null) {
            throw new IllegalStateException("the openblas backend's availability() was not asked, or said it is not usable");
        }
        return ops;
    }

    /** Whether netlib ships its JNI glue for this OS and architecture. */
    static boolean netlibGlue() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }

    /**
     * Points netlib's native BLAS at the bundled library; empty when netlib now runs on it, else why not.
     * netlib reads the path once, when it first loads, so this works only if nothing in this JVM
     * has loaded netlib's native BLAS before; on Linux, {@code /proc/self/maps} tells.
     */
    private static Optional<String> loadIntoNetlib(String jniLibrary) {
        Path library;
        try {
            library = bundledLibrary(Path.of(jniLibrary).getParent());
        } catch (IOException | RuntimeException e) {
            return Optional.of("the bundled library file was not found beside " + jniLibrary + ": " + e);
        }
        if (mappedFiles().contains("netlibblasjni")) {
            return Optional.empty(); // loaded by this backend before (netlibLoadedElsewhere() was false)
        }
        String given = System.getProperty(NETLIB_PATH);
        if (given != null && !Path.of(given).equals(library)) {
            return Optional.of("the system property " + NETLIB_PATH + " names another library, " + given);
        }
        System.setProperty(NETLIB_PATH, library.toString());
        try {
            quietNativeBlas();
        } catch (RuntimeException | LinkageError e) {
            // netlib unpacks its JNI glue into java.io.tmpdir before it opens the library: a tmpdir
            // that cannot be written is the usual cause, and the exception does not say so
            return Optional.of("netlib could not load the bundled library " + library + " (netlib first unpacks its JNI "
                    + "glue into java.io.tmpdir=" + System.getProperty("java.io.tmpdir") + ", which must be writable): " + e);
        }
        return Optional.empty();
    }

    /** The OpenBLAS library file that JavaCPP unpacked beside its JNI library. */
    private static Path bundledLibrary(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith("libopenblas_nolapack.so"))
                    .sorted()
                    .findFirst()
                    .orElseThrow(() -> new IOException("no libopenblas_nolapack.so* in " + directory))
                    .toRealPath();
        }
    }

    /**
     * Whether netlib's JNI glue is in this process already, loaded on some other library than the
     * bundled one (it was loaded by something else than this backend, which sets {@link #NETLIB_PATH}
     * to a file in JavaCPP's cache first).
     */
    private static boolean netlibLoadedElsewhere() {
        if (!mappedFiles().contains("netlibblasjni")) {
            return false;
        }
        String path = System.getProperty(NETLIB_PATH);
        return path == null || !path.contains(".javacpp");
    }

    /** The files mapped into this process (Linux), or empty. */
    private static String mappedFiles() {
        try {
            return Files.readString(Path.of("/proc/self/maps"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** netlib's native BLAS, without the warnings its loader prints through java.util.logging. */
    private static BLAS quietNativeBlas() {
        java.util.logging.Logger loader = java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas.InstanceBuilder");
        Level previous = loader.getLevel();
        loader.setLevel(Level.OFF);
        try {
            return NativeBLAS.getInstance();
        } finally {
            loader.setLevel(previous);
        }
    }

    /** {@code OPENBLAS_NUM_THREADS} when it is a positive number, else 1. */
    static int defaultThreads() {
        String given = System.getenv("OPENBLAS_NUM_THREADS");
        try {
            return given == null ? 1 : Math.max(1, Integer.parseInt(given.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Makes {@code openblas}, or {@code openblas(binding=auto|netlib|javacpp, threads=N)}. */
    public static final class Provider extends NamedProvider<ComputeBackend> {
        /** Made by {@link java.util.ServiceLoader} (or a registry built from a list). */
        public Provider() {
            super(ComputeBackend.class, "openblas");
        }

        @Override
        public ComputeBackend create(Arguments arguments) {
            String binding = arguments.getString("binding", "auto");
            if (!binding.equals("auto") && !binding.equals("netlib") && !binding.equals("javacpp")) {
                throw arguments.invalid("binding", binding, "auto, netlib or javacpp");
            }
            int threads = arguments.getInt("threads", defaultThreads());
            if (threads < 1) {
                throw arguments.invalid("threads", threads, ">= 1; 1 is the robust choice on a machine whose cores are shared");
            }
            return new OpenBlasBackend(binding, threads);
        }
    }
}
