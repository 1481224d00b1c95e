package dev.nnkit.gradcheck;

import dev.nnkit.ForwardTrace;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.gradcheck.GradientCheckReport.DisabledRegularizer;
import dev.nnkit.gradcheck.GradientCheckReport.Entry;
import dev.nnkit.gradcheck.GradientCheckReport.Shape;
import dev.nnkit.spi.Activation;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.StepContext.Mode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.ejml.data.DMatrixRMaj;

/**
 * Checks back-propagated gradients against two-sided finite differences of the cost (MATH §6):
 * for every parameter entry {@code theta_i},
 * <pre>
 *   grad_num_i = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)
 *   relative error = |grad_num_i - grad_bp_i| / (|grad_num_i| + |grad_bp_i|)
 * </pre>
 * The denominator {@code 2 eps} is the step that was really taken,
 * {@code (theta_i + eps) - (theta_i - eps)} in floating point, which equals {@code 2 eps} up to the
 * rounding of {@code theta_i +- eps} and removes that rounding from the quotient.
 *
 * <p>Immutable and thread-safe; configure it with withers:
 * <pre>{@code
 * GradientCheckReport report = GradientChecker.defaults()
 *         .withSampling(20, 7)          // 20 seeded entries per parameter array
 *         .check(network, data);
 * if (!report.verdict().passes()) throw new AssertionError(report);
 * }</pre>
 *
 * <p><b>Defaults.</b>
 * <ul>
 *   <li>{@code epsilon = 1e-6} ({@link #DEFAULT_EPSILON}). The central difference has a truncation
 *       error of about {@code eps^2 |J'''| / 6} and a round-off error of about {@code u |J| / eps}
 *       with {@code u = 1.1e-16} for doubles; for a cost and derivatives of order 1 the sum is
 *       smallest near {@code eps = 1e-5} and at {@code 1e-6} it is about {@code 1e-10}: three orders
 *       below the "correct" band of {@code 1e-7}. The smaller eps also makes it rarer for a
 *       perturbation to cross a kink. It is the value of Deeplearning4j's {@code GradientCheckUtil}
 *       and of PyTorch's {@code gradcheck}.</li>
 *   <li>{@code absoluteFloor = 1e-8} ({@link #DEFAULT_ABSOLUTE_FLOOR}): an entry whose two
 *       gradients differ by at most this much counts as agreeing whatever its relative error (its
 *       {@linkplain GradientCheckReport.Entry#verdictError() verdict error} is 0). Where both
 *       gradients are about 0 (a dead ReLU unit, a saturated sigmoid) the ratio would be round-off
 *       divided by round-off, and the round-off of the numeric gradient is about
 *       {@code u |J| / eps = 1e-10}, well below the floor. Deeplearning4j uses the same floor.</li>
 *   <li>Every entry of every parameter array is checked; {@link #withSampling} checks a seeded sample
 *       of a fixed number of entries per array instead, for large networks.</li>
 * </ul>
 *
 * <p><b>What the network check does.</b> It calls {@link Network#computeGradients} once (a
 * {@link Mode#CHECKING} pass: the arithmetic of a full-batch training step, with batch statistics,
 * weight penalties included, and nothing random, so activation transforms such as dropout are the
 * identity) and compares each gradient with finite differences of
 * {@link Network#cost(Dataset, Mode) cost(data, Mode.CHECKING)}, the same function. The active
 * {@link ActivationTransform}s, which a {@code CHECKING} pass skips, are listed in the report as
 * disabled regularizers. Afterwards every parameter value and every gradient buffer holds exactly,
 * bit for bit, what it held before, even when the check throws.
 *
 * <p><b>Kinks.</b> An activation has a kink at 0 when its derivative, probed through
 * {@link Activation#backward} with {@code dA = 1}, jumps between {@code z = -1e-9} and
 * {@code z = +1e-9} (ReLU, leaky ReLU); no activation is recognized by name. An entry is
 * <em>kink-affected</em> when moving it by {@code +-eps} changes the sign of some pre-activation
 * {@code Z[l]} (from {@link Network#forwardTrace(DMatrixRMaj, Mode) forwardTrace(X, Mode.CHECKING)})
 * of such a layer: the two-sided difference then straddles a point where the derivative does not
 * exist and says nothing about the back-propagated one. Such entries are reported apart and do not decide the verdict.
 */
public final class GradientChecker {

    /** The default step {@code eps}; see the class documentation for why. */
    public static final double DEFAULT_EPSILON = 1e-6;
    /** The default absolute floor on {@code |grad_num - grad_bp|}; see the class documentation. */
    public static final double DEFAULT_ABSOLUTE_FLOOR = 1e-8;

