package dev.nnkit.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The legacy NumPy generator against three kinds of reference: the published MT19937 test values
 * (the reference implementation's output file and the C++ standard's check value), values printed
 * by NumPy's own {@code RandomState} (written as hex literals, exact), and the documented
 * algorithms recomputed here from raw 32-bit words.
 */
class NumpyRandomStateTest {

    @Test
    void mt19937MatchesTheReferenceStreams() {
        // C++ [rand.predef]: the 10000th output of mt19937 default-seeded with 5489 is 4123659995
        NumpyRandomState r = new NumpyRandomState(5489);
        assertEquals(3499211612L, Integer.toUnsignedLong(r.nextInt()), "first output of init_genrand(5489)");
        int last = 0;
        for (int i = 2; i <= 10000; i++) {
            last = r.nextInt();
        }
        assertEquals(4123659995L, Integer.toUnsignedLong(last));
        // mt19937ar.out: init_by_array({0x123, 0x234, 0x345, 0x456}) starts with these
        r.seed(new int[] {0x123, 0x234, 0x345, 0x456});
        long[] expected = {1067595299L, 955945823L, 477289528L, 4107218783L, 4228976476L};
        for (long e : expected) {
            assertEquals(e, Integer.toUnsignedLong(r.nextInt()));
        }
    }

    @Test
    void randnAfterSeedZeroIsNumpys() {
        // np.random.seed(0); np.random.randn(3)
        NumpyRandomState r = new NumpyRandomState(0);
        assertEquals(1.764052345967664, r.nextGaussian());
        assertEquals(0.4001572083672233, r.nextGaussian());
        assertEquals(0.9787379841057392, r.nextGaussian());
    }

    @Test
    void randMatchesNumpyAndTheDocumentedFiftyThreeBitRecipe() {
        // np.random.seed(1); np.random.rand(5)
        double[] numpy = {0x1.ab07d0ffa3c06p-2, 0x1.70ce5f3baf051p-1, 0x1.dfb906661c000p-14, 0x1.3596ab7fe08f4p-2,
            0x1.2c8e5a3c7053cp-3};
        assertArrayEquals(numpy, new NumpyRandomState(1).rand(5));
        // random_sample = ((a >> 5) * 67108864 + (b >> 6)) / 9007199254740992 from two raw words
        NumpyRandomState words = new NumpyRandomState(123);
        NumpyRandomState doubles = new NumpyRandomState(123);
        for (int i = 0; i < 1000; i++) {
            long a = Integer.toUnsignedLong(words.nextInt()) >>> 5;
            long b = Integer.toUnsignedLong(words.nextInt()) >>> 6;
            assertEquals((double) (a << 26 | b) / 0x1p53, doubles.nextDouble());
        }
    }

    @Test
    void gaussIsThePolarMethodWithItsCachedSecondValue() {
        NumpyRandomState uniforms = new NumpyRandomState(99);
        NumpyRandomState normals = new NumpyRandomState(99);
        for (int pair = 0; pair < 500; pair++) {
            double x1;
            double x2;
            double r2;
            do {
                x1 = 2.0 * uniforms.nextDouble() - 1.0;
                x2 = 2.0 * uniforms.nextDouble() - 1.0;
                r2 = x1 * x1 + x2 * x2;
            } while (r2 >= 1.0 || r2 == 0.0);
            double f = Math.sqrt(-2.0 * DoubleDoubleLog.log(r2) / r2);
            assertEquals(f * x2, normals.nextGaussian(), "first of pair " + pair);
            assertEquals(f * x1, normals.nextGaussian(), "cached second of pair " + pair);
        }
    }

