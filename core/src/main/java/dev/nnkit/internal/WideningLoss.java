package dev.nnkit.internal;

import dev.nnkit.spi.FloatFusedLoss;
import dev.nnkit.spi.FloatLoss;
import dev.nnkit.spi.FusedLoss;
import dev.nnkit.spi.Loss;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The float paths of a loss that has only double ones: the float operands are widened (exactly)
 * into double scratch matrices, the double path runs, and the gradient is rounded to float. Cost
 * against a float kernel: two or three widening passes and one rounding pass over the batch per
 * call. The scratch belongs to the calling thread and only grows: a warm call allocates nothing.
 */
public final class WideningLoss implements FloatLoss {

    private final Loss doubles;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private WideningLoss(Loss doubles) {
        this.doubles = doubles;
    }

    /** {@code loss}'s own float general path when it has one, else this adapter around its double one. */
    public static FloatLoss of(Loss loss) {
        return loss instanceof FloatLoss f ? f : new WideningLoss(loss);
    }

    /** {@code loss}'s own float fused path when it has one, else this adapter around its double one. */
    public static FloatFusedLoss fused(FusedLoss loss) {
        return loss instanceof FloatFusedLoss f ? f : new Fused(loss);
    }

    @Override
    public double cost(FMatrixRMaj a, FMatrixRMaj y) {
        Scratch s = scratch.get();
        return doubles.cost(WideningProducts.widen(a, s.first), WideningProducts.widen(y, s.y));
    }

    @Override
    public void gradient(FMatrixRMaj a, FMatrixRMaj y, FMatrixRMaj dA) {
        Scratch s = scratch.get();
        s.out.reshape(dA.numRows, dA.numCols);
        doubles.gradient(WideningProducts.widen(a, s.first), WideningProducts.widen(y, s.y), s.out);
        WideningProducts.narrow(s.out, dA);
    }

    @Override
    public String toString() {
        return doubles.toString();
    }

    /** The fused path of a fused loss with double kernels only, widened the same way. */
    private static final class Fused implements FloatFusedLoss {
        private final FusedLoss doubles;
        private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

        Fused(FusedLoss doubles) {
            this.doubles = doubles;
        }

        @Override
        public double fusedCost(FMatrixRMaj z, FMatrixRMaj y) {
            Scratch s = scratch.get();
            return doubles.fusedCost(WideningProducts.widen(z, s.first), WideningProducts.widen(y, s.y));
        }

        @Override
        public void fusedGradient(FMatrixRMaj z, FMatrixRMaj a, FMatrixRMaj y, FMatrixRMaj dZ) {
            Scratch s = scratch.get();
            s.out.reshape(dZ.numRows, dZ.numCols);
            doubles.fusedGradient(WideningProducts.widen(z, s.first), WideningProducts.widen(a, s.second),
                    WideningProducts.widen(y, s.y), s.out);
            WideningProducts.narrow(s.out, dZ);
        }

        @Override
        public String toString() {
            return doubles.toString();
        }
    }

    /** One thread's double operands and output. */
    private static final class Scratch {
        final DMatrixRMaj first = new DMatrixRMaj(1, 1);
        final DMatrixRMaj second = new DMatrixRMaj(1, 1);
        final DMatrixRMaj y = new DMatrixRMaj(1, 1);
        final DMatrixRMaj out = new DMatrixRMaj(1, 1);
    }
}