    /** Where the derivative is probed on either side of 0 to find a kink. */
    private static final double KINK_PROBE = 1e-9;
    /**
     * A derivative jump larger than this (relative to the slopes, at least 1) between
     * {@code +-KINK_PROBE} is a kink; a smooth activation changes its slope there by about
     * {@code 2e-9 |g''|}.
     */
    private static final double KINK_JUMP = 1e-6;

    private static final GradientChecker DEFAULTS = new GradientChecker(DEFAULT_EPSILON, DEFAULT_ABSOLUTE_FLOOR, 0, 0L);

    private final double epsilon;
    private final double absoluteFloor;
    private final int entriesPerArray;
    private final long seed;

    private GradientChecker(double epsilon, double absoluteFloor, int entriesPerArray, long seed) {
        this.epsilon = epsilon;
        this.absoluteFloor = absoluteFloor;
        this.entriesPerArray = entriesPerArray;
        this.seed = seed;
    }

    /** A checker with {@code epsilon = 1e-6}, {@code absoluteFloor = 1e-8} and every entry checked. */
    public static GradientChecker defaults() {
        return DEFAULTS;
    }

    /**
     * This checker with another step {@code eps}.
     *
     * @param epsilon finite and {@code > 0}, e.g. {@code 1e-4} for MATH §6's worked example
     * @throws IllegalArgumentException otherwise
     */
    public GradientChecker withEpsilon(double epsilon) {
        if (!(epsilon > 0.0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon=" + epsilon + "; epsilon must be finite and > 0, e.g. "
                    + DEFAULT_EPSILON);
        }
        return new GradientChecker(epsilon, absoluteFloor, entriesPerArray, seed);
    }

    /**
     * This checker with another absolute floor: entries whose gradients differ by at most
     * {@code absoluteFloor} count as agreeing.
     *
     * @param absoluteFloor finite and {@code >= 0}; 0 judges every entry by its relative error alone
     * @throws IllegalArgumentException otherwise
     */
    public GradientChecker withAbsoluteFloor(double absoluteFloor) {
        if (!(absoluteFloor >= 0.0) || !Double.isFinite(absoluteFloor)) {
            throw new IllegalArgumentException("absoluteFloor=" + absoluteFloor
                    + "; absoluteFloor must be finite and >= 0, e.g. " + DEFAULT_ABSOLUTE_FLOOR);
        }
        return new GradientChecker(epsilon, absoluteFloor, entriesPerArray, seed);
    }

    /**
     * This checker checking at most {@code entriesPerArray} entries of each parameter array, drawn
     * without replacement from a generator seeded with {@code seed} (arrays with fewer entries are
     * checked whole). The same seed checks the same entries of the same network.
     *
     * @param entriesPerArray {@code >= 1}
     * @throws IllegalArgumentException otherwise
     */
    public GradientChecker withSampling(int entriesPerArray, long seed) {
        if (entriesPerArray < 1) {
            throw new IllegalArgumentException("entriesPerArray=" + entriesPerArray
                    + "; a sample needs at least 1 entry per parameter array (use withoutSampling() to check all)");
        }
        return new GradientChecker(epsilon, absoluteFloor, entriesPerArray, seed);
    }

    /** This checker checking every entry (the default). */
    public GradientChecker withoutSampling() {
        return new GradientChecker(epsilon, absoluteFloor, 0, 0L);
    }

    /** The step {@code eps}. */
    public double epsilon() {
        return epsilon;
    }

    /** The absolute floor on {@code |grad_num - grad_bp|}. */
    public double absoluteFloor() {
        return absoluteFloor;
    }

    /** The number of entries sampled per parameter array, or 0 when every entry is checked. */
    public int entriesPerArray() {
        return entriesPerArray;
    }

    /** The seed of the sample (meaningful only when {@link #entriesPerArray()} is not 0). */
    public long seed() {
        return seed;
    }