    @Test
    void oddCountsUseTheCacheAcrossCallsAndASeedDropsIt() {
        // np.random.seed(11); randn(3); randn(2): the second call starts with the cached value
        NumpyRandomState r = new NumpyRandomState(11);
        assertArrayEquals(new double[] {0x1.bfdc4413bce61p+0, -0x1.24f051d660f7ep-2, -0x1.f031d78eafda2p-2}, r.randn(3));
        assertArrayEquals(new double[] {-0x1.539ff14af2ee1p+1, -0x1.0f78821badc42p-7}, r.randn(2));
        r.seed(0);
        r.nextGaussian();
        r.seed(0); // the cached second value of seed 0's first pair must not survive
        assertEquals(1.764052345967664, r.nextGaussian());
    }

    @Test
    void farIntoTheStreamAndAtTheLargestSeed() {
        NumpyRandomState r = new NumpyRandomState(7);
        for (int i = 0; i < 100000; i++) {
            r.nextGaussian();
        }
        // np.random.seed(7); np.random.randn(100003)[100000:]
        assertArrayEquals(new double[] {-0x1.4a97628ee5c52p-5, 0x1.5227f3f98a28ap-1, -0x1.6a26f761d1a83p-2}, r.randn(3));
        // np.random.seed(2**32 - 1); np.random.randn(3)
        assertArrayEquals(new double[] {0x1.4bfc38c486d8ap-1, 0x1.56b192e507eeep-1, -0x1.149e836f192fdp+0},
                new NumpyRandomState(NumpyRandomState.MAX_SEED).randn(3));
    }

    @Test
    void randnMatrixIsFilledInCOrderLikeTheCoursesInitializeParameters() {
        // np.random.seed(2); W1 = np.random.randn(4, 2) * 0.01; W2 = np.random.randn(1, 4) * 0.01
        NumpyRandomState r = new NumpyRandomState(2);
        DMatrixRMaj w1 = r.randn(4, 2);
        DMatrixRMaj w2 = r.randn(1, 4);
        double[] numpyW1 = {-0x1.11205d3fe4613p-8, -0x1.27000e9f79167p-11, -0x1.5dfe8eebfe2e5p-6, 0x1.0cbdf1b25b686p-6,
            -0x1.25d623f6f8f6fp-6, -0x1.13d2e308f1ae3p-7, 0x1.4991806793d16p-8, -0x1.980e5607c723bp-7};
        double[] numpyW2 = {-0x1.5aab76e75a518p-7, -0x1.29dd15e3beb83p-7, 0x1.6966a2dda104cp-8, 0x1.778e2c206dac5p-6};
        for (int k = 0; k < 8; k++) {
            assertEquals(numpyW1[k], w1.data[k] * 0.01, "W1 entry " + k);
        }
        for (int k = 0; k < 4; k++) {
            assertEquals(numpyW2[k], w2.data[k] * 0.01, "W2 entry " + k);
        }
        // the assignment's printed W1[0] and W2: [[-0.00416758 -0.00056267] ...], [[-0.01057952 ... 0.02292208]]
        assertEquals(-0.00416758, w1.get(0, 0) * 0.01, 5e-9);
        assertEquals(-0.00056267, w1.get(0, 1) * 0.01, 5e-9);
        assertEquals(0.02292208, w2.get(0, 3) * 0.01, 5e-9);
    }

