package dev.nnkit.gradcheck.kit;

import dev.nnkit.Step;
import dev.nnkit.spi.FloatMatrixOps;
import dev.nnkit.spi.MatrixOps;
import dev.nnkit.spi.StepContext;
import java.util.random.RandomGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * A {@link StepContext} around a {@link Step} that counts how a part draws its randomness and can
 * supply the masks it draws, as a traced network step does: the kit's way to see whether a
 * transform draws through the context.
 */
final class KitContext implements StepContext {

    private final Step step;
    private final DMatrixRMaj supplied;
    private final boolean needsInputGradient;
    /** Calls of {@link #drawMask} and {@link #random()}. */
    int masks;
    int randoms;
    /** A copy of the last mask drawn or supplied, or null. */
    DMatrixRMaj lastMask;

    /**
     * @param step     the step delegated to
     * @param supplied the mask every {@link #drawMask} gives instead of drawing, or null to draw
     */
    KitContext(Step step, DMatrixRMaj supplied) {
        this(step, supplied, true);
    }

    /**
     * @param needsInputGradient what {@link #needsInputGradient()} says: {@code false} makes the
     *                           running part a first layer, whose input is the data
     */
    KitContext(Step step, DMatrixRMaj supplied, boolean needsInputGradient) {
        this.step = step;
        this.supplied = supplied;
        this.needsInputGradient = needsInputGradient;
    }

    @Override
    public Mode mode() {
        return step.mode();
    }

    @Override
    public RandomGenerator random() {
        randoms++;
        return step.random();
    }

    @Override
    public void drawMask(DMatrixRMaj mask, double keepProbability) {
        masks++;
        if (supplied == null) {
            step.drawMask(mask, keepProbability);
        } else {
            step.random(); // the same refusal outside TRAINING as a real step
            if (supplied.numRows != mask.numRows || supplied.numCols != mask.numCols) {
                throw new CheckFailure("the transform asked for a " + Numerics.shape(mask) + " mask, but the kit supplied the "
                        + Numerics.shape(supplied) + " mask it drew in the same pass before; a mask has the shape of A");
            }
            mask.setTo(supplied);
        }
        lastMask = mask.copy();
    }

    @Override
    public void drawMask(FMatrixRMaj mask, double keepProbability) {
        DMatrixRMaj wide = new DMatrixRMaj(mask.numRows, mask.numCols);
        drawMask(wide, keepProbability);
        for (int k = 0; k < wide.getNumElements(); k++) {
            mask.data[k] = (float) wide.data[k];
        }
    }

    @Override
    public DMatrixRMaj buffer(int index, int rows, int cols) {
        return step.buffer(index, rows, cols);
    }

    @Override
    public MatrixOps ops() {
        return step.ops();
    }

    @Override
    public FMatrixRMaj floatBuffer(int index, int rows, int cols) {
        return step.floatBuffer(index, rows, cols);
    }

    @Override
    public FloatMatrixOps floatOps() {
        return step.floatOps();
    }

    @Override
    public boolean needsInputGradient() {
        return needsInputGradient;
    }
}
