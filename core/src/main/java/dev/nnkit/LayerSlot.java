package dev.nnkit;

import dev.nnkit.spi.Activation;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.Initializer;
import dev.nnkit.spi.Layer;
import dev.nnkit.spi.Parameter;
import dev.nnkit.spi.Regularizer;
import dev.nnkit.spi.StepContext;
import dev.nnkit.spi.WeightPenalty;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * One position {@code l} of a network: its layer, activation and regularizers, the step parts they
 * run as, and the training buffers of that position, reshaped (not reallocated) when the batch
 * size changes.
 */
final class LayerSlot {

    final Layer layer;
    final int units;
    final Activation activation;
    final Initializer initializer;
    final List<Regularizer> regularizers;
    /** The active activation transforms, in the order they are applied going forward. */
    final ActivationTransform[] transforms;
    final WeightPenalty[] penalties;
    final Parameter[] weights;
    /** The step part of the layer; transform {@code k} is part {@code part + 1 + k}. */
    final int part;
    final boolean first;

    /** {@code Z[l]}, {@code A[l] = g(Z[l])} and the outputs of the transforms. */
    final DMatrixRMaj z = new DMatrixRMaj(1, 1);
    final DMatrixRMaj a = new DMatrixRMaj(1, 1);
    final DMatrixRMaj[] transformed;
    /** The gradient flowing back: {@code dA[l]}, turned into {@code dZ[l]} in place. */
    final DMatrixRMaj gradient = new DMatrixRMaj(1, 1);

    /** What the forward pass of the last step gave this layer and passed on. */
    DMatrixRMaj input;
    DMatrixRMaj output;

    LayerSlot(Layer layer, int units, Activation activation, Initializer initializer, List<Regularizer> regularizers,
              int part, boolean first) {
        this.layer = layer;
        this.units = units;
        this.activation = activation;
        this.initializer = initializer;
        this.regularizers = List.copyOf(regularizers);
        List<ActivationTransform> active = new ArrayList<>();
        List<WeightPenalty> weightPenalties = new ArrayList<>();
        for (Regularizer r : regularizers) {
            if (r instanceof ActivationTransform t && t.isActive()) {
                active.add(t);
            }
            if (r instanceof WeightPenalty p) {
                weightPenalties.add(p);
            }
        }
        this.transforms = active.toArray(ActivationTransform[]::new);
        this.penalties = weightPenalties.toArray(WeightPenalty[]::new);
        this.weights = layer.parameters().stream().filter(p -> p.role() == Parameter.Role.WEIGHT).toArray(Parameter[]::new);
        this.part = part;
        this.first = first;
        this.transformed = new DMatrixRMaj[transforms.length];
        for (int k = 0; k < transformed.length; k++) {
            transformed[k] = new DMatrixRMaj(1, 1);
        }
    }

    /** The number of step parts this position uses: its layer and each transform. */
    int parts() {
        return 1 + transforms.length;
    }

    /** A training-arithmetic forward pass (TRAINING or CHECKING) with the slot's buffers. */
    DMatrixRMaj forward(DMatrixRMaj in, Step step) {
        int m = in.numCols;
        input = in;
        z.reshape(units, m);
        a.reshape(units, m);
        step.enter(part, first);
        layer.forward(in, z, step);
        activation.forward(z, a);
        DMatrixRMaj current = a;
        for (int k = 0; k < transforms.length; k++) {
            transformed[k].reshape(units, m);
            step.enter(part + 1 + k, first);
            transforms[k].forward(current, transformed[k], step);
            current = transformed[k];
        }
        output = current;
        return current;
    }

    /** An inference forward pass into {@code out} ({@code (units, m)}, a new matrix), in place after the layer. */
    DMatrixRMaj infer(DMatrixRMaj in, Step step, DMatrixRMaj out) {
        step.enter(part, first);
        layer.forward(in, out, step);
        activation.forward(out, out);
        for (int k = 0; k < transforms.length; k++) {
            step.enter(part + 1 + k, first);
            transforms[k].forward(out, out, step);
        }
        return out;
    }

    /**
     * Applies this position's transforms for a pass that uses none of the slot's buffers (the
     * chunked evaluation, the checking-mode cost, forward traces): in {@code INFERENCE} in place on
     * {@code a}, which is returned; in {@code CHECKING} into new matrices, leaving {@code a} as it
     * is. Returns what the next layer receives: {@code a} itself when no transform is active.
     */
    DMatrixRMaj transform(DMatrixRMaj a, Step step) {
        DMatrixRMaj current = a;
        for (int k = 0; k < transforms.length; k++) {
            step.enter(part + 1 + k, first);
            if (step.mode() == StepContext.Mode.INFERENCE) {
                transforms[k].forward(current, current, step);
            } else {
                DMatrixRMaj out = new DMatrixRMaj(current.numRows, current.numCols);
                transforms[k].forward(current, out, step);
                current = out;
            }
        }
        return current;
    }

    /**
     * Given {@code dA[l]} (of the transformed activations) in {@link #gradient}, runs the backward
     * pass of the transforms, the activation and the layer, and writes {@code dA[l-1]} into
     * {@code previous} (reshaped here; for the first layer, whose input is the data, an empty matrix left unwritten).
     */
    void backward(Step step, DMatrixRMaj previous) {
        backwardTransforms(step);
        activation.backward(z, a, gradient, gradient);
        backwardFromDz(step, previous);
    }

    /** Turns the gradient in {@link #gradient} from the transformed activations' into {@code dA[l]}'s, in place. */
    void backwardTransforms(Step step) {
        for (int k = transforms.length - 1; k >= 0; k--) {
            step.enter(part + 1 + k, first);
            transforms[k].backward(gradient, step);
        }
    }

    /** Given {@code dZ[l]} in {@link #gradient}, runs the layer's backward pass and the weight penalties. */
    void backwardFromDz(Step step, DMatrixRMaj previous) {
        if (!first) {
            previous.reshape(input.numRows, input.numCols);
        }
        step.enter(part, first);
        layer.backward(input, z, gradient, previous, step);
        int m = input.numCols;
        for (int i = 0; i < penalties.length; i++) {
            for (int j = 0; j < weights.length; j++) {
                penalties[i].addPenaltyGradient(weights[j].value(), m, weights[j].gradient());
            }
        }
    }

    /** The weight penalty of this position for a batch of {@code m}. */
    double penalty(int m) {
        double sum = 0.0;
        for (int i = 0; i < penalties.length; i++) {
            for (int j = 0; j < weights.length; j++) {
                sum += penalties[i].penalty(weights[j].value(), m);
            }
        }
        return sum;
    }
}
