package dev.nnkit.training;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the cost through slf4j (logger {@code dev.nnkit.training.CostLogger}, level INFO) at step 1 and
 * every {@code every} steps after, as in the notes' "cost after iteration i".
 */
public final class CostLogger implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(CostLogger.class);
    private final long every;

    /** @param every log every this many steps, {@code >= 1} */
    public CostLogger(long every) {
        if (every < 1) {
            throw new IllegalArgumentException("every=" + every + "; it must be >= 1");
        }
        this.every = every;
    }

    @Override
    public void onStep(TrainingContext context) {
        long step = context.step();
        if ((step == 1 || step % every == 0) && LOG.isInfoEnabled()) {
            LOG.info("step {} (epoch {}): cost {}", step, context.epoch(),
                    String.format(java.util.Locale.ROOT, "%.6f", context.stepCost()));
        }
    }
}