    /**
     * Checks every (or every sampled) parameter entry of {@code network} on {@code data}.
     *
     * @param network the network; its parameters are perturbed during the check and restored exactly,
     *                so no other thread may use it meanwhile
     * @param data    the examples {@code X}, {@code Y} the cost is taken over (a few are enough)
     * @return the report; never null
     * @throws IllegalArgumentException when the data does not fit the network or {@code eps} is
     *         below the resolution of a parameter's value
     */
    public GradientCheckReport check(Network network, Dataset data) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(data, "data");
        int depth = network.depth();
        List<Parameter> all = new ArrayList<>();
        List<Integer> layerOf = new ArrayList<>();
        List<DisabledRegularizer> disabled = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            for (Parameter p : network.parameters(l)) {
                all.add(p);
                layerOf.add(l);
            }
            for (Regularizer r : network.regularizers(l)) {
                if (r instanceof ActivationTransform t && t.isActive()) {
                    disabled.add(new DisabledRegularizer(l, String.valueOf(r)));
                }
            }
        }
        double[][] savedValues = new double[all.size()][];
        double[][] savedGradients = new double[all.size()][];
        for (int k = 0; k < all.size(); k++) {
            savedValues[k] = all.get(k).value().data.clone();
            savedGradients[k] = all.get(k).gradient().data.clone();
        }
        try {
            network.computeGradients(data);
            double[][] analytic = new double[all.size()][];
            for (int k = 0; k < all.size(); k++) {
                analytic[k] = Arrays.copyOf(all.get(k).gradient().data, all.get(k).gradient().getNumElements());
            }
            boolean[] kinked = new boolean[depth + 1];
            boolean anyKink = false;
            for (int l = 1; l <= depth; l++) {
                kinked[l] = hasKinkAtZero(network.activation(l), network.units(l));
                anyKink |= kinked[l];
            }
            DMatrixRMaj x = anyKink ? data.features() : null;
            ForwardTrace base = anyKink ? network.forwardTrace(x, Mode.CHECKING) : null;
            SplittableRandom random = new SplittableRandom(seed);
            List<Shape> shapes = new ArrayList<>();
            List<Entry> entries = new ArrayList<>();
            for (int k = 0; k < all.size(); k++) {
                Parameter p = all.get(k);
                int layer = layerOf.get(k);
                DMatrixRMaj value = p.value();
                int size = value.getNumElements();
                shapes.add(new Shape(layer, p.name(), value.numRows, value.numCols));
                boolean watchKinks = false;
                for (int l = layer; l <= depth; l++) {
                    watchKinks |= kinked[l];
                }
                for (int index : select(size, random)) {
                    double saved = value.data[index];
                    double plus = saved + epsilon;
                    double minus = saved - epsilon;
                    double step = plus - minus;
                    if (step == 0.0) {
                        throw new IllegalArgumentException("epsilon=" + epsilon + " is below the resolution of "
                                + p.name() + "[" + layer + "] " + index(value, index) + " = " + saved
                                + "; use a larger epsilon");
                    }
                    boolean kink = false;
                    value.data[index] = plus;
                    double costPlus = network.cost(data, Mode.CHECKING);
                    if (watchKinks) {
                        kink = crossesKink(base, network.forwardTrace(x, Mode.CHECKING), layer, kinked);
                    }
                    value.data[index] = minus;
                    double costMinus = network.cost(data, Mode.CHECKING);
                    if (watchKinks) {
                        kink |= crossesKink(base, network.forwardTrace(x, Mode.CHECKING), layer, kinked);
                    }
                    value.data[index] = saved;
                    double numeric = (costPlus - costMinus) / step;
                    entries.add(GradientCheckReport.entry(layer, p.name(), index / value.numCols, index % value.numCols,
                            numeric, analytic[k][index], absoluteFloor, kink));
                }
            }
            return new GradientCheckReport(network + "; m = " + data.size() + " examples", epsilon, absoluteFloor,
                    entriesPerArray, seed, shapes, entries, disabled);
        } finally {
            for (int k = 0; k < all.size(); k++) {
                System.arraycopy(savedValues[k], 0, all.get(k).value().data, 0, savedValues[k].length);
                System.arraycopy(savedGradients[k], 0, all.get(k).gradient().data, 0, savedGradients[k].length);
            }
        }
    }

    /**
     * Checks the gradient of a plain function of a parameter vector, with the same numerics and
     * report as a network check: the entries are {@code theta (i, 0)} of one array {@code theta}
     * (layer 0). No kinks are detected. Neither function may keep {@code theta} (they receive
     * copies), and {@code theta} itself is not modified.
     *
     * @param cost     {@code J(theta)}
     * @param gradient the analytic gradient {@code dJ/dtheta}, of the same length as {@code theta}
     * @param theta    the point to check at, at least one entry
     */
    public GradientCheckReport checkFunction(ToDoubleFunction<double[]> cost, Function<double[], double[]> gradient,
            double... theta) {
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(gradient, "gradient");
        Objects.requireNonNull(theta, "theta");
        if (theta.length == 0) {
            throw new IllegalArgumentException("theta is empty; give the point to check at, e.g. checkFunction(j, dj, 3.0)");
        }
        double[] analytic = gradient.apply(theta.clone());
        if (analytic == null || analytic.length != theta.length) {
            throw new IllegalArgumentException("the gradient function returned "
                    + (analytic == null ? "null" : analytic.length + " entries") + " for theta of " + theta.length
                    + " entries; it must return one partial derivative per entry");
        }
        analytic = analytic.clone();
        double[] work = theta.clone();
        List<Entry> entries = new ArrayList<>();
        for (int index : select(theta.length, new SplittableRandom(seed))) {
            double saved = theta[index];
            double plus = saved + epsilon;
            double minus = saved - epsilon;
            double step = plus - minus;
            if (step == 0.0) {
                throw new IllegalArgumentException("epsilon=" + epsilon + " is below the resolution of theta (" + index
                        + ", 0) = " + saved + "; use a larger epsilon");
            }
            work[index] = plus;
            double costPlus = cost.applyAsDouble(work.clone());
            work[index] = minus;
            double costMinus = cost.applyAsDouble(work.clone());
            work[index] = saved;
            double numeric = (costPlus - costMinus) / step;
            entries.add(GradientCheckReport.entry(0, "theta", index, 0, numeric, analytic[index], absoluteFloor, false));
        }
        String subject = "a function of " + theta.length + (theta.length == 1 ? " parameter" : " parameters");
        return new GradientCheckReport(subject, epsilon, absoluteFloor, entriesPerArray, seed,
                List.of(new Shape(0, "theta", theta.length, 1)), entries, List.of());
    }

    /**
     * Checks the derivative of a function of one variable, e.g. MATH §6's worked example
     * {@code withEpsilon(1e-4).checkDerivative(t -> t * t, t -> 2 * t, 3.0)} with {@code eps = 1e-4}: both gradients are 6.
     *
     * @param cost       {@code J(theta)}
     * @param derivative {@code dJ/dtheta}
     * @param theta      the point to check at
     */
    public GradientCheckReport checkDerivative(DoubleUnaryOperator cost, DoubleUnaryOperator derivative, double theta) {
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(derivative, "derivative");
        ToDoubleFunction<double[]> j = t -> cost.applyAsDouble(t[0]);
        Function<double[], double[]> dj = t -> new double[] {derivative.applyAsDouble(t[0])};
        return checkFunction(j, dj, theta);
    }

    /** The entries of an array of {@code size} to check, in increasing order. */
    private int[] select(int size, SplittableRandom random) {
        int[] order = new int[size];
        for (int k = 0; k < size; k++) {
            order[k] = k;
        }
        if (entriesPerArray == 0 || entriesPerArray >= size) {
            return order;
        }
        // A partial Fisher–Yates shuffle: the first entriesPerArray places are a uniform sample.
        for (int k = 0; k < entriesPerArray; k++) {
            int j = k + random.nextInt(size - k);
            int t = order[k];
            order[k] = order[j];
            order[j] = t;
        }
        int[] chosen = Arrays.copyOf(order, entriesPerArray);
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * Whether {@code g}'s derivative jumps at 0: {@code backward} with {@code dA = 1} on a
     * {@code (units, 2)} matrix whose columns are {@code -1e-9} and {@code +1e-9}.
     */
    static boolean hasKinkAtZero(Activation g, int units) {
        DMatrixRMaj z = new DMatrixRMaj(units, 2);
        for (int i = 0; i < units; i++) {
            z.set(i, 0, -KINK_PROBE);
            z.set(i, 1, KINK_PROBE);
        }
        DMatrixRMaj a = new DMatrixRMaj(units, 2);
        g.forward(z, a);
        DMatrixRMaj dA = new DMatrixRMaj(units, 2);
        dA.fill(1.0);
        DMatrixRMaj dZ = new DMatrixRMaj(units, 2);
        g.backward(z, a, dA, dZ);
        for (int i = 0; i < units; i++) {
            double left = dZ.get(i, 0);
            double right = dZ.get(i, 1);
            double scale = Math.max(1.0, Math.max(Math.abs(left), Math.abs(right)));
            if (Math.abs(left - right) > KINK_JUMP * scale) {
                return true;
            }
        }
        return false;
    }

    /** Whether some {@code Z[l]}, {@code l >= from}, of a kinked layer changed sign between the traces. */
    private static boolean crossesKink(ForwardTrace base, ForwardTrace moved, int from, boolean[] kinked) {
        for (int l = from; l < kinked.length; l++) {
            if (!kinked[l]) {
                continue;
            }
            double[] before = base.z(l).data;
            double[] after = moved.z(l).data;
            for (int k = 0, n = base.z(l).getNumElements(); k < n; k++) {
                if (Math.signum(before[k]) != Math.signum(after[k])) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String index(DMatrixRMaj m, int index) {
        return "(" + index / m.numCols + ", " + index % m.numCols + ")";
    }

    /** E.g. {@code GradientChecker(epsilon=1.0E-6, absoluteFloor=1.0E-8, every entry)}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "GradientChecker(epsilon=%s, absoluteFloor=%s, %s)", epsilon, absoluteFloor,
                entriesPerArray == 0 ? "every entry" : entriesPerArray + " entries per array, seed " + seed);
    }
}
