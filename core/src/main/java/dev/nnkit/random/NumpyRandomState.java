package dev.nnkit.random;

import java.util.Objects;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * NumPy's legacy random generator, {@code numpy.random.RandomState} (what {@code np.random.seed},
 * {@code np.random.rand}, {@code randn}, {@code randint}, {@code permutation} and {@code shuffle}
 * use), reproduced bit for bit: the same seed gives the same numbers in the same order.
 *
 * <p><b>The bit source</b> is the Mersenne Twister MT19937 of Matsumoto and Nishimura (1998):
 * 624 words of state, 32-bit outputs, tempering {@code y ^= y >>> 11; y ^= (y << 7) & 0x9d2c5680;
 * y ^= (y << 15) & 0xefc60000; y ^= y >>> 18}. {@link #seed(long)} is the reference
 * {@code init_genrand}: {@code mt[0] = seed}, {@code mt[i] = 1812433253 (mt[i-1] ^ (mt[i-1] >>> 30)) + i}
 * modulo {@code 2^32}, which is what {@code np.random.seed(n)} does for an integer
 * {@code 0 <= n < 2^32}; {@link #seed(int[])} is the reference {@code init_by_array}, what
 * {@code np.random.seed} does for an array of 32-bit integers. A 64-bit draw is two 32-bit words,
 * the first one high.
 *
 * <p><b>What NumPy builds on it</b> (the legacy distributions, frozen since NumPy 1.17):
 * <ul>
 *   <li>{@code random_sample} / {@code rand} ({@link #nextDouble()}): two words {@code a}, {@code b},
 *       {@code ((a >>> 5) * 2^26 + (b >>> 6)) / 2^53}, a multiple of {@code 2^-53} in {@code [0, 1)};</li>
 *   <li>{@code standard_normal} / {@code randn} ({@link #nextGaussian()}): Marsaglia's polar method,
 *       {@code x1 = 2 u1 - 1}, {@code x2 = 2 u2 - 1} from two {@code random_sample} draws until
 *       {@code 0 < r2 = x1^2 + x2^2 < 1}, {@code f = sqrt(-2 ln(r2) / r2)}; it returns {@code f x2}
 *       and keeps {@code f x1} for the next call (the cached value is dropped by a reseed);</li>
 *   <li>{@code normal(loc, scale)}: {@code loc + scale * standard_normal};</li>
 *   <li>{@code randint(low, high)} ({@link #randint}): the legacy masked rejection, {@code rng = high - low - 1},
 *       {@code mask} the smallest {@code 2^k - 1 >= rng}, draw words (one 32-bit word while
 *       {@code rng < 2^32}, else a 64-bit draw) until {@code (word & mask) <= rng}, return
 *       {@code low + (word & mask)};</li>
 *   <li>{@code shuffle} and {@code permutation(n)} ({@link #shuffle(int[])}): Fisher–Yates from the
 *       last position down, {@code for i = n-1 .. 1: j = interval(i); swap(x[i], x[j])}, with
 *       {@code interval(i)} the same masked rejection on {@code [0, i]}.</li>
 * </ul>
 * Arrays are filled in C order (row by row), as NumPy fills {@code randn(rows, cols)}, so
 * {@link #randn(int, int)} and an initializer that fills a row-major matrix with
 * {@link #nextGaussian()} draw the same numbers as {@code np.random.randn(rows, cols)}.
 *
 * <p>As a {@link RandomGenerator}, {@link #nextInt()} is one 32-bit word, {@link #nextLong()} a
 * 64-bit draw, {@link #nextDouble()} {@code random_sample}, {@link #nextGaussian()}
 * {@code standard_normal}, and {@link #nextInt(int)} / {@link #nextLong(long)} the legacy bounded
 * integers, so code written against {@code RandomGenerator} (nnkit's initializers, its
 * Fisher–Yates shuffle of a data set) draws exactly what the matching NumPy call draws.
 *
 * <p>Not thread-safe; one instance per stream.
 */
public final class NumpyRandomState implements RandomGenerator {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;
    /** The largest seed {@code np.random.seed(int)} accepts, {@code 2^32 - 1}. */
    public static final long MAX_SEED = 0xFFFF_FFFFL;

    private final int[] mt = new int[N];
    private int pos;
    private boolean hasGauss;
    private double gauss;

    /** A generator in the state {@code np.random.seed(seed)} leaves; see {@link #seed(long)}. */
    public NumpyRandomState(long seed) {
        seed(seed);
    }

    /**
     * Reseeds as {@code np.random.seed(seed)} does for an integer: {@code init_genrand(seed)}, and the
     * cached normal value is dropped.
     *
     * @param seed {@code 0 <= seed <= 2^32 - 1}
     * @throws IllegalArgumentException for any other seed, as NumPy raises {@code ValueError}
     */
    public void seed(long seed) {
        if (seed < 0 || seed > MAX_SEED) {
            throw new IllegalArgumentException("numpy_legacy seed=" + seed
                    + "; NumPy's legacy seeding takes an integer between 0 and 2^32 - 1 = " + MAX_SEED);
        }
        initGenrand((int) seed);
        hasGauss = false;
        gauss = 0.0;
    }

    /**
     * Reseeds as {@code np.random.seed(key)} does for an array of 32-bit unsigned integers: the
     * reference {@code init_by_array(key)}.
     *
     * @param key one or more words, each read as unsigned
     * @throws IllegalArgumentException when {@code key} is empty, as NumPy refuses an empty seed
     */
    public void seed(int[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("numpy_legacy seed key is empty; give at least one 32-bit word");
        }
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = UPPER_MASK;
        pos = N;
        hasGauss = false;
        gauss = 0.0;
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i; // int arithmetic wraps modulo 2^32
        }
        pos = N;
    }

    /** Regenerates the 624 words of state (the reference {@code genrand_int32}'s refill). */
    private void refill() {
        int kk = 0;
        int y;
        for (; kk < N - M; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        for (; kk < N - 1; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        pos = 0;
    }

    /** The next 32-bit word of MT19937, as a Java {@code int} (read it unsigned with {@link Integer#toUnsignedLong}). */
    @Override
    public int nextInt() {
        if (pos >= N) {
            refill();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** A 64-bit draw: two words, the first one in the high half (NumPy's {@code next_uint64} on MT19937). */
    @Override
    public long nextLong() {
        long high = Integer.toUnsignedLong(nextInt());
        return high << 32 | Integer.toUnsignedLong(nextInt());
    }

    /** {@code random_sample()}: {@code ((a >>> 5) 2^26 + (b >>> 6)) / 2^53} from two words; in {@code [0, 1)}. */
    @Override
    public double nextDouble() {
        int a = nextInt() >>> 5;
        int b = nextInt() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /**
     * {@code standard_normal()}: the legacy polar method with its cached second value (see the
     * class description). {@code ln} is {@link StrictMath#log}, and the square root is exact.
     */
    @Override
    public double nextGaussian() {
        if (hasGauss) {
            double cached = gauss;
            hasGauss = false;
            gauss = 0.0;
            return cached;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * DoubleDoubleLog.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** {@code normal(loc=mean, scale=stddev)}: {@code mean + stddev * standard_normal()}. */
    @Override
    public double nextGaussian(double mean, double stddev) {
        checkNormal(mean, stddev);
        return mean + stddev * nextGaussian();
    }

    /** {@code randint(0, bound)}: the legacy masked rejection on {@code [0, bound - 1]}. */
    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound=" + bound + "; it must be > 0");
        }
        return (int) interval(bound - 1L);
    }

    /** {@code randint(origin, bound)}: {@code origin} plus the legacy masked rejection on {@code [0, bound - origin - 1]}. */
    @Override
    public int nextInt(int origin, int bound) {
        return (int) randint(origin, bound);
    }

    /** {@code randint(0, bound)} for a 64-bit {@code bound}. */
    @Override
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound=" + bound + "; it must be > 0");
        }
        return interval(bound - 1);
    }

    /** {@code randint(origin, bound)} for 64-bit bounds. */
    @Override
    public long nextLong(long origin, long bound) {
        return randint(origin, bound);
    }

    /**
     * {@code np.random.randint(low, high)} with the default 64-bit integer type: one integer of
     * {@code [low, high)}.
     *
     * @throws IllegalArgumentException when {@code low >= high} (NumPy: "low >= high"), or when the
     *         range {@code high - low} overflows 64 bits
     */
    public long randint(long low, long high) {
        if (low >= high) {
            throw new IllegalArgumentException("randint(low=" + low + ", high=" + high + "): low must be < high");
        }
        long range = high - low - 1;
        if (range < 0) {
            throw new IllegalArgumentException("randint(low=" + low + ", high=" + high
                    + "): the range high - low does not fit in 63 bits");
        }
        return low + interval(range);
    }

    /**
     * An integer of {@code [0, max]} by masked rejection: 32-bit words while {@code max < 2^32},
     * 64-bit draws above (NumPy's {@code random_interval}, which is also what the legacy
     * {@code randint} reduces to on a 64-bit integer type).
     */
    private long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        mask |= mask >>> 32;
        long value;
        if (max <= MAX_SEED) {
            do {
                value = Integer.toUnsignedLong(nextInt()) & mask;
            } while (value > max);
        } else {
            do {
                value = nextLong() & mask;
            } while (Long.compareUnsigned(value, max) > 0);
        }
        return value;
    }

    /** {@code np.random.rand(n)} / {@code random_sample(n)}: {@code n} draws in {@code [0, 1)}. */
    public double[] rand(int n) {
        double[] out = new double[checkSize(n, "rand")];
        for (int k = 0; k < n; k++) {
            out[k] = nextDouble();
        }
        return out;
    }

    /** {@code np.random.randn(n)}: {@code n} standard-normal draws. */
    public double[] randn(int n) {
        double[] out = new double[checkSize(n, "randn")];
        for (int k = 0; k < n; k++) {
            out[k] = nextGaussian();
        }
        return out;
    }

    /** {@code np.random.randn(rows, cols)}: a {@code (rows, cols)} matrix of standard-normal draws, filled row by row. */
    public DMatrixRMaj randn(int rows, int cols) {
        checkSize(rows, "randn rows");
        checkSize(cols, "randn cols");
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < out.data.length; k++) {
            out.data[k] = nextGaussian();
        }
        return out;
    }

    /**
     * {@code np.random.normal(loc, scale, size=n)}: {@code n} draws of {@code loc + scale * standard_normal()}.
     *
     * @throws IllegalArgumentException when {@code scale < 0} or either is not finite
     */
    public double[] normal(double loc, double scale, int n) {
        checkNormal(loc, scale);
        double[] out = new double[checkSize(n, "normal")];
        for (int k = 0; k < n; k++) {
            out[k] = loc + scale * nextGaussian();
        }
        return out;
    }

    private static void checkNormal(double loc, double scale) {
        if (!(scale >= 0) || !Double.isFinite(loc) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("normal(loc=" + loc + ", scale=" + scale
                    + "): loc must be finite and scale finite and >= 0");
        }
    }

    /** {@code np.random.permutation(n)}: {@code 0..n-1} shuffled by {@link #shuffle(int[])}. */
    public int[] permutation(int n) {
        int[] out = new int[checkSize(n, "permutation")];
        for (int k = 0; k < n; k++) {
            out[k] = k;
        }
        shuffle(out);
        return out;
    }

    /** {@code np.random.shuffle(x)} on a one-dimensional array, in place. Modified. */
    public void shuffle(int[] x) {
        for (int i = x.length - 1; i > 0; i--) {
            int j = (int) interval(i);
            int t = x[i];
            x[i] = x[j];
            x[j] = t;
        }
    }

    private static int checkSize(int n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " size=" + n + "; it must be >= 0");
        }
        return n;
    }
}
