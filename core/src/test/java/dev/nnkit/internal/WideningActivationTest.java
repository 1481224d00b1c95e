package dev.nnkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.FloatActivation;
import java.lang.reflect.Method;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * An activation with a double kernel only works in float through {@link WideningActivation}: its
 * float output is its double output on the same input rounded once (so within {@code u = 2^-24}
 * relative), in place too, and a warm call allocates nothing; an activation with a float kernel
 * is used as it is.
 */
class WideningActivationTest {

    /** Softplus {@code log(1 + e^z)}, backward {@code dA / (1 + e^-z)}: double kernel only. */
    private static final class Softplus implements Activation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
            for (int k = 0; k < z.getNumElements(); k++) {
                double x = z.data[k];
                a.data[k] = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            }
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
            for (int k = 0; k < z.getNumElements(); k++) {
                dZ.data[k] = dA.data[k] / (1 + Math.exp(-z.data[k]));
            }
        }
    }

    private static FMatrixRMaj random(Random r) {
        FMatrixRMaj m = new FMatrixRMaj(7, 33);
        for (int k = 0; k < m.data.length; k++) {
            m.data[k] = (float) (5 * r.nextGaussian());
        }
        return m;
    }

    @Test
    void aDoubleOnlyActivationGivesItsDoubleResultRoundedOnce() {
        FloatActivation f = WideningActivation.of(new Softplus());
        Random r = new Random(8);
        FMatrixRMaj z = random(r);
        FMatrixRMaj dA = random(r);
        FMatrixRMaj a = new FMatrixRMaj(7, 33);
        FMatrixRMaj dZ = new FMatrixRMaj(7, 33);
        f.forward(z, a);
        f.backward(z, a, dA, dZ);
        for (int k = 0; k < z.data.length; k++) {
            double x = z.data[k];
            double softplus = Math.log(1 + Math.exp(x)); // the definition, independent of the kernel's form
            assertEquals(softplus, a.data[k], 0x1p-24 * softplus + 1e-15 + Math.ulp(softplus), "softplus at " + x);
            double slope = 1 / (1 + Math.exp(-x));
            assertEquals(dA.data[k] * slope, dZ.data[k], 0x1p-23 * Math.abs(dA.data[k] * slope) + Float.MIN_NORMAL,
                    "backward at " + x);
        }
        FMatrixRMaj inPlace = z.copy();
        f.forward(inPlace, inPlace);
        assertEquals(java.util.Arrays.toString(a.data), java.util.Arrays.toString(inPlace.data));
    }

    /** An activation with its own float kernel. */
    private static final class Both implements Activation, FloatActivation {
        @Override
        public void forward(DMatrixRMaj z, DMatrixRMaj a) {
        }

        @Override
        public void backward(DMatrixRMaj z, DMatrixRMaj a, DMatrixRMaj dA, DMatrixRMaj dZ) {
        }

        @Override
        public void forward(FMatrixRMaj z, FMatrixRMaj a) {
        }

        @Override
        public void backward(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj dA, FMatrixRMaj dZ) {
        }
    }

    @Test
    void anActivationWithAFloatKernelIsUsedAsItIs() {
        Both both = new Both();
        assertSame(both, WideningActivation.of(both));
    }

    @Test
    void aWarmWidenedCallAllocatesNothing() throws ReflectiveOperationException {
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
        assumeTrue(hotspot.isInstance(threads), "allocation counter not available");
        Method bytes = hotspot.getMethod("getCurrentThreadAllocatedBytes");
        FloatActivation f = WideningActivation.of(new Softplus());
        Random r = new Random(1);
        FMatrixRMaj z = random(r);
        FMatrixRMaj dA = random(r);
        FMatrixRMaj a = new FMatrixRMaj(7, 33);
        FMatrixRMaj dZ = new FMatrixRMaj(7, 33);
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) { // the first rounds warm up (class loading, compilation)
            long idle = (Long) bytes.invoke(threads);
            long before = (Long) bytes.invoke(threads);
            long counting = before - idle; // what reading the counter allocates (its boxed result)
            passes(f, z, a, dA, dZ, 500);
            fewest = Math.min(fewest, (Long) bytes.invoke(threads) - before - counting);
        }
        assertEquals(0, fewest, "bytes allocated by 1000 warm widened passes");
    }

    private static void passes(FloatActivation f, FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj dA, FMatrixRMaj dZ, int n) {
        for (int step = 0; step < n; step++) {
            f.forward(z, a);
            f.backward(z, a, dA, dZ);
        }
    }
}
