package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Network;
import dev.nnkit.data.Dataset;
import dev.nnkit.spi.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole network's backward pass against two-sided finite differences of the cost, for every
 * shipped activation in the hidden layers crossed with every output/loss pairing, with and
 * without L2 (MATH §3, §6, §7).
 */
class NetworkGradientTest {

    private static final List<String> ACTIVATIONS =
            List.of("sigmoid", "tanh", "relu", "leaky_relu(alpha=0.1)", "identity", "softmax");

    /** output activation, loss, output units. */
    private static final List<String[]> OUTPUTS = List.of(
            new String[] {"sigmoid", "binary_cross_entropy", "1"},
            new String[] {"softmax", "softmax_cross_entropy", "3"},
            new String[] {"identity", "mean_squared_error", "2"},
            new String[] {"tanh", "mean_squared_error", "2"},
            new String[] {"sigmoid", "mean_squared_error", "1"},
            new String[] {"softmax", "mean_squared_error", "3"});

    static Stream<Arguments> pairings() {
        List<Arguments> all = new ArrayList<>();
        for (String hidden : ACTIVATIONS) {
            for (String[] output : OUTPUTS) {
                for (String reg : List.of("", "l2(lambda=0.3)")) {
                    all.add(Arguments.of(hidden, output[0], output[1], Integer.parseInt(output[2]), reg));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} hidden, {1} + {2}, {4}")
    @MethodSource("pairings")
    void backpropagationMatchesCentralDifferences(String hidden, String output, String loss, int outputs, String reg) {
        Network.Builder builder = Network.builder(3).activation(hidden).initializer("xavier_normal")
                .dense(5).dense(4).dense(outputs, output).loss(loss).seed(17);
        if (!reg.isEmpty()) {
            builder.regularizers(reg);
        }
        Network net = builder.build();
        Dataset data = data(3, outputs, loss, 7);
        net.computeGradients(data);
        double worst = 0.0;
        String where = "";
        for (int l = 1; l <= net.depth(); l++) {
            for (Parameter p : net.parameters(l)) {
                for (int k = 0; k < p.value().getNumElements(); k++) {
                    double saved = p.value().data[k];
                    double h = 1e-5;
                    p.value().data[k] = saved + h;
                    double plus = net.cost(data);
                    p.value().data[k] = saved - h;
                    double minus = net.cost(data);
                    p.value().data[k] = saved;
                    double numeric = (plus - minus) / (2 * h);
                    double analytic = p.gradient().data[k];
                    double scale = Math.abs(numeric) + Math.abs(analytic);
                    double error = scale < 1e-10 ? 0.0 : Math.abs(numeric - analytic) / scale;
                    if (error > worst) {
                        worst = error;
                        where = p.name() + "[" + l + "] entry " + k + ": numeric " + numeric + ", backprop " + analytic;
                    }
                }
            }
        }
        // MATH §6 bands: < 1e-7 correct, < 1e-4 acceptable (round-off); ReLU kinks are not hit by this seed.
        assertTrue(worst < 1e-6, "relative error " + worst + " at " + where);
    }

    /** Seeded inputs and labels of the kind the loss accepts. */
    static Dataset data(int inputs, int outputs, String loss, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int m = 8;
        DMatrixRMaj x = new DMatrixRMaj(inputs, m);
        DMatrixRMaj y = new DMatrixRMaj(outputs, m);
        for (int k = 0; k < x.getNumElements(); k++) {
            x.data[k] = random.nextGaussian();
        }
        for (int j = 0; j < m; j++) {
            if (loss.equals("softmax_cross_entropy")) {
                y.set(random.nextInt(outputs), j, 1.0);
            } else if (loss.equals("binary_cross_entropy")) {
                y.set(0, j, j % 2);
            } else {
                for (int i = 0; i < outputs; i++) {
                    y.set(i, j, random.nextDouble(-0.9, 0.9));
                }
            }
        }
        return new Dataset(x, y);
    }
}
