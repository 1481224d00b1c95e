package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.random.NumpyRandomState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The course's data sets and initial weights, against NumPy's own values (course-data.txt, written
 * by NumPy's legacy RandomState running the assignments' recipes) and the assignments' published
 * expected outputs.
 */
class CourseDataTest {

    private static Map<String, List<String[]>> reference() throws IOException {
        Map<String, List<String[]>> sections = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                CourseDataTest.class.getResourceAsStream("course-data.txt")), StandardCharsets.US_ASCII))) {
            List<String[]> current = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (line.startsWith("[")) {
                    current = new ArrayList<>();
                    sections.put(line.substring(1, line.length() - 1), current);
                } else {
                    current.add(line.trim().split(" "));
                }
            }
        }
        return sections;
    }

    private static void assertSameBits(List<String[]> expected, Dataset actual, String name) {
        assertEquals(expected.size(), actual.size(), name + " size");
        DMatrixRMaj x = actual.features();
        DMatrixRMaj y = actual.labels();
        for (int j = 0; j < expected.size(); j++) {
            String[] row = expected.get(j);
            assertEquals(Double.parseDouble(row[0]), x.get(0, j), name + " x1 of point " + j);
            assertEquals(Double.parseDouble(row[1]), x.get(1, j), name + " x2 of point " + j);
            assertEquals(Double.parseDouble(row[2]), y.get(0, j), name + " label of point " + j);
        }
    }

    @Test
    void theFlowerIsNumpysBitForBit() throws IOException {
        assertSameBits(reference().get("flower"), PlanarData.courseFlower(), "flower");
    }

    @Test
    void theCirclesAreMakeCirclesBitForBit() throws IOException {
        Map<String, List<String[]>> ref = reference();
        assertSameBits(ref.get("circles_train"), CirclesData.courseTrain(), "circles train");
        assertSameBits(ref.get("circles_test"), CirclesData.courseTest(), "circles test");
    }

    @Test
    void makeCirclesRefusesWhatScikitLearnRefuses() {
        IllegalArgumentException factor = assertThrows(IllegalArgumentException.class,
                () -> CirclesData.makeCircles(10, 0.05, 1.0, new NumpyRandomState(1)));
        assertTrue(factor.getMessage().contains("factor=1.0"), factor.getMessage());
        IllegalArgumentException noise = assertThrows(IllegalArgumentException.class,
                () -> CirclesData.makeCircles(10, Double.NaN, 0.8, new NumpyRandomState(1)));
        assertTrue(noise.getMessage().contains("noise=NaN"), noise.getMessage());
    }

    @Test
    void numpySumIsNumpysPairwiseSummation() throws IOException {
        for (String[] row : reference().get("sums")) {
            int k = Integer.parseInt(row[0]);
            double[] a = new NumpyRandomState(k).randn(k);
            assertEquals(Double.parseDouble(row[1]), Course.numpySum(a, 0, k), "np.sum of randn(" + k + ")");
        }
    }

    @Test
    void theCourseCostIsInfiniteWhenAnOutputRoundsToTheWrongCertainty() {
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{1, 0, 1}});
        assertEquals(Double.POSITIVE_INFINITY, Course.courseCost(new DMatrixRMaj(new double[][] {{1.0, 1.0, 0.5}}), y));
        // y = 1 with a = 1: the (1 - y) log(1 - a) term is 0 * inf = NaN, skipped as nansum skips it
        double half = Course.courseCost(new DMatrixRMaj(new double[][] {{1.0, 0.5, 0.5}}), y);
        assertEquals(2 * Math.log(2) / 3, half, 1e-16);
    }

    private static void assertPrinted(double[][] printed, DMatrixRMaj actual, String name) {
        for (int i = 0; i < printed.length; i++) {
            for (int k = 0; k < printed[i].length; k++) {
                // the notebooks print 8 decimals
                assertEquals(printed[i][k], actual.get(i, k), 5e-9 * Math.max(1, Math.abs(printed[i][k])), name + "[" + i + "][" + k + "]");
            }
        }
    }

    @Test
    void networksStartFromTheAssignmentsUnitTestWeights() {
        // planar: initialize_parameters(2, 4, 1) after np.random.seed(2), randn * 0.01
        Network planar = Network.builder(2).activation("tanh").initializer("small_random(scale=0.01)").dense(4).dense(1, "sigmoid")
                .loss("binary_cross_entropy").random(Course.RANDOM).seed(Course.PLANAR_WEIGHT_SEED).build();
        assertPrinted(new double[][] {{-0.00416758, -0.00056267}, {-0.02136196, 0.01640271}, {-0.01793436, -0.00841747},
            {0.00502881, -0.01245288}}, planar.parameter(1, "W"), "planar W1");
        assertPrinted(new double[][] {{-0.01057952, -0.00909008, 0.00551454, 0.02292208}}, planar.parameter(2, "W"), "planar W2");
        assertEquals(0.0, planar.parameter(1, "b").get(3, 0));
        // initialization lesson: initialize_parameters_random([3, 2, 1]) after np.random.seed(3), randn * 10
        Network random = Network.builder(3).activation("relu").initializer("normal(std=10)").dense(2).dense(1, "sigmoid")
                .loss("binary_cross_entropy").random(Course.RANDOM).seed(Course.INIT_WEIGHT_SEED).build();
        assertPrinted(new double[][] {{17.88628473, 4.36509851, 0.96497468}, {-18.63492703, -2.77388203, -3.54758979}},
                random.parameter(1, "W"), "random W1");
        assertPrinted(new double[][] {{-0.82741481, -6.27000677}}, random.parameter(2, "W"), "random W2");
        // initialize_parameters_he([2, 4, 1]) after np.random.seed(3), randn * sqrt(2 / n[l-1])
        Network he = Network.builder(2).activation("relu").initializer("he_normal").dense(4).dense(1, "sigmoid")
                .loss("binary_cross_entropy").random(Course.RANDOM).seed(Course.INIT_WEIGHT_SEED).build();
        assertPrinted(new double[][] {{1.78862847, 0.43650985}, {0.09649747, -1.8634927}, {-0.2773882, -0.35475898},
            {-0.08274148, -0.62700068}}, he.parameter(1, "W"), "he W1");
        assertPrinted(new double[][] {{-0.03098412, -0.33744411, -0.92904268, 0.62552248}}, he.parameter(2, "W"), "he W2");
        // and exactly NumPy's doubles: np.random.seed(3); (np.random.randn(4, 2) * np.sqrt(2 / 2))[1][1], (randn(1, 4) * np.sqrt(2 / 4))[0][3]
        assertEquals(-0x1.dd0ddb9948fd7p+0, he.parameter(1, "W").get(1, 1));
        assertEquals(0x1.40447ba7bc072p-1, he.parameter(2, "W").get(0, 3));
    }
}
