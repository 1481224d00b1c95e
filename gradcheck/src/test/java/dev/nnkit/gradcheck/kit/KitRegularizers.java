package dev.nnkit.gradcheck.kit;

import dev.nnkit.spi.PluginProvider;
import dev.nnkit.spi.PluginSpec;
import dev.nnkit.spi.Regularizer;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/** Regularizer fixtures: correct L2, L1 and dropout, and ones broken in one way each. */
final class KitRegularizers {

    private KitRegularizers() {
    }

    static List<PluginProvider<?>> providers() {
        return List.of(
                new FixtureProvider<>(Regularizer.class, "kit_l2", a -> new SquaredNorm("kit_l2", a.getDouble("lambda", 0.01), 0)),
                new FixtureProvider<>(Regularizer.class, "kit_l1", a -> new AbsoluteNorm(a.getDouble("lambda", 0.01))),
                new InvertedDropout.Provider(),
                new FixtureProvider<>(Regularizer.class, "kit_plain_dropout",
                        a -> new PlainDropout(a.getDouble("keep_prob", 0.8))),
                new FixtureProvider<>(Regularizer.class, "kit_forgetful_dropout",
                        a -> new ForgetfulDropout(a.getDouble("keep_prob", 0.8))),
                new FixtureProvider<>(Regularizer.class, "kit_wrong_l2", a -> new MissingOneOverM(a.getDouble("lambda", 0.01))),
                new FixtureProvider<>(Regularizer.class, "kit_leaky_zero",
                        a -> new SquaredNorm("kit_leaky_zero", a.getDouble("lambda", 0.01), 1e-3)),
                new FixtureProvider<>(Regularizer.class, "kit_overwriting_l2", a -> new Overwriting(a.getDouble("lambda", 0.01))),
                new FixtureProvider<>(Regularizer.class, "kit_sneaky", a -> new Sneaky()));
    }

    /** {@code ((lambda + floor) / 2m) ||W||^2} with its exact gradient; {@code floor > 0} is a bug at lambda = 0. */
    static final class SquaredNorm implements Regularizer {
        private final String name;
        private final double lambda;
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

    /** L1, correct: {@code (lambda/m) sum |w|}, gradient {@code (lambda/m) sign(w)}, sign(0) = 0. */
    static final class AbsoluteNorm implements Regularizer {
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
    }

    /** Inverted dropout, correct; registered in the test services file as {@code kit_dropout}. */
    static class InvertedDropout implements Regularizer {
        final double keepProb;
        double[] mask = new double[0];

        InvertedDropout(double keepProb) {
            this.keepProb = keepProb;
        }

        @Override
        public boolean actsOnActivations() {
            return keepProb < 1;
        }

        @Override
        public void forwardTraining(DMatrixRMaj a, DMatrixRMaj out, RandomGenerator random) {
            if (mask.length < a.getNumElements()) {
                mask = new double[a.getNumElements()];
            }
            for (int k = 0; k < a.getNumElements(); k++) {
                mask[k] = random.nextDouble() < keepProb ? 1 : 0;
                out.data[k] = a.data[k] * mask[k] / keepProb;
            }
        }

        @Override
        public void backwardTraining(DMatrixRMaj dA) {
            for (int k = 0; k < dA.getNumElements(); k++) {
                dA.data[k] = dA.data[k] * mask[k] / keepProb;
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of(name()).with("keep_prob", keepProb).toString();
        }

        String name() {
            return "kit_dropout";
        }

        /** Public, for ServiceLoader. */
        public static final class Provider extends FixtureProvider<Regularizer> {
            public Provider() {
                super(Regularizer.class, "kit_dropout", a -> new InvertedDropout(a.getDouble("keep_prob", 0.8)));
            }
        }
    }

    /** Bug: dropout that does not rescale by {@code 1 / keep_prob} (forward and backward agree). */
    static final class PlainDropout extends InvertedDropout {
        PlainDropout(double keepProb) {
            super(keepProb);
        }

        @Override
        public void forwardTraining(DMatrixRMaj a, DMatrixRMaj out, RandomGenerator random) {
            super.forwardTraining(a, out, random);
            for (int k = 0; k < a.getNumElements(); k++) {
                out.data[k] *= keepProb;
            }
        }

        @Override
        public void backwardTraining(DMatrixRMaj dA) {
            for (int k = 0; k < dA.getNumElements(); k++) {
                dA.data[k] *= mask[k];
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
        public void backwardTraining(DMatrixRMaj dA) {
            for (int k = 0; k < dA.getNumElements(); k++) {
                dA.data[k] /= keepProb;
            }
        }

        @Override
        String name() {
            return "kit_forgetful_dropout";
        }
    }

    /** Bug: penalty {@code (lambda / 2m) ||W||^2} but gradient {@code lambda W}, missing the {@code 1/m}. */
    static final class MissingOneOverM implements Regularizer {
        private final double lambda;

        MissingOneOverM(double lambda) {
            this.lambda = lambda;
        }

        @Override
        public double penalty(DMatrixRMaj w, int m) {
            double sum = 0;
            for (int k = 0; k < w.getNumElements(); k++) {
                sum += w.data[k] * w.data[k];
            }
            return lambda / (2.0 * m) * sum;
        }

        @Override
        public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
            for (int k = 0; k < w.getNumElements(); k++) {
                dW.data[k] += lambda * w.data[k];
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_wrong_l2").with("lambda", lambda).toString();
        }
    }

    /** Bug: writes its gradient into dW instead of adding it. */
    static final class Overwriting implements Regularizer {
        private final double lambda;

        Overwriting(double lambda) {
            this.lambda = lambda;
        }

        @Override
        public double penalty(DMatrixRMaj w, int m) {
            double sum = 0;
            for (int k = 0; k < w.getNumElements(); k++) {
                sum += w.data[k] * w.data[k];
            }
            return lambda / (2.0 * m) * sum;
        }

        @Override
        public void addPenaltyGradient(DMatrixRMaj w, int m, DMatrixRMaj dW) {
            for (int k = 0; k < w.getNumElements(); k++) {
                dW.data[k] = lambda / m * w.data[k];
            }
        }

        @Override
        public String toString() {
            return PluginSpec.of("kit_overwriting_l2").with("lambda", lambda).toString();
        }
    }

    /** Bug: transforms activations in forwardTraining but says it does not act on them. */
    static final class Sneaky implements Regularizer {
        @Override
        public void forwardTraining(DMatrixRMaj a, DMatrixRMaj out, RandomGenerator random) {
            for (int k = 0; k < a.getNumElements(); k++) {
                out.data[k] = 2 * a.data[k];
            }
        }

        @Override
        public void backwardTraining(DMatrixRMaj dA) {
            for (int k = 0; k < dA.getNumElements(); k++) {
                dA.data[k] *= 2;
            }
        }

        @Override
        public String toString() {
            return "kit_sneaky";
        }
    }
}
