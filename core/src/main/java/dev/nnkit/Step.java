package dev.nnkit;

import dev.nnkit.internal.Internals;
import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.StepContext;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The {@link StepContext} of one pass, as the network makes it, and as a test of a single layer or
 * transform makes it for itself:
 * <pre>{@code
 * Step step = Step.training(new SplittableRandom(1));
 * layer.forward(x, z, step);
 * layer.backward(x, z, dZ, dX, step);
 * }</pre>
 * A step keeps each part's scratch buffers, so reusing one step for every pass of a run allocates
 * nothing after the first pass. A step is not thread-safe: one per thread.
 *
 * <p>Parts: the network numbers its layers and transforms and {@linkplain #enter enters} each one
 * before calling it, which selects that part's buffers. A step made here starts in part 0 with the
 * input gradient needed.
 */
public final class Step implements StepContext {

    private final Mode mode;
    private RandomGenerator random;
    private final MatrixOps ops = Internals.matrixOps();
    private final FloatMatrixOps floatOps = Internals.floatMatrixOps();
    private DMatrixRMaj[][] buffers = new DMatrixRMaj[1][];
    private FMatrixRMaj[][] floatBuffers = new FMatrixRMaj[1][];
    /** Double scratch of core's adapters that run a double-only part in a float32 network, by part. */
    private DMatrixRMaj[][] wideBuffers = new DMatrixRMaj[1][];
    private int part;
    private boolean needsInputGradient = true;
    /** Masks a caller supplied, by part; null entries draw from the random stream. */
    private DMatrixRMaj[] givenMasks;
    /** The mask each part last drew or was given, by part, when recording. */
    private DMatrixRMaj[] recordedMasks;

    private Step(Mode mode, RandomGenerator random) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.random = random;
    }

    /** A training step drawing from {@code random}. */
    public static Step training(RandomGenerator random) {
        return new Step(Mode.TRAINING, Objects.requireNonNull(random, "random"));
    }

    /** A deterministic training-arithmetic step (batch statistics, nothing random, no state updated). */
    public static Step checking() {
        return new Step(Mode.CHECKING, null);
    }

    /** An inference step. */
    public static Step inference() {
        return new Step(Mode.INFERENCE, null);
    }

    /**
     * Makes this step answer {@link #needsInputGradient()} with {@code false}, as the network does
     * for its first layer, so that a test of one layer can run that case; returns this step.
     */
    public Step withoutInputGradient() {
        this.needsInputGradient = false;
        return this;
    }

    static Step of(Mode mode, RandomGenerator random) {
        return new Step(mode, random);
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public RandomGenerator random() {
        if (!mode.isStochastic()) {
            throw new IllegalStateException("part " + part + " asked for random numbers in a " + mode
                    + " pass; only TRAINING passes draw (check context.mode().isStochastic())");
        }
        return random;
    }

    /** Replaces the random stream of a training step (the trainer re-seeds it every epoch). */
    void random(RandomGenerator stream) {
        this.random = stream;
    }

    @Override
    public void drawMask(DMatrixRMaj mask, double keepProbability) {
        RandomGenerator stream = random();
        DMatrixRMaj given = givenMask(mask.numRows, mask.numCols);
        if (given != null) {
            mask.setTo(given);
        } else {
            double[] d = mask.data;
            for (int k = 0, n = mask.getNumElements(); k < n; k++) {
                d[k] = stream.nextDouble() < keepProbability ? 1.0 : 0.0;
            }
        }
        if (recordedMasks != null) {
            recordedMasks[part] = mask.copy();
        }
    }

    @Override
    public void drawMask(FMatrixRMaj mask, double keepProbability) {
        RandomGenerator stream = random();
        DMatrixRMaj given = givenMask(mask.numRows, mask.numCols);
        if (given != null) {
            Internals.narrow(given, mask);
        } else {
            float[] d = mask.data;
            for (int k = 0, n = mask.getNumElements(); k < n; k++) {
                d[k] = stream.nextDouble() < keepProbability ? 1.0f : 0.0f;
            }
        }
        if (recordedMasks != null) {
            recordedMasks[part] = Internals.widen(mask, new DMatrixRMaj(1, 1));
        }
    }

    /** The mask a caller supplied for the running part, checked against the pass's shape, or null. */
    private DMatrixRMaj givenMask(int rows, int cols) {
        DMatrixRMaj given = givenMasks != null && part < givenMasks.length ? givenMasks[part] : null;
        if (given != null && (given.numRows != rows || given.numCols != cols)) {
            throw new IllegalArgumentException("the mask given for part " + part + " is (" + given.numRows + ", "
                    + given.numCols + ") but the pass needs (" + rows + ", " + cols + ")");
        }
        return given;
    }

    @Override
    public DMatrixRMaj buffer(int index, int rows, int cols) {
        return doubleBuffer(buffers, index, rows, cols);
    }

    /** Double scratch number {@code index} of the running part for core's widening adapters, apart from the part's own. */
    DMatrixRMaj wideBuffer(int index, int rows, int cols) {
        return doubleBuffer(wideBuffers, index, rows, cols);
    }

    private DMatrixRMaj doubleBuffer(DMatrixRMaj[][] table, int index, int rows, int cols) {
        if (index < 0) {
            throw new IllegalArgumentException("buffer index " + index + " must be >= 0");
        }
        DMatrixRMaj[] own = table[part];
        if (own == null || own.length <= index) {
            DMatrixRMaj[] grown = new DMatrixRMaj[index + 1];
            if (own != null) {
                System.arraycopy(own, 0, grown, 0, own.length);
            }
            table[part] = own = grown;
        }
        DMatrixRMaj buffer = own[index];
        if (buffer == null) {
            own[index] = buffer = new DMatrixRMaj(rows, cols);
        } else {
            buffer.reshape(rows, cols);
        }
        return buffer;
    }

    @Override
    public FMatrixRMaj floatBuffer(int index, int rows, int cols) {
        if (index < 0) {
            throw new IllegalArgumentException("buffer index " + index + " must be >= 0");
        }
        FMatrixRMaj[] own = floatBuffers[part];
        if (own == null || own.length <= index) {
            FMatrixRMaj[] grown = new FMatrixRMaj[index + 1];
            if (own != null) {
                System.arraycopy(own, 0, grown, 0, own.length);
            }
            floatBuffers[part] = own = grown;
        }
        FMatrixRMaj buffer = own[index];
        if (buffer == null) {
            own[index] = buffer = new FMatrixRMaj(rows, cols);
        } else {
            buffer.reshape(rows, cols);
        }
        return buffer;
    }

    @Override
    public MatrixOps ops() {
        return ops;
    }

    @Override
    public FloatMatrixOps floatOps() {
        return floatOps;
    }

    @Override
    public boolean needsInputGradient() {
        return needsInputGradient;
    }

    /** Makes {@code part} the running part; {@code firstLayer} when its input is the data. */
    void enter(int part, boolean firstLayer) {
        if (part >= buffers.length) {
            buffers = Arrays.copyOf(buffers, part + 1);
            floatBuffers = Arrays.copyOf(floatBuffers, part + 1);
            wideBuffers = Arrays.copyOf(wideBuffers, part + 1);
        }
        this.part = part;
        this.needsInputGradient = !firstLayer;
    }

    /** Supplies masks by part (entries may be null) and records every mask drawn, for traces. */
    void traceMasks(DMatrixRMaj[] given, int parts) {
        this.givenMasks = given;
        this.recordedMasks = new DMatrixRMaj[parts];
    }

    /** The mask part {@code p} drew or was given in this step, or null. */
    DMatrixRMaj recordedMask(int p) {
        return recordedMasks == null ? null : recordedMasks[p];
    }
}
