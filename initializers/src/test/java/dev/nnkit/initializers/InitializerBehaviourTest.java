package dev.nnkit.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.PluginRegistry;
import dev.nnkit.spi.Initializer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Determinism, full overwrite, the constant initializers and the worked numbers of MATH §4. */
class InitializerBehaviourTest {

    private static Initializer create(String spec) {
        return PluginRegistry.defaults().create(Initializer.class, spec);
    }

    private static double[] draw(Initializer init, int rows, int cols, long seed) {
        DMatrixRMaj w = new DMatrixRMaj(rows, cols);
        Arrays.fill(w.data, Double.NaN);
        init.initialize(w, new SplittableRandom(seed));
        return w.data.clone();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zeros", "constant(value=0.3)", "small_random", "normal", "uniform",
        "xavier_normal", "xavier_uniform", "he_normal", "he_uniform", "lecun_normal", "lecun_uniform"})
    void overwritesEveryEntryAndIsDeterministicGivenTheSeed(String spec) {
        Initializer init = create(spec);
        double[] first = draw(init, 7, 11, 42);
        for (double v : first) {
            assertTrue(Double.isFinite(v), spec + " left an entry unset or non-finite: " + v);
        }
        assertArrayEquals(first, draw(init, 7, 11, 42), 0.0, spec + ": same seed, same matrix");
        assertArrayEquals(first, draw(create(spec), 7, 11, 42), 0.0, spec + ": a fresh instance, same matrix");
    }

    @ParameterizedTest
    @ValueSource(strings = {"small_random", "normal", "uniform", "xavier_normal", "xavier_uniform",
        "he_normal", "he_uniform", "lecun_normal", "lecun_uniform"})
    void differentSeedsGiveDifferentMatrices(String spec) {
        Initializer init = create(spec);
        double[] a = draw(init, 7, 11, 42);
        double[] b = draw(init, 7, 11, 43);
        int equal = 0;
        for (int k = 0; k < a.length; k++) {
            if (a[k] == b[k]) {
                equal++;
            }
        }
        assertEquals(0, equal, spec + ": entries equal under two seeds");
        // Successive entries of one matrix differ too (no value reused across the matrix).
        assertFalse(a[0] == a[1] && a[1] == a[2], spec + ": repeated values within one matrix");
    }

    @Test
    void zerosGivesAllZeros() {
        Initializer zeros = create("zeros");
        DMatrixRMaj w = new DMatrixRMaj(30, 40);
        Arrays.fill(w.data, 7.0);
        zeros.initialize(w, new SplittableRandom(1));
        for (double v : w.data) {
            assertEquals(0.0, v, 0.0);
        }
        assertEquals(0.0, zeros.mean(), 0.0);
        assertEquals(0.0, zeros.variance(40, 30), 0.0);
    }

    @Test
    void constantGivesItsValueEverywhere() {
        Initializer constant = create("constant(value=0.3)");
        DMatrixRMaj w = new DMatrixRMaj(30, 40);
        Arrays.fill(w.data, 7.0);
        constant.initialize(w, new SplittableRandom(1));
        for (double v : w.data) {
            assertEquals(0.3, v, 0.0);
        }
        assertEquals(0.3, constant.mean(), 0.0);
        assertEquals(0.0, constant.variance(40, 30), 0.0);
    }

    @Test
    void onlyTheFirstNumElementsAreWrittenWhenTheArrayIsLarger() {
        // EJML keeps a larger array after reshaping to a smaller shape; entries past the end are not the matrix.
        DMatrixRMaj w = new DMatrixRMaj(10, 10);
        w.reshape(3, 4);
        Arrays.fill(w.data, 5.0);
        create("he_normal").initialize(w, new SplittableRandom(3));
        for (int k = 12; k < w.data.length; k++) {
            assertEquals(5.0, w.data[k], 0.0);
        }
    }

    @Test
    void heVarianceForFanIn100IsTheSpecsNumber() {
        // MATH §4: fan_in 100 gives Var 0.02, std about 0.14.
        for (String spec : new String[] {"he_normal", "he_uniform"}) {
            double variance = create(spec).variance(100, 50);
            assertEquals(0.02, variance, 1e-17, spec);
            assertEquals(0.141, Math.sqrt(variance), 5e-4, spec);
        }
    }

    @Test
    void xavierPublishedDefaultAndTheNotesVariant() {
        // Glorot & Bengio: 2/(fan_in + fan_out); the notes: 1/(fan_in + fan_out), fan_in 100, fan_out 50: 0.0067.
        for (String name : new String[] {"xavier_normal", "xavier_uniform"}) {
            assertEquals(2.0 / 150, create(name).variance(100, 50), 1e-17, name);
            double notes = create(name + "(scale=0.5)").variance(100, 50);
            assertEquals(1.0 / 150, notes, 1e-17, name);
            assertEquals(0.0067, notes, 5e-5, name);
        }
    }

    @Test
    void lecunIsTheVariancePreservationResult() {
        // MATH §4: Var(z) = n Var(w) Var(x) = 1 for Var(x) = 1 needs Var(w) = 1/n; n = fan_in = 100.
        for (String name : new String[] {"lecun_normal", "lecun_uniform"}) {
            double varW = create(name).variance(100, 50);
            assertEquals(0.01, varW, 1e-17, name);
            assertEquals(1.0, 100 * varW * 1.0, 1e-15, name);
        }
    }

    @Test
    void fixedWidthInitializersIgnoreTheFans() {
        assertEquals(1e-4, create("small_random").variance(100, 50), 1e-19);
        assertEquals(1e-4, create("small_random").variance(3, 900), 1e-19);
        assertEquals(0.0025, create("normal").variance(7, 9), 1e-18);
        assertEquals(0.05 * 0.05 / 3, create("uniform").variance(7, 9), 1e-18);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zeros", "small_random", "he_normal", "xavier_uniform"})
    void fansBelowOneAreRejected(String spec) {
        Initializer init = create(spec);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> init.variance(0, 5));
        assertTrue(e.getMessage().contains(init.toString()) && e.getMessage().contains("fanIn=0"), e.getMessage());
    }
}