    @Test
    void normalIsLocPlusScaleTimesGauss() {
        // np.random.seed(3); np.random.normal(1.5, 0.05, 5)
        assertArrayEquals(new double[] {0x1.96e4fa4fe764cp+0, 0x1.85965b009dd5bp+0, 0x1.813c33f179ce5p+0, 0x1.6825b50522c02p+0,
            0x1.7c730de918607p+0}, new NumpyRandomState(3).normal(1.5, 0.05, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(3).normal(0, -1, 2));
        assertTrue(e.getMessage().contains("scale=-1.0"), e.getMessage());
    }

    @Test
    void randintPermutationAndShuffleAreTheLegacyBoundedIntegers() {
        // np.random.seed(42); randint(0, 10, size=10); randint(0, 2**40, size=3); randint(-5, 5, size=5)
        NumpyRandomState r = new NumpyRandomState(42);
        long[] small = {6, 3, 7, 4, 6, 9, 2, 6, 7, 4};
        for (long e : small) {
            assertEquals(e, r.randint(0, 10));
        }
        for (long e : new long[] {425815370599L, 651335606402L, 640192412980L}) {
            assertEquals(e, r.randint(0, 1L << 40));
        }
        for (long e : new long[] {-4, 2, 0, -4, -1}) {
            assertEquals(e, r.randint(-5, 5));
        }
        // np.random.seed(0); np.random.permutation(10)
        assertArrayEquals(new int[] {2, 8, 4, 9, 1, 6, 7, 3, 0, 5}, new NumpyRandomState(0).permutation(10));
        // np.random.seed(5); x = np.arange(7); np.random.shuffle(x); then np.random.rand()
        NumpyRandomState s = new NumpyRandomState(5);
        int[] x = {0, 1, 2, 3, 4, 5, 6};
        s.shuffle(x);
        assertArrayEquals(new int[] {6, 2, 4, 1, 0, 5, 3}, x);
        assertEquals(0x1.39367dd96421ep-1, s.nextDouble());
        // RandomGenerator.nextInt(bound) is randint(0, bound)
        NumpyRandomState g = new NumpyRandomState(42);
        for (long e : small) {
            assertEquals(e, g.nextInt(10));
        }
    }

    @Test
    void maskedRejectionIsTheDocumentedLoop() {
        NumpyRandomState words = new NumpyRandomState(8);
        NumpyRandomState ints = new NumpyRandomState(8);
        for (int i = 0; i < 2000; i++) {
            int bound = 1 + (i * 37) % 1000;
            long max = bound - 1;
            long mask = max == 0 ? 0 : (Long.highestOneBit(max) << 1) - 1;
            long value = 0;
            if (max > 0) {
                do {
                    value = Integer.toUnsignedLong(words.nextInt()) & mask;
                } while (value > max);
            }
            assertEquals(value, ints.nextInt(bound), "draw " + i + " of [0, " + bound + ")");
        }
    }

    @Test
    void badSeedsAndBoundsAreRefusedWithTheValue() {
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(-1));
        assertTrue(low.getMessage().contains("seed=-1") && low.getMessage().contains("4294967295"), low.getMessage());
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(1L << 32));
        assertTrue(high.getMessage().contains("seed=4294967296"), high.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(0).seed(new int[0]));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(0).randint(3, 3));
        assertTrue(range.getMessage().contains("low=3, high=3"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(0).nextInt(0));
    }

    @Test
    void logIsCorrectlyRounded() {
        // x, ln x correctly rounded (computed with 60-digit decimal arithmetic); the first ten are
        // arguments where Math.log is one ulp off
        double[][] table = {
            {0.996188949043477, -0.003818331514825355},
            {0.9985617653547172, -0.001439269897473027},
            {0.9961036556761015, -0.003903954848692641},
            {0.9536271813999221, -0.04748247909246497},
            {0.23793685219026295, -1.4357499674477485},
            {0.9963178891088614, -0.003688906548149711},
            {0.973237652868639, -0.027126979067151318},
            {0.6163328799405982, -0.4839680718924923},
            {0.890953480699458, -0.11546306308818023},
            {0.999301184294201, -0.0006990599913079934},
            {0.5, -0.6931471805599453},
            {0.25, -1.3862943611198906},
            {1e-300, -690.7755278982137},
            {5e-324, -744.4400719213812},
            {0.9999999999999999, -1.1102230246251565e-16},
            {0.7071067811865476, -0.3465735902799726},
            {1.4142135623730951, 0.3465735902799727},
            {0.1, -2.3025850929940455},
            {1e-05, -11.512925464970229},
            {0.999, -0.0010005003335835344},
        };
        for (double[] row : table) {
            assertEquals(row[1], DoubleDoubleLog.log(row[0]), "ln " + row[0]);
        }
        assertEquals(0.0, DoubleDoubleLog.log(1.0));
        assertEquals(Double.NEGATIVE_INFINITY, DoubleDoubleLog.log(0.0));
    }
}
