package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Hyperparameters;
import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.spi.PluginException;
import dev.nnkit.training.Trainer;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Bad input to Network and Trainer fails fast with a message naming the problem and the value. */
class BadInputTest {

    private static Network.Builder flower() {
        return Network.builder(2).activation("tanh").initializer("xavier_normal").dense(4).dense(1, "sigmoid")
                .loss("binary_cross_entropy");
    }

    @Test
    void keepProbOutsideZeroOne() {
        PluginException e = assertThrows(PluginException.class,
                () -> flower().regularizers("dropout(keep_prob=1.5)").build());
        assertTrue(e.getMessage().startsWith("dropout: keep_prob=1.5 is invalid; keep_prob must be in (0, 1]"), e.getMessage());
        e = assertThrows(PluginException.class, () -> flower().regularizers("dropout(keep_prob=0)").build());
        assertTrue(e.getMessage().startsWith("dropout: keep_prob=0.0 is invalid"), e.getMessage());
    }

    @Test
    void negativeLambda() {
        PluginException e = assertThrows(PluginException.class, () -> flower().regularizers("l2(lambda=-0.1)").build());
        assertTrue(e.getMessage().startsWith("l2: lambda=-0.1 is invalid"), e.getMessage());
    }

    @Test
    void nonPositiveLearningRate() {
        Network net = flower().build();
        Dataset data = PlanarData.flower(5, 1);
        PluginException e = assertThrows(PluginException.class,
                () -> new Trainer(Hyperparameters.defaults().withOptimizer("sgd(learning_rate=-0.5)")).fit(net, data));
        assertEquals("sgd: learning_rate=-0.5 is invalid; learning_rate must be > 0, e.g. learning_rate=0.01", e.getMessage());
    }

    @Test
    void labelsOutsideZeroOneForBinaryCrossEntropy() {
        Network net = flower().build();
        DMatrixRMaj y = new DMatrixRMaj(new double[][] {{0, 1, 2, 1}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(Hyperparameters.defaults()).fit(net, new Dataset(new DMatrixRMaj(2, 4), y)));
        assertEquals("binary_cross_entropy: label Y[0, 2] = 2.0; binary labels must be 0 or 1", e.getMessage());
    }

    @Test
    void nanInXAndWrongShapes() {
        DMatrixRMaj x = new DMatrixRMaj(2, 3);
        x.set(0, 1, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(x, new DMatrixRMaj(1, 3)));
        assertEquals("X contains NaN at row 0, column 1; every entry must be a finite number", e.getMessage());
        Network net = flower().build();
        e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(Hyperparameters.defaults()).fit(net, new Dataset(new DMatrixRMaj(3, 5), new DMatrixRMaj(1, 5))));
        assertTrue(e.getMessage().startsWith("X has 3 rows but the network's input size n[0] is 2"), e.getMessage());
    }

    @Test
    void unknownPluginsSuggestTheClosestName() {
        PluginException e = assertThrows(PluginException.class, () -> flower().initializer("he_norml").build());
        assertTrue(e.getMessage().startsWith("unknown initializer 'he_norml'; did you mean 'he_normal'?; known initializer names: "),
                e.getMessage());
        e = assertThrows(PluginException.class, () -> flower().activation("leaky_relu(alpha=2)").build());
        assertTrue(e.getMessage().startsWith("leaky_relu: alpha=2.0 is invalid"), e.getMessage());
    }

    @Test
    void dropoutOnTheOutputLayerIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2)
                .layer(dev.nnkit.LayerConfig.dense(1).withActivation("sigmoid").withInitializer("zeros").withRegularizers("dropout(keep_prob=0.5)"))
                .loss("binary_cross_entropy").build());
        assertTrue(e.getMessage().startsWith("layer 1 (dense(units=1)) is the output layer and dropout(keep_prob=0.5) acts on its activations"),
                e.getMessage());
    }
}
