package dev.nnkit.training;

/**
 * Training stopped because it diverged (MATH §5: exploding signal): the cost became NaN or
 * infinite, after which the network holds the parameters of the last step whose cost was finite;
 * or, with finite costs, the parameters grew without bound while the cost did not fall, or the
 * cost rose epoch after epoch above where it started — as an optimizer with bounded steps (Adam,
 * RMSProp) does with a learning rate far too large. The message says which, with the numbers.
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

    /** Divergence with finite costs; {@code why} says what was seen, with the numbers. */
    TrainingDivergedException(long step, int epoch, double cost, String why, String optimizer) {
        super("training diverged by epoch " + epoch + " (step " + step + "): " + why + "; the network holds the "
                + "parameters of that step, which are of no use. Usual causes: a learning rate too large (optimizer "
                + optimizer + "; try one ten to a hundred times smaller), or input features on very different scales "
                + "(standardize them)");
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

    /** The cost that was not finite (NaN or infinite), or the last epoch's mean cost when the costs stayed finite. */
    public double cost() {
        return cost;
    }
}
