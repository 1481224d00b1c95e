package dev.nnkit;

import dev.nnkit.data.Pipeline;
import dev.nnkit.data.Standardizer;
import dev.nnkit.io.ModelFile;
import dev.nnkit.training.TrainingState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * How {@code src/test/resources/dev/nnkit/io/golden-v2.nnkit} was written (format version 2, with a
 * layer state section and a training state), and {@code golden-v3.nnkit} (format version 3, with a
 * pipeline). Not run by the tests, which check the committed bytes
 * against values they state themselves; run {@link #main} with the test class path only to make a
 * new golden file for a new format version, never to "fix" a failing golden test.
 */
final class GoldenFiles {

    private GoldenFiles() {
    }

    /** 2-3(sigmoid)-3(running_shift, test_scaled)-1(sigmoid) with exact binary-fraction values. */
    static Network version2Network() {
        Network net = Network.builder(2).registry(ModelFixtures.stepRegistry())
                .initializer("test_gaussian(std=0.5)")
                .dense(3, "sigmoid")
                .layer(new LayerConfig("running_shift(momentum=0.75)", "test_scaled(factor=1)", null, null))
                .dense(1, "sigmoid")
                .loss("binary_cross_entropy").seed(5).build();
        net.setParameter(1, "W", new DMatrixRMaj(new double[][] {{0.5, -1.25}, {2.0, 0.75}, {-0.375, 1.5}}));
        net.setParameter(1, "b", new DMatrixRMaj(new double[][] {{0.25}, {-0.5}, {0.125}}));
        net.setParameter(2, "gamma", new DMatrixRMaj(new double[][] {{1.5}, {0.75}, {-0.5}}));
        net.setParameter(3, "W", new DMatrixRMaj(new double[][] {{1.5, -2.0, 0.5}}));
        net.setParameter(3, "b", new DMatrixRMaj(new double[][] {{-0.25}}));
        net.state(2).get(0).value().setTo(new DMatrixRMaj(new double[][] {{0.625}, {0.25}, {0.5}}));
        return net;
    }

    /** Adam's two moments for W[1], b[1], gamma[2], W[3], b[3]: entry k of array a is -+(8a + k + 1) / 64. */
    static TrainingState version2State() {
        int[] lengths = {6, 3, 3, 3, 1, 6, 3, 3, 3, 1};
        List<double[]> arrays = new ArrayList<>();
        for (int a = 0; a < lengths.length; a++) {
            double[] array = new double[lengths[a]];
            for (int k = 0; k < array.length; k++) {
                array[k] = (a < 5 ? -1 : 1) * (a * 8 + k + 1) / 64.0;
            }
            arrays.add(array);
        }
        return new TrainingState(new Hyperparameters("adam(learning_rate=0.05)", 3, 2, 7L, true), 3, 6, arrays);
    }

    /** 2-2(sigmoid)-1(sigmoid) with exact binary-fraction values. */
    static Network version3Network() {
        Network net = Network.builder(2).registry(ModelFixtures.stepRegistry()).initializer("test_gaussian(std=0.5)")
                .dense(2, "sigmoid").dense(1, "sigmoid").loss("binary_cross_entropy").seed(3).build();
        net.setParameter(1, "W", new DMatrixRMaj(new double[][] {{0.75, -1.5}, {-0.25, 0.5}}));
        net.setParameter(1, "b", new DMatrixRMaj(new double[][] {{0.125}, {-0.375}}));
        net.setParameter(2, "W", new DMatrixRMaj(new double[][] {{2.5, -1.75}}));
        net.setParameter(2, "b", new DMatrixRMaj(new double[][] {{0.0625}}));
        return net;
    }

    /** Features "sepal width" and "ratio" standardized with means 0.5, -1.25 and deviations 2, 0.25; classes no/yes. */
    static Pipeline version3Pipeline() {
        return Pipeline.classification(List.of("sepal width", "ratio"),
                Standardizer.of(new double[] {0.5, -1.25}, new double[] {2.0, 0.25}), "answer", List.of("no", "yes"));
    }

    /**
     * Writes the version-3 golden file to {@code args[0]}. (The version-2 one was written by the
     * format-2 code from {@link #version2Network} and {@link #version2State}.)
     */
    public static void main(String[] args) throws Exception {
        ModelFile.save(version3Network(), version3Pipeline(), Path.of(args[0]));
    }
}
