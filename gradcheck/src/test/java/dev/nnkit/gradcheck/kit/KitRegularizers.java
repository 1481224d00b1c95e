package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.StepContext;
import dev.nnkit.spi.WeightPenalty;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * Regularizer fixtures: a correct L1 (which nnkit does not ship), and weight penalties and dropouts
 * broken in one way each. The broken dropouts change the correct inverted dropout of
 * {@link InvertedDropout}, which is registered under no name: the kit on the shipped l2 and dropout
 * is tested in the regularizers module and the integration-tests module.
 */
final class KitRegularizers {

    private KitRegularizers() {
    }

    static List<PluginProvider<?>> providers() {
        return List.of(
                new AbsoluteNorm.Provider(),
                new FixtureProvider<>(Regularizer.class, "kit_plain_dropout",
                        a -> new PlainDropout(a.getDouble("keep_prob", 0.8))),
                new FixtureProvider<>(Regularizer.class, "kit_forgetful_dropout",
                        a -> new ForgetfulDropout(a.getDouble("keep_prob", 0.8))),
                new FixtureProvider<>(Regularizer.class, "kit_field_dropout",
                        a -> new FieldMaskDropout(a.getDouble("keep_prob", 0.8))),
                new FixtureProvider<>(Regularizer.class, "kit_private_dropout",
                        a -> new PrivateRandomDropout(a.getDouble("keep_prob", 0.8))),
                new FixtureProvider<>(Regularizer.class, "kit_eager_dropout",
                        a -> new EagerDropout(a.getDouble("keep_prob", 0.8))),
                new FixtureProvider<>(Regularizer.class, "kit_busy_dropout",
                        a -> new AlwaysActiveDropout(a.getDouble("keep_prob", 0.8))),
                new FixtureProvider<>(Regularizer.class, "kit_wrong_l2", a -> new MissingOneOverM(a.getDouble("lambda", 0.01))),
                new FixtureProvider<>(Regularizer.class, "kit_leaky_zero",
                        a -> new SquaredNorm("kit_leaky_zero", a.getDouble("lambda", 0.01), 1e-3)),
                new FixtureProvider<>(Regularizer.class, "kit_overwriting_l2", a -> new Overwriting(a.getDouble("lambda", 0.01))),
                new FixtureProvider<>(Regularizer.class, "kit_sneaky", a -> new Sneaky()));
    }

    /**
     * {@code ((lambda + floor) / 2m) ||W||^2} with its exact gradient: the base of the broken squared
     * penalties below; registered as {@code kit_leaky_zero} with {@code floor > 0}, a bug at lambda = 0.
     */
    static class SquaredNorm implements WeightPenalty {
        private final String name;
        final double lambda;
        private final double floor;

        SquaredNorm(String name, double lambda, double floor) {
            this.name = name;
            this.lambda = lambda;
            this.floor = floor;
        }

        @Override
        public double penalty(DMatrixRMaj w, int m) {
            double sum = 0;
            for (int k = 0; k < w.getNumElements(); k++) {
                sum += w.data[k] * w.data[k];
            }
            return (lambda + floor) / (2.0 * m) * sum;
        }

        @Override
        public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
            for (int k = 0; k < w.getNumElements(); k++) {
                dW.data[k] += (lambda + floor) / m * w.data[k];
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of(name).with("lambda", lambda).toString();
        }
    }

    /**
     * L1, correct: {@code (lambda/m) sum |w|}, gradient {@code (lambda/m) sign(w)}, sign(0) = 0;
     * registered in the test services file as {@code kit_l1}.
     */
    static final class AbsoluteNorm implements WeightPenalty {
        private final double lambda;

        AbsoluteNorm(double lambda) {
            this.lambda = lambda;
        }

        @Override
        public double penalty(DMatrixRMaj w, int m) {
            double sum = 0;
            for (int k = 0; k < w.getNumElements(); k++) {
                sum += Math.abs(w.data[k]);
            }
            return lambda / m * sum;
        }

        @Override
        public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
            for (int k = 0; k < w.getNumElements(); k++) {
                dW.data[k] += lambda / m * Math.signum(w.data[k]);
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_l1").with("lambda", lambda).toString();
        }

        /** Public, for ServiceLoader. */
        public static final class Provider extends FixtureProvider<Regularizer> {
            public Provider() {
                super(Regularizer.class, "kit_l1", a -> new AbsoluteNorm(a.getDouble("lambda", 0.01)));
            }
        }
    }

    /**
     * Inverted dropout as MATH §7 writes it, the base that each broken dropout below changes in one
     * way: in TRAINING {@code out = A * D / keep_prob} with {@code D} drawn by
     * {@code context.drawMask} into buffer 0, and {@code dA = dA * D / keep_prob}; the identity
     * otherwise.
     */
    abstract static class InvertedDropout implements ActivationTransform {
        final double keepProb;

        InvertedDropout(double keepProb) {
            this.keepProb = keepProb;
        }

        @Override
        public boolean isActive() {
            return keepProb < 1;
        }

        /** Whether this pass drops units. */
        boolean acts(StepContext context) {
            return context.mode().isStochastic();
        }

        /** The mask of this pass, {@code (rows, cols)}: drawn in forward, read in backward. */
        DMatrixRMaj mask(StepContext context, int rows, int cols, boolean draw) {
            DMatrixRMaj mask = context.buffer(0, rows, cols);
            if (draw) {
                context.drawMask(mask, keepProb);
            }
            return mask;
        }

        @Override
        public void forward(DMatrixRMaj a, DMatrixRMaj out, StepContext context) {
            if (!acts(context)) {
                if (out != a) {
                    out.setTo(a);
                }
                return;
            }
            DMatrixRMaj mask = mask(context, a.numRows, a.numCols, true);
            for (int k = 0; k < a.getNumElements(); k++) {
                out.data[k] = a.data[k] * mask.data[k] / keepProb;
            }
        }

