package dev.nnkit.spi;

/**
 * A learning-rate schedule: the learning rate {@code alpha} of each training step as a pure
 * function of where the step is in the run, e.g. the notes' decay
 * {@code alpha = alpha0 / (1 + decay_rate * epoch_num)}. Chosen by a spec string next to the
 * optimizer ({@code Hyperparameters.withSchedule("step_decay(every=6, factor=0.1)")}); the default
 * is {@code constant}, {@code alpha = alpha0}.
 *
 * <p>Who calls what: before every optimizer step the trainer asks the schedule for the step's rate,
 * giving the optimizer spec's {@code learning_rate} as {@code baseRate} ({@code alpha0}), and hands
 * the result to {@link Optimizer#update(java.util.List, long, double)}. The optimizer keeps its own
 * state (moments) across the whole run; the schedule keeps none.
 *
 * <p>Contract:
 * <ul>
 *   <li><b>Pure.</b> The result depends only on the arguments and the spec: the same arguments
 *       give the same bits, at any time, in any order, from any instance made from the same spec.
 *       No field changes after construction. This is what makes a resumed run (which calls the
 *       schedule for step {@code k + 1} first) bit-identical to an uninterrupted one.</li>
 *   <li><b>Finite and {@code >= 0}</b> for every position a run can reach: {@code step} up to
 *       {@code Long.MAX_VALUE}, epochs up to {@code Integer.MAX_VALUE}. The trainer refuses any
 *       other value with an {@link IllegalStateException} naming the schedule and the step.</li>
 *   <li>A schedule that leaves the first epoch alone says so in its documentation ("starts at
 *       {@code alpha0}"); the conformance kit checks that promise when asked.</li>
 *   <li>{@code toString()} gives the spec string, e.g. {@code exponential(rate=0.95)}; a schedule
 *       built on another one writes it as a nested spec, e.g.
 *       {@code warmup(steps=500, then=cosine(epochs=20, min_factor=0))}, and makes it with
 *       {@link Arguments#getPlugin(Class, String, String)}.</li>
 * </ul>
 *
 * <p>Positions: {@code step} and {@code epoch} count from 1, as everywhere in nnkit (listeners,
 * optimizers, checkpoints), and continue across a resumed run. Formulas of the notes that count
 * from 0 use {@code t = epoch - 1}, the number of completed epochs, so that the first epoch runs at
 * {@code alpha0}. With mini-batches, {@code step = (epoch - 1) * stepsPerEpoch + k} for the
 * {@code k}-th batch of the epoch ({@code 1 <= k <= stepsPerEpoch}); with full batch,
 * {@code stepsPerEpoch = 1} and {@code step = epoch}.
 */
@FunctionalInterface
public interface Schedule {

    /**
     * The learning rate of one step.
     *
     * @param baseRate      {@code alpha0}, the optimizer's base learning rate, finite and {@code > 0}
     * @param step          the number of the step about to be taken, from 1, over the whole run
     * @param epoch         the epoch that step belongs to, from 1
     * @param stepsPerEpoch the number of steps in every epoch, {@code ceil(m / batch size)}, {@code >= 1}
     * @return the step's learning rate, finite and {@code >= 0}
     */
    double learningRate(double baseRate, long step, int epoch, int stepsPerEpoch);
}
