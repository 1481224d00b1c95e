package dev.nnkit.examples;

import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.training.TrainingContext;
import dev.nnkit.training.TrainingListener;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * What the {@code --course} modes of the examples share: the course's seeds, and the numbers its
 * assignments print (the notebooks' own outputs, as published with them: "Planar data
 * classification with one hidden layer", "Initialization", "Gradient Checking"), so that a run can
 * print its numbers next to them.
 *
 * <p>The course seeds NumPy's global generator: {@code np.random.seed(1)} before the flower and the
 * circles training set, {@code seed(2)} before the circles test set and inside the planar
 * {@code initialize_parameters}, {@code seed(3)} inside the initialization lesson's initializers,
 * {@code seed(1)} in the gradient-checking test case. nnkit reproduces them with the
 * {@code numpy_legacy} random source.
 */
final class Course {

    private Course() {
    }

    /** The random source of the course's networks: NumPy's legacy generator, seeded with the network's seed. */
    static final String RANDOM = "numpy_legacy";

    /** {@code initialize_parameters} of the planar assignment: {@code np.random.seed(2)}. */
    static final long PLANAR_WEIGHT_SEED = 2;

    /** The initialization lesson's random and He initializers: {@code np.random.seed(3)}. */
    static final long INIT_WEIGHT_SEED = 3;

    /** Planar: "Accuracy of logistic regression: 47 %" (scikit-learn's {@code LogisticRegressionCV}, printed with {@code %d}). */
    static final String PLANAR_LOGISTIC = "47 %";

    /** Planar, 4 hidden units, 10000 iterations: "Cost after iteration i: %f" for i = 0, 1000, ..., 9000. */
    static final double[] PLANAR_COSTS = {0.693048, 0.288083, 0.254385, 0.233864, 0.226792, 0.222644, 0.219731, 0.217504,
        0.219454, 0.218607};

    /** Planar, 4 hidden units: "Accuracy: 90%" ({@code '%d' % 90.75}, the value truncated by the format). */
    static final String PLANAR_ACCURACY = "90%";

    /** Planar hidden-size sweep, 5000 iterations each: hidden units to "Accuracy for n hidden units: a %". */
    static final Map<Integer, Double> PLANAR_SWEEP = sweep();

    private static Map<Integer, Double> sweep() {
        Map<Integer, Double> m = new LinkedHashMap<>();
        m.put(1, 67.5);
        m.put(2, 67.25);
        m.put(3, 90.75);
        m.put(4, 90.5);
        m.put(5, 91.25);
        m.put(20, 90.0);
        m.put(50, 90.25);
        return m;
    }

    /**
     * Initialization lesson, "Cost after iteration i" for i = 0, 1000, ..., 14000 and the train and
     * test accuracies, per initializer. The zeros row prints 0.6931471805599455 at 10000. The
     * {@code randn * 10} row starts at {@code inf} (its {@code compute_loss} takes {@code log(1 - a3)}
     * of outputs that rounded to 1) and its later costs differ between published copies of the
     * notebook in the third or fourth digit (this is one copy's; another prints 0.6250982793959966 at
     * 1000 and 0.3827828308349524 at 14000), because the saturated sigmoid amplifies the last bits
     * of the arithmetic. The He row is the same in every copy.
     */
    static final Map<String, CirclesRow> CIRCLES = circles();

    /**
     * One published row of the initialization lesson.
     *
     * @param costs         the printed costs at iterations 0, 1000, ..., 14000
     * @param trainAccuracy the printed training accuracy, e.g. 0.83
     * @param testAccuracy  the printed test accuracy
     */
    record CirclesRow(double[] costs, double trainAccuracy, double testAccuracy) {
    }

    private static Map<String, CirclesRow> circles() {
        Map<String, CirclesRow> m = new LinkedHashMap<>();
        double[] zeros = new double[15];
        java.util.Arrays.fill(zeros, 0.6931471805599453);
        zeros[10] = 0.6931471805599455;
        m.put("zeros", new CirclesRow(zeros, 0.5, 0.5));
        m.put("normal(std=10)", new CirclesRow(new double[] {Double.POSITIVE_INFINITY, 0.6237287551108738, 0.5981106708339466,
            0.5638353726276827, 0.550152614449184, 0.5444235275228304, 0.5374184054630083, 0.47357131493578297,
            0.39775634899580387, 0.3934632865981078, 0.39202525076484457, 0.38921493051297673, 0.38614221789840486,
            0.38497849983013926, 0.38278397192120406}, 0.83, 0.86));
        m.put("he_normal", new CirclesRow(new double[] {0.8830537463419761, 0.6879825919728063, 0.6751286264523371,
            0.6526117768893807, 0.6082958970572938, 0.5304944491717495, 0.4138645817071794, 0.3117803464844441,
            0.23696215330322562, 0.18597287209206836, 0.1501555628037182, 0.12325079292273548, 0.09917746546525937,
            0.0845705595402428, 0.07357895962677366}, 0.9933333333333333, 0.96));
        return m;
    }

    /** Planar {@code initialize_parameters(2, 4, 1)}'s expected output: {@code W1}, 8 decimals as printed. */
    static final double[][] PLANAR_W1 = {{-0.00416758, -0.00056267}, {-0.02136196, 0.01640271}, {-0.01793436, -0.00841747},
        {0.00502881, -0.01245288}};

    /** Planar {@code initialize_parameters(2, 4, 1)}'s expected {@code W2}. */
    static final double[][] PLANAR_W2 = {{-0.01057952, -0.00909008, 0.00551454, 0.02292208}};

    /** Initialization lesson, {@code initialize_parameters_random([3, 2, 1])}'s expected {@code W1}. */
    static final double[][] RANDOM_W1 = {{17.88628473, 4.36509851, 0.96497468}, {-18.63492703, -2.77388203, -3.54758979}};

    /** {@code initialize_parameters_random([3, 2, 1])}'s expected {@code W2}. */
    static final double[][] RANDOM_W2 = {{-0.82741481, -6.27000677}};

    /** {@code initialize_parameters_he([2, 4, 1])}'s expected {@code W1}. */
    static final double[][] HE_W1 = {{1.78862847, 0.43650985}, {0.09649747, -1.8634927}, {-0.2773882, -0.35475898},
        {-0.08274148, -0.62700068}};

    /** {@code initialize_parameters_he([2, 4, 1])}'s expected {@code W2}. */
    static final double[][] HE_W2 = {{-0.03098412, -0.33744411, -0.92904268, 0.62552248}};

    /**
     * Prints a weight matrix of nnkit's next to the notebook's expected output, row by row with 8
     * decimals as NumPy prints them, and says whether every entry agrees to those decimals.
     *
     * @return whether every entry agrees to the printed 8 decimals
     */
    static boolean printWeights(java.io.PrintStream out, String name, DMatrixRMaj actual, double[][] published) {
        boolean same = actual.numRows == published.length && actual.numCols == published[0].length;
        for (int i = 0; same && i < published.length; i++) {
            for (int k = 0; k < published[i].length; k++) {
                same &= Math.abs(actual.get(i, k) - published[i][k]) <= 5e-9 * Math.max(1, Math.abs(published[i][k]));
            }
        }
        for (int i = 0; i < actual.numRows; i++) {
            StringBuilder mine = new StringBuilder();
            StringBuilder theirs = new StringBuilder();
            for (int k = 0; k < actual.numCols; k++) {
                mine.append(String.format(Locale.ROOT, " %12.8f", actual.get(i, k)));
                if (i < published.length && k < published[i].length) {
                    theirs.append(String.format(Locale.ROOT, " %12.8f", published[i][k]));
                }
            }
            out.printf(Locale.ROOT, "  %-4s %s   | course %s%n", i == 0 ? name : "", mine, theirs);
        }
        out.printf(Locale.ROOT, "  %s: %s%n", name, same ? "the same to the printed 8 decimals" : "DIFFERENT from the notebook");
        return same;
    }

    /** Gradient checking, {@code gradient_check_n} with the assignment's two planted mistakes: "difference = 0.2850931567761623". */
    static final double GRADCHECK_BUGGY = 0.2850931567761623;

    /** Gradient checking, the same once the mistakes are fixed (the assignment's test expects 1.1890913024229996e-07). */
    static final double GRADCHECK_CORRECT = 1.1890913024229996e-07;

    /**
     * The cost as the initialization lesson's {@code compute_loss} writes it, from the output
     * {@code A}: {@code logprobs = -log(a) * y + -log(1 - a) * (1 - y)}, then
     * {@code 1./m * np.nansum(logprobs)}. Unlike nnkit's cost, taken from {@code Z}, it is {@code inf}
     * as soon as one output of the wrong class has rounded to exactly 0 or 1; a {@code 0 * inf} term
     * is NaN and counts as 0, as {@code nansum} counts it; the sum is NumPy's pairwise sum
     * ({@link #numpySum}), so the value is the one NumPy would print for the same {@code A}.
     */
    static double courseCost(DMatrixRMaj a, DMatrixRMaj y) {
        int m = a.numCols;
        double[] logprobs = new double[m];
        for (int k = 0; k < m; k++) {
            double p = a.data[k];
            double label = y.data[k];
            double term = -Math.log(p) * label + -Math.log(1 - p) * (1 - label);
            logprobs[k] = Double.isNaN(term) ? 0.0 : term;
        }
        return 1.0 / m * numpySum(logprobs, 0, m);
    }

    /**
     * NumPy's summation of a contiguous float64 array ({@code np.sum}): fewer than 8 values added in
     * order; up to 128 in eight interleaved partial sums {@code r[j] += a[i + j]} combined as
     * {@code ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))}, then the remainder in order; more
     * than 128 split at {@code n/2} rounded down to a multiple of 8, each half summed the same way.
     */
    static double numpySum(double[] a, int from, int n) {
        if (n < 8) {
            double sum = 0.0;
            for (int i = 0; i < n; i++) {
                sum += a[from + i];
            }
            return sum;
        }
        if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[from + i + j];
                }
            }
            double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                sum += a[from + i];
            }
            return sum;
        }
        int half = n / 2;
        half -= half % 8;
        return numpySum(a, from, half) + numpySum(a, from + half, n - half);
    }

    /**
     * Records the course's cost of the model after every {@code every}-th step (the cost the course
     * prints at iteration {@code k}: after {@code k} updates, before the next), from a prediction on
     * the training set made on the training thread.
     */
    static final class CourseCostRecorder implements TrainingListener {
        private final Dataset data;
        private final int every;
        final Map<Long, Double> costs = new LinkedHashMap<>();

        CourseCostRecorder(Network network, Dataset data, int every) {
            this.data = data;
            this.every = every;
            costs.put(0L, courseCost(network.predict(data.features()), data.labels()));
        }

        @Override
        public void onStep(TrainingContext context) {
            if (context.step() % every == 0) {
                costs.put(context.step(), courseCost(context.network().predict(data.features()), data.labels()));
            }
        }
    }

    /** {@code value} as Python's {@code repr} of a float prints it: the shortest string that reads back (Java's {@link Double#toString} differs only in exponent form). */
    static String repr(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (Double.isNaN(value)) {
            return "nan";
        }
        String s = Double.toString(value);
        if (s.contains("E")) {
            String[] parts = s.split("E");
            int exponent = Integer.parseInt(parts[1]);
            return parts[0] + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        }
        return s;
    }
}
