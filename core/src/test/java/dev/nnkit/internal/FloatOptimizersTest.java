package dev.nnkit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnkit.spi.FloatOptimizer;
import dev.nnkit.spi.FloatParameter;
import dev.nnkit.spi.Optimizer;
import dev.nnkit.spi.Parameter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Core's optimizers have float updates that follow their double updates on the same gradients
 * within float round-off, restore a float run's state bit for bit through {@code state()} and
 * {@code restoreState}, and allocate nothing once warm; an optimizer with a double update only
 * works on float parameters through {@link WideningOptimizer}.
 */
class FloatOptimizersTest {

    private static final double U = 0x1p-24;
    private static final int STEPS = 20;

    private static List<Supplier<Optimizer>> optimizers() {
        return List.of(() -> new Sgd(0.1, 0.0), () -> new Sgd(0.1, 0.9), () -> new Adam(0.01, 0.9, 0.999, 1e-8),
                () -> new RmsProp(0.01, 0.9, 1e-8));
    }

    private static List<FloatParameter> floatParameters(Random r) {
        List<FloatParameter> ps = new ArrayList<>();
        int[][] shapes = {{4, 3}, {4, 1}};
        for (int[] s : shapes) {
            FMatrixRMaj w = new FMatrixRMaj(s[0], s[1]);
            for (int k = 0; k < w.data.length; k++) {
                w.data[k] = (float) r.nextGaussian();
            }
            ps.add(new FloatParameter(s[1] == 1 ? "b" : "W", s[1] == 1 ? Parameter.Role.BIAS : Parameter.Role.WEIGHT, w,
                    new FMatrixRMaj(s[0], s[1])));
        }
        return ps;
    }

    private static void gradients(List<FloatParameter> ps, Random r) {
        for (FloatParameter p : ps) {
            for (int k = 0; k < p.gradient().data.length; k++) {
                p.gradient().data[k] = (float) r.nextGaussian();
            }
        }
    }

    private static List<Parameter> widened(List<FloatParameter> ps) {
        List<Parameter> out = new ArrayList<>();
        for (FloatParameter p : ps) {
            out.add(new Parameter(p.name(), p.role(), WideningProducts.widen(p.value(), new DMatrixRMaj(1, 1)),
                    new DMatrixRMaj(p.value().numRows, p.value().numCols)));
        }
        return out;
    }

    @Test
    void theFloatUpdateFollowsTheDoubleOneWithinRoundoff() {
        for (Supplier<Optimizer> make : optimizers()) {
            Optimizer o32 = make.get();
            Optimizer o64 = make.get();
            Random r = new Random(21);
            List<FloatParameter> f = floatParameters(r);
            List<Parameter> d = widened(f);
            double moved = 0;
            for (long step = 1; step <= STEPS; step++) {
                gradients(f, r);
                for (int i = 0; i < f.size(); i++) {
                    WideningProducts.widen(f.get(i).gradient(), d.get(i).gradient());
                }
                ((FloatOptimizer) o32).floatUpdate(f, step, 0.1);
                o64.update(d, step, 0.1);
                moved += 0.1 * 3; // an update moves an entry by at most about the rate times a few gradients
            }
            for (int i = 0; i < f.size(); i++) {
                float[] w32 = f.get(i).value().data;
                double[] w64 = d.get(i).value().data;
                for (int k = 0; k < w32.length; k++) {
                    // every step rounds W and the moments a few times: 8 u per step, of the value and of the distance moved
                    double bound = STEPS * 8 * U * (Math.abs(w64[k]) + moved);
                    assertEquals(w64[k], w32[k], bound, o32 + " " + f.get(i).name() + "[" + k + "] after " + STEPS + " steps");
                }
            }
        }
    }

    @Test
    void aFloatRunsStateRestoresBitForBit() {
        for (Supplier<Optimizer> make : optimizers()) {
            Optimizer first = make.get();
            Random r = new Random(22);
            List<FloatParameter> f = floatParameters(r);
            for (long step = 1; step <= 3; step++) {
                gradients(f, r);
                ((FloatOptimizer) first).floatUpdate(f, step, 0.1);
            }
            Optimizer resumed = make.get();
            resumed.restoreState(first.state());
            List<FloatParameter> copy = new ArrayList<>();
            for (FloatParameter p : f) {
                copy.add(new FloatParameter(p.name(), p.role(), p.value().copy(), p.gradient().copy()));
            }
            for (long step = 4; step <= 6; step++) {
                gradients(f, r);
                for (int i = 0; i < f.size(); i++) {
                    copy.get(i).gradient().setTo(f.get(i).gradient());
                }
                ((FloatOptimizer) first).floatUpdate(f, step, 0.1);
                ((FloatOptimizer) resumed).floatUpdate(copy, step, 0.1);
            }
            for (int i = 0; i < f.size(); i++) {
                assertArrayEquals(f.get(i).value().data, copy.get(i).value().data, 0f, first + " resumed");
            }
        }
    }

    /** Plain gradient descent at half the rate, double update only. */
    private static final class HalfStep implements Optimizer {
        @Override
        public void update(List<Parameter> parameters, long step, double learningRate) {
            for (int idx = 0; idx < parameters.size(); idx++) { // indexed: no iterator in the step
                Parameter p = parameters.get(idx);
                for (int k = 0; k < p.value().getNumElements(); k++) {
                    p.value().data[k] -= 0.5 * learningRate * p.gradient().data[k];
                }
            }
        }

        @Override
        public double baseLearningRate() {
            return 0.1;
        }
    }

    @Test
    void anOptimizerWithADoubleUpdateOnlyUpdatesFloatParameters() {
        FloatOptimizer f = WideningOptimizer.of(new HalfStep());
        FMatrixRMaj w = new FMatrixRMaj(1, 3, true, 1f, -2f, 0.5f);
        FMatrixRMaj g = new FMatrixRMaj(1, 3, true, 2f, 4f, -1f);
        f.floatUpdate(List.of(new FloatParameter("W", Parameter.Role.WEIGHT, w, g)), 1, 0.5);
        assertArrayEquals(new float[] {0.5f, -3f, 0.75f}, w.data, 0f);
        Sgd sgd = new Sgd(0.1, 0.0);
        assertSame(sgd, WideningOptimizer.of(sgd));
    }

    @Test
    void warmFloatStepsAllocateNothing() throws ReflectiveOperationException {
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
        assumeTrue(hotspot.isInstance(threads), "allocation counter not available");
        Method bytes = hotspot.getMethod("getCurrentThreadAllocatedBytes");
        List<FloatOptimizer> all = new ArrayList<>();
        for (Supplier<Optimizer> make : optimizers()) {
            all.add((FloatOptimizer) make.get());
        }
        all.add(WideningOptimizer.of(new HalfStep()));
        List<FloatParameter> f = floatParameters(new Random(3));
        gradients(f, new Random(4));
        long fewest = Long.MAX_VALUE;
        long step = 1;
        for (int round = 0; round < 5; round++) { // the first rounds warm up (class loading, compilation)
            long idle = (Long) bytes.invoke(threads);
            long before = (Long) bytes.invoke(threads);
            long counting = before - idle;
            for (int i = 0; i < 200; i++, step++) {
                for (int o = 0; o < all.size(); o++) {
                    all.get(o).floatUpdate(f, step, 1e-4);
                }
            }
            fewest = Math.min(fewest, (Long) bytes.invoke(threads) - before - counting);
        }
        assertEquals(0, fewest, "bytes allocated by 1000 warm float steps");
    }
}
