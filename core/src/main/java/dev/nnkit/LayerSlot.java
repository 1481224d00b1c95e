package dev.nnkit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.Regularizer;
import java.util.List;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;

/**
 * One position {@code l} of a network: its layer, activation and regularizers, and the training
 * buffers of that position, reshaped (not reallocated) when the batch size changes.
 */
final class LayerSlot {

    final Layer layer;
    final Activation activation;
    final Initializer initializer;
    final List<Regularizer> regularizers;
    /** The regularizers that act on activations, in the order they are applied going forward. */
    final List<Regularizer> activationRegularizers;
    final List<Parameter> weights;

    /** {@code Z[l]}, {@code A[l] = g(Z[l])} and the outputs of the activation regularizers. */
    final DMatrixRMaj z = new DMatrixRMaj(1, 1);
    final DMatrixRMaj a = new DMatrixRMaj(1, 1);
    final DMatrixRMaj[] transformed;
    /** The gradient flowing back: {@code dA[l]}, turned into {@code dZ[l]} in place. */
    final DMatrixRMaj gradient = new DMatrixRMaj(1, 1);

    /** What the forward pass of the last training step gave this layer and passed on. */
    DMatrixRMaj input;
    DMatrixRMaj output;

    LayerSlot(Layer layer, Activation activation, Initializer initializer, List<Regularizer> regularizers) {
        this.layer = layer;
        this.activation = activation;
        this.initializer = initializer;
        this.regularizers = List.copyOf(regularizers);
        this.activationRegularizers = regularizers.stream().filter(Regularizer::actsOnActivations).toList();
        this.weights = layer.parameters().stream().filter(p -> p.role() == Parameter.Role.WEIGHT).toList();
        this.transformed = new DMatrixRMaj[activationRegularizers.size()];
        for (int k = 0; k < transformed.length; k++) {
            transformed[k] = new DMatrixRMaj(1, 1);
        }
    }

    /** Forward pass with the slot's buffers; with {@code random == null} no regularizer acts on activations. */
    DMatrixRMaj forward(DMatrixRMaj in, RandomGenerator random) {
        int m = in.numCols;
        input = in;
        z.reshape(layer.units(), m);
        a.reshape(layer.units(), m);
        layer.forward(in, z);
        activation.forward(z, a);
        DMatrixRMaj current = a;
        if (random != null) {
            for (int k = 0; k < transformed.length; k++) {
                transformed[k].reshape(layer.units(), m);
                activationRegularizers.get(k).forwardTraining(current, transformed[k], random);
                current = transformed[k];
            }
        }
        output = current;
        return current;
    }

    /**
     * Given {@code dA[l]} in {@link #gradient} (or {@code dZ[l]} when {@code gradientIsDz}), runs the
     * backward pass of this position and writes {@code dA[l-1]} into {@code previous} (if not null).
     */
    void backward(boolean gradientIsDz, boolean training, DMatrixRMaj previous) {
        if (!gradientIsDz) {
            if (training) {
                for (int k = activationRegularizers.size() - 1; k >= 0; k--) {
                    activationRegularizers.get(k).backwardTraining(gradient);
                }
            }
            activation.backward(z, a, gradient, gradient);
        }
        if (previous != null) {
            previous.reshape(input.numRows, input.numCols);
        }
        layer.backward(input, gradient, previous);
        int m = input.numCols;
        for (int i = 0; i < regularizers.size(); i++) { // indexed: no iterator in the step
            for (int j = 0; j < weights.size(); j++) {
                regularizers.get(i).addPenaltyGradient(weights.get(j).value(), m, weights.get(j).gradient());
            }
        }
    }

    /** The regularization penalty of this position's weights for a batch of {@code m}. */
    double penalty(int m) {
        double sum = 0.0;
        for (int i = 0; i < regularizers.size(); i++) {
            for (int j = 0; j < weights.size(); j++) {
                sum += regularizers.get(i).penalty(weights.get(j).value(), m);
            }
        }
        return sum;
    }
}
