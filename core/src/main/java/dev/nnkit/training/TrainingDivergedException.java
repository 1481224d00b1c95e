package dev.nnkit.training;

/**
 * Training stopped because the cost became NaN or infinite (MATH §5: exploding signal). The
 * network holds the parameters of the last step whose cost was finite.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final int epoch;
    private final double cost;

    TrainingDivergedException(long step, int epoch, double cost, long lastGoodStep, double lastGoodCost,
                              String optimizer) {
        super("training diverged at step " + step + " (epoch " + epoch + "): the cost is " + cost
                + (lastGoodStep > 0
                        ? "; the parameters were restored to those of step " + lastGoodStep + " (cost " + lastGoodCost + ")"
                        : "; it was not finite even at the first step, so the parameters are the initial ones")
                + ". Usual causes: a learning rate too large (optimizer " + optimizer + "; try one ten times smaller), "
                + "weights initialized too large (try he_normal for relu, xavier_normal for tanh/sigmoid), "
                + "or input features on very different scales (standardize them)");
        this.step = step;
        this.epoch = epoch;
        this.cost = cost;
    }

    /** The step whose cost was not finite. */
    public long step() {
        return step;
    }

    /** The epoch of that step. */
    public int epoch() {
        return epoch;
    }

    /** The cost that was not finite (NaN or infinite). */
    public double cost() {
        return cost;
    }
}
