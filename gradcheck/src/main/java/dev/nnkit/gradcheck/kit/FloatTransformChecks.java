package dev.nnkit.gradcheck.kit;

import dev.nnkit.Step;
import dev.nnkit.spi.ActivationTransform;
import dev.nnkit.spi.FloatActivationTransform;
import dev.nnkit.spi.Regularizer;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;

/**
 * The check of an activation transform's float kernel ({@link FloatActivationTransform}); see
 * {@link Conformance#regularizer(String, String)}.
 */
final class FloatTransformChecks {

    /**
     * How far each float entry may be from the double kernel's on the same input:
     * {@code 16 u |x64| + 2^-126} with {@code u = 2^-24}. An element-wise transform rounds once or
     * a few times per entry; a different mask, scale or sign is off by the whole entry.
     */
    static final double TOLERANCE = 16 * FloatNumerics.U;
    /** The seeds of the compared TRAINING steps. */
    static final long[] SEEDS = {41, 42, 43, 44};

    private final Maker<Regularizer> maker;

    FloatTransformChecks(Maker<Regularizer> maker) {
        this.maker = maker;
    }

    List<Check> all() {
        return List.of(new Check(maker.label(), "float kernel", this::kernel));
    }

    /**
     * On a float-representable {@code (16, 16)} input without zeros, for TRAINING steps of seeds
     * 41 to 44 (a fresh step of the same seed for each kernel): when the double pass draws with
     * {@code drawMask}, the float pass does too and draws the same mask; it drops the same entries
     * (outputs 0 at the same places); forward and backward agree with the double ones within
     * {@link #TOLERANCE}. In CHECKING and INFERENCE passes the float kernel is the identity, forward
     * (in place at inference) and backward, as the double one is.
     */
    private String kernel() {
        String check = "float kernel";
        Regularizer r = maker.make();
        if (!(r instanceof ActivationTransform t) || !(r instanceof FloatActivationTransform f)) {
            throw new CheckFailure(check + ": " + r + " is not an ActivationTransform with a FloatActivationTransform");
        }
        DMatrixRMaj a = FloatNumerics.round(Numerics.signedUniform(16, 16, 0.25, 2.0, 80));
        DMatrixRMaj v = FloatNumerics.round(Numerics.signedUniform(16, 16, 0.5, 1.5, 81));
        FMatrixRMaj a32 = FloatNumerics.narrow(a);
        int masks = 0;
        int dropped = 0;
        for (long seed : SEEDS) {
            String where = check + ": with TRAINING steps of seed " + seed + ", ";
            KitContext double64 = new KitContext(Step.training(new SplittableRandom(seed)), null);
            DMatrixRMaj out64 = RegularizerChecks.forward(t, a, double64);
            DMatrixRMaj g64 = v.copy();
            t.backward(g64, double64);
            KitContext float32 = new KitContext(Step.training(new SplittableRandom(seed)), null);
            FMatrixRMaj out32 = FloatNumerics.filled(16, 16, Float.NaN);
            f.forward(a32, out32, float32);
            FMatrixRMaj g32 = FloatNumerics.narrow(v);
            f.backward(g32, float32);
            if (double64.masks > 0) {
                if (float32.masks == 0) {
                    throw new CheckFailure(where + "the double pass draws its mask with context.drawMask but the float pass "
                            + "does not; draw with context.drawMask(FMatrixRMaj, keepProbability), which draws the double "
                            + "mask's numbers, so that float32 and float64 runs drop the same units");
                }
                int k = Numerics.firstDifference(double64.lastMask, float32.lastMask);
                if (k >= 0) {
                    throw new CheckFailure(where + "the float pass drew a different mask from the double pass: "
                            + (double64.lastMask.numRows != float32.lastMask.numRows
                                    || double64.lastMask.numCols != float32.lastMask.numCols
                            ? "its shape is " + Numerics.shape(float32.lastMask) + ", the double one's "
                                    + Numerics.shape(double64.lastMask)
                            : "D" + Numerics.at(double64.lastMask, k) + " is " + float32.lastMask.data[k] + " and "
                                    + double64.lastMask.data[k])
                            + "; draw the float mask with the same call, in the same shape");
                }
                masks++;
            }
            for (int k = 0; k < out64.getNumElements(); k++) {
                boolean drop64 = out64.data[k] == 0;
                boolean drop32 = out32.data[k] == 0;
                if (drop64 != drop32) {
                    throw new CheckFailure(where + "the float pass " + (drop32 ? "drops" : "keeps") + " A" + Numerics.at(a, k)
                            + " = " + Numerics.fmt(a.data[k]) + " (out = " + out32.data[k] + ") where the double pass "
                            + (drop64 ? "drops" : "keeps") + " it (out = " + out64.data[k] + "); apply the mask drawMask "
                            + "fills, entry k of the mask to entry k of A, as the double pass does");
                }
                dropped += drop64 ? 1 : 0;
            }
            fail(where + "forward: ", FloatNumerics.elementwise("out", out64, out32, TOLERANCE));
            fail(where + "backward: ", FloatNumerics.elementwise("dA", g64, g32, TOLERANCE));
        }
        for (Step step : new Step[] {Step.checking(), Step.inference()}) {
            String where = check + ": in a " + step.mode() + " pass, ";
            FMatrixRMaj out = FloatNumerics.filled(16, 16, Float.NaN);
            FMatrixRMaj in = a32.copy();
            boolean inPlace = step.mode() == Step.Mode.INFERENCE;
            f.forward(in, inPlace ? in : out, step);
            FMatrixRMaj result = inPlace ? in : out;
            int k = FloatNumerics.firstDifference(a32, result);
            if (k >= 0) {
                throw new CheckFailure(where + "the float forward pass" + (inPlace ? " in place" : "") + " changes A"
                        + FloatNumerics.at(a32, k) + " = " + a32.data[k] + " to " + result.data[k]
                        + "; outside TRAINING it is the identity, as the double pass is");
            }
            FMatrixRMaj g = FloatNumerics.narrow(v);
            f.backward(g, step);
            k = FloatNumerics.firstDifference(FloatNumerics.narrow(v), g);
            if (k >= 0) {
                throw new CheckFailure(where + "the float backward pass changes dA" + FloatNumerics.at(g, k) + " = "
                        + (float) v.data[k] + " to " + g.data[k] + "; outside TRAINING it leaves dA alone");
            }
        }
        return "float passes of TRAINING steps of seeds 41 to 44 " + (masks > 0 ? "draw the double passes' masks, " : "")
                + "drop the same " + dropped + " of " + SEEDS.length * a.getNumElements() + " entries and agree with the "
                + "double passes within 16 u (u = 2^-24), forward and backward; the identity in CHECKING and INFERENCE";
    }

    private static void fail(String where, String problem) {
        if (problem != null) {
            throw new CheckFailure(where + problem);
        }
    }
}
