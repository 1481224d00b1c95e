package dev.nnkit.spi;

import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * What one forward and backward pass hands to every layer and every activation transform: the
 * {@linkplain Mode mode}, the step's random stream, scratch buffers that persist from the forward
 * to the backward pass of the same step, and the {@linkplain MatrixOps matrix products} of the
 * compute path in use.
 *
 * <p>The network makes one context per training run (reused every step, so the steady-state step
 * allocates nothing) and one per inference call (so calls on several threads share nothing).
 * Plugin authors never implement this interface; tests of a single layer get one from
 * {@code dev.nnkit.Step}.
 *
 * <p>Buffers belong to the part (layer or transform) that is running: buffer {@code 0} of layer 2
 * is not buffer {@code 0} of layer 3. A buffer keeps its contents from the forward pass to the
 * backward pass of the same step as long as the part asks for the same shape; its contents are
 * otherwise unspecified.
 */
public interface StepContext {

    /** Why a pass runs, which decides how stochastic and stateful parts behave. */
    enum Mode {
        /**
         * A training step: batch statistics, random parts active (dropout draws masks), state such
         * as running averages updated.
         */
        TRAINING,
        /**
         * The arithmetic of training made deterministic, as a gradient checker differentiates it:
         * batch statistics, no random part active, no state updated.
         */
        CHECKING,
        /** Prediction: running statistics instead of batch ones, nothing random, nothing updated. */
        INFERENCE;

        /** {@code true} in {@link #TRAINING} and {@link #CHECKING}: normalize with the batch's own statistics. */
        public boolean usesBatchStatistics() {
            return this != INFERENCE;
        }

        /** {@code true} in {@link #TRAINING} only: draw random numbers (dropout masks). */
        public boolean isStochastic() {
            return this == TRAINING;
        }

        /** {@code true} in {@link #TRAINING} only: update non-trainable state (running averages). */
        public boolean updatesState() {
            return this == TRAINING;
        }
    }

    /** The mode of this pass. */
    Mode mode();

    /**
     * The step's random stream, the only source of randomness a part may use. Seeded from the
     * training seed and the epoch, so runs and resumed runs draw the same numbers.
     *
     * @throws IllegalStateException outside {@link Mode#TRAINING}, where no part may draw
     */
    RandomGenerator random();

    /**
     * Fills {@code mask} with a fresh Bernoulli mask: entry by entry in row-major order,
     * {@code 1.0} when {@code random().nextDouble() < keepProbability}, else {@code 0.0}. A caller
     * that traces a step may have supplied the mask of this part instead; it is then copied.
     * Use this rather than drawing masks yourself, so that masks can be supplied and recorded.
     *
     * @param mask            the mask, shaped by the caller. Modified.
     * @param keepProbability the probability of a 1, in {@code (0, 1]}
     * @throws IllegalStateException outside {@link Mode#TRAINING}
     */
    void drawMask(DMatrixRMaj mask, double keepProbability);

    /**
     * {@link #drawMask(DMatrixRMaj, double)} for a float mask: the same draws in the same order
     * ({@code 1.0f} when {@code random().nextDouble() < keepProbability}), so float and double
     * passes with the same stream draw the same mask; a supplied mask is copied.
     *
     * @throws IllegalStateException outside {@link Mode#TRAINING}
     */
    void drawMask(FMatrixRMaj mask, double keepProbability);

    /**
     * Scratch buffer number {@code index} of the running part, reshaped to {@code (rows, cols)}.
     * Allocated the first time and grown when a larger shape is asked for, never shrunk.
     *
     * @param index a small number {@code >= 0} chosen by the part
     */
    DMatrixRMaj buffer(int index, int rows, int cols);

    /** The matrix products of the compute path in use (the same as core's dense layer uses). */
    MatrixOps ops();

    /**
     * {@link #buffer} in single precision, for a {@link FloatLayer}: float scratch number
     * {@code index} of the running part, kept apart from its double buffers.
     */
    FMatrixRMaj floatBuffer(int index, int rows, int cols);

    /** The single-precision products of the compute path in use (its {@code sgemm}, or its double products widened). */
    FloatMatrixOps floatOps();

    /**
     * Whether the running layer must compute {@code dA[l-1]} in its backward pass: {@code false}
     * for the first layer of a network, whose input is the data.
     */
    boolean needsInputGradient();
}
