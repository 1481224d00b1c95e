package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.data.Pipeline;
import dev.nnkit.data.Scores;
import dev.nnkit.data.Standardizer;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Standardizer, Pipeline and Scores against numbers worked out by hand. */
class PipelineTest {

    @Test
    void aStandardizerUsesThePopulationDeviationAndCentresAConstantFeature() {
        // feature 0: 1, 2, 3, 6 -> mean 3, squared deviations 4+1+0+9 = 14, sd sqrt(14/4); feature 1 constant 5
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2, 3, 6}, {5, 5, 5, 5}});
        Standardizer s = Standardizer.fit(x);
        assertArrayEquals(new double[] {3, 5}, s.mean(), 0.0);
        assertArrayEquals(new double[] {Math.sqrt(3.5), 1.0}, s.deviation(), 1e-15);
        DMatrixRMaj z = s.apply(x);
        assertEquals((1 - 3) / Math.sqrt(3.5), z.get(0, 0), 1e-15);
        assertEquals(0.0, z.get(1, 2), 0.0);
        assertEquals(1, x.get(0, 0), 0.0, "the input is not modified");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.apply(new DMatrixRMaj(3, 1)));
        assertEquals("the features have 3 rows but the standardizer was fitted to 2 features", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Standardizer.of(new double[] {0}, new double[] {-1}));
        assertEquals("the deviation of feature 0 is -1.0; it must be finite and > 0", e.getMessage());
    }

    @Test
    void aBinaryPipelineReadsOneSigmoidOutputAsTwoProbabilities() {
        Pipeline p = Pipeline.classification(List.of("a"), null, "label", List.of("cat", "dog"));
        Pipeline.Predictions out = p.decode(new DMatrixRMaj(new double[][] {{0.25, 0.75}}));
        assertEquals("cat", out.label(0));
        assertEquals("dog", out.label(1));
        assertEquals(0.75, out.probabilities().get(0, 0), 0.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, out::values);
        assertTrue(e.getMessage().contains("predicts classes"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> p.transform(new DMatrixRMaj(new double[][] {{Double.NaN}})));
        assertEquals("feature a of example 0 is NaN; every feature must be a finite number", bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class,
                () -> Pipeline.classification(List.of("a", "a"), null, "l", List.of("x", "y")));
        assertEquals("feature name 'a' appears twice in [a, a]", bad.getMessage());
    }

    @Test
    void classificationScoresMatchAConfusionMatrixWorkedByHand() {
        // true:      a a a b b c
        // predicted: a a b b c c
        int[] actual = {0, 0, 0, 1, 1, 2};
        int[] predicted = {0, 0, 1, 1, 2, 2};
        Scores.Classification s = Scores.classification(actual, predicted, List.of("a", "b", "c"));
        assertEquals(4.0 / 6, s.accuracy(), 1e-15);
        assertArrayEquals(new int[] {2, 1, 0}, s.confusion()[0]);
        assertArrayEquals(new int[] {0, 1, 1}, s.confusion()[1]);
        assertArrayEquals(new double[] {1.0, 0.5, 0.5}, s.precision(), 1e-15);
        assertArrayEquals(new double[] {2.0 / 3, 0.5, 1.0}, s.recall(), 1e-15);
        assertEquals(2 * (2.0 / 3) / (1 + 2.0 / 3), s.f1()[0], 1e-15);
        assertEquals(6, s.examples());
    }

    @Test
    void regressionScoresMatchSumsWorkedByHand() {
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{1, 2, 3, 4}});
        DMatrixRMaj yHat = new DMatrixRMaj(new double[][] {{1.5, 2, 2, 4}});
        Scores.Regression s = Scores.regression(y, yHat);
        assertEquals((0.25 + 0 + 1 + 0) / 4, s.mse(), 1e-15);
        assertEquals((0.5 + 0 + 1 + 0) / 4, s.mae(), 1e-15);
        assertEquals(1 - 1.25 / 5.0, s.r2(), 1e-15); // SS_tot = 2.25 + 0.25 + 0.25 + 2.25
    }
}