        @Override
        public void backward(DMatrixRMaj dA, StepContext context) {
            if (!acts(context)) {
                return;
            }
            DMatrixRMaj mask = mask(context, dA.numRows, dA.numCols, false);
            for (int k = 0; k < dA.getNumElements(); k++) {
                dA.data[k] = dA.data[k] * mask.data[k] / keepProb;
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of(name()).with("keep_prob", keepProb).toString();
        }

        abstract String name();
    }

    /** Bug: dropout that does not rescale by {@code 1 / keep_prob} (forward and backward agree). */
    static final class PlainDropout extends InvertedDropout {
        PlainDropout(double keepProb) {
            super(keepProb);
        }

        @Override
        public void forward(DMatrixRMaj a, DMatrixRMaj out, StepContext context) {
            super.forward(a, out, context);
            if (acts(context)) {
                for (int k = 0; k < a.getNumElements(); k++) {
                    out.data[k] *= keepProb;
                }
            }
        }

        @Override
        public void backward(DMatrixRMaj dA, StepContext context) {
            super.backward(dA, context);
            if (acts(context)) {
                for (int k = 0; k < dA.getNumElements(); k++) {
                    dA.data[k] *= keepProb;
                }
            }
        }

        @Override
        String name() {
            return "kit_plain_dropout";
        }
    }

    /** Bug: backward rescales but forgets the mask of the forward pass. */
    static final class ForgetfulDropout extends InvertedDropout {
        ForgetfulDropout(double keepProb) {
            super(keepProb);
        }

        @Override
        public void backward(DMatrixRMaj dA, StepContext context) {
            if (acts(context)) {
                for (int k = 0; k < dA.getNumElements(); k++) {
                    dA.data[k] /= keepProb;
                }
            }
        }

        @Override
        String name() {
            return "kit_forgetful_dropout";
        }
    }

    /** Bug: keeps the mask of the last forward pass in a field, not in the step's buffer. */
    static final class FieldMaskDropout extends InvertedDropout {
        private DMatrixRMaj last = new DMatrixRMaj(1, 1);

        FieldMaskDropout(double keepProb) {
            super(keepProb);
        }

        @Override
        DMatrixRMaj mask(StepContext context, int rows, int cols, boolean draw) {
            if (draw) {
                last = new DMatrixRMaj(rows, cols);
                context.drawMask(last, keepProb);
            }
            return last;
        }

        @Override
        String name() {
            return "kit_field_dropout";
        }
    }

    /** Bug: draws its mask from a generator of its own (seed 7), not through the context. */
    static final class PrivateRandomDropout extends InvertedDropout {
        private final SplittableRandom random = new SplittableRandom(7);

        PrivateRandomDropout(double keepProb) {
            super(keepProb);
        }

        @Override
        DMatrixRMaj mask(StepContext context, int rows, int cols, boolean draw) {
            DMatrixRMaj mask = context.buffer(0, rows, cols);
            if (draw) {
                for (int k = 0; k < mask.getNumElements(); k++) {
                    mask.data[k] = random.nextDouble() < keepProb ? 1 : 0;
                }
            }
            return mask;
        }

        @Override
        String name() {
            return "kit_private_dropout";
        }
    }

    /** Bug: drops units in every pass that uses batch statistics, CHECKING included. */
    static final class EagerDropout extends InvertedDropout {
        EagerDropout(double keepProb) {
            super(keepProb);
        }

        @Override
        boolean acts(StepContext context) {
            return context.mode().usesBatchStatistics();
        }

        @Override
        String name() {
            return "kit_eager_dropout";
        }
    }

    /** Bug: {@code isActive()} is true even at {@code keep_prob = 1}, where it is the identity. */
    static final class AlwaysActiveDropout extends InvertedDropout {
        AlwaysActiveDropout(double keepProb) {
            super(keepProb);
        }

        @Override
        public boolean isActive() {
            return true;
        }

        @Override
        String name() {
            return "kit_busy_dropout";
        }
    }

    /** Bug: penalty {@code (lambda / 2m) ||W||^2} but gradient {@code lambda W}, missing the {@code 1/m}. */
    static final class MissingOneOverM extends SquaredNorm {
        MissingOneOverM(double lambda) {
            super("kit_wrong_l2", lambda, 0);
        }

        @Override
        public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
            super.addPenaltyGradient(w, 1, dW);
        }
    }

    /** Bug: writes its gradient into dW instead of adding it. */
    static final class Overwriting extends SquaredNorm {
        Overwriting(double lambda) {
            super("kit_overwriting_l2", lambda, 0);
        }

        @Override
        public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
            dW.zero();
            super.addPenaltyGradient(w, m, dW);
        }
    }

    /** Bug: doubles the activations in TRAINING passes but says {@code isActive() == false}, so the network skips it. */
    static final class Sneaky implements ActivationTransform {
        @Override
        public boolean isActive() {
            return false;
        }

        @Override
        public void forward(DMatrixRMaj a, DMatrixRMaj out, StepContext context) {
            double factor = context.mode().isStochastic() ? 2 : 1;
            for (int k = 0; k < a.getNumElements(); k++) {
                out.data[k] = factor * a.data[k];
            }
        }

        @Override
        public void backward(DMatrixRMaj dA, StepContext context) {
            if (context.mode().isStochastic()) {
                for (int k = 0; k < dA.getNumElements(); k++) {
                    dA.data[k] *= 2;
                }
            }
        }

        @Override
        public String toString() {
            return "kit_sneaky";
        }
    }
}
