package dev.nnkit;

/**
 * The training settings a person chooses (MATH §8), as one immutable value, separate from the
 * learned parameters. The architecture's hyperparameters (layers, units, activations, initializer,
 * regularization strength, keep_prob) are in the {@link NetworkConfig}.
 *
 * <pre>{@code
 * Hyperparameters hp = Hyperparameters.defaults()
 *         .withOptimizer("adam(learning_rate=0.001)")      // alpha0 = 0.001
 *         .withSchedule("step_decay(every=6, factor=0.1)") // alpha0 / 10 from epoch 7 on
 *         .withEpochs(8)
 *         .withBatchSize(128);
 * }</pre>
 *
 * @param optimizer the optimizer spec, with its base learning rate {@code alpha0}, e.g.
 *                  {@code adam(learning_rate=0.001)}
 * @param schedule  the learning-rate {@linkplain dev.nnkit.spi.Schedule schedule} spec, which gives
 *                  every step's rate from {@code alpha0} and the step's position, e.g.
 *                  {@code constant} (the default: every step at {@code alpha0}),
 *                  {@code exponential(rate=0.95)} or {@code warmup(steps=500, then=cosine(epochs=20))}
 * @param epochs    the number of passes over the training set, {@code >= 1}; with full-batch
 *                  training an epoch is one iteration of gradient descent
 * @param batchSize the mini-batch size; {@code 0}, or any value {@code >= m}, means full batch
 *                  (plain gradient descent of the notes, no shuffling)
 * @param seed      the seed of shuffling and of stochastic regularizers such as dropout
 * @param shuffle   whether mini-batches are drawn from a fresh permutation at every epoch
 */
public record Hyperparameters(String optimizer, String schedule, int epochs, int batchSize, long seed, boolean shuffle) {

    /** The schedule of {@link #defaults()} and of the five-argument constructor: every step at the base rate. */
    public static final String CONSTANT_SCHEDULE = "constant";

    /** Refuses a missing spec or a value out of range, naming it and what is accepted. */
    public Hyperparameters {
        if (optimizer == null || optimizer.isBlank()) {
            throw new IllegalArgumentException("optimizer is not set; give a spec such as sgd(learning_rate=0.1)");
        }
        if (schedule == null || schedule.isBlank()) {
            throw new IllegalArgumentException("schedule is not set; give a spec such as constant or exponential(rate=0.95)");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs=" + epochs + "; it must be >= 1");
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize=" + batchSize + "; it must be >= 1, or 0 for full batch");
        }
    }

    /** Settings with the {@code constant} schedule: every step at the optimizer's learning rate. */
    public Hyperparameters(String optimizer, int epochs, int batchSize, long seed, boolean shuffle) {
        this(optimizer, CONSTANT_SCHEDULE, epochs, batchSize, seed, shuffle);
    }

    /** {@code sgd(learning_rate=0.01)}, {@code constant}, 100 epochs, full batch, seed 42, shuffled mini-batches. */
    public static Hyperparameters defaults() {
        return new Hyperparameters("sgd(learning_rate=0.01)", CONSTANT_SCHEDULE, 100, 0, 42L, true);
    }

    /** These settings with another optimizer spec. */
    public Hyperparameters withOptimizer(String spec) {
        return new Hyperparameters(spec, schedule, epochs, batchSize, seed, shuffle);
    }

    /** These settings with another learning-rate schedule spec. */
    public Hyperparameters withSchedule(String spec) {
        return new Hyperparameters(optimizer, spec, epochs, batchSize, seed, shuffle);
    }

    /** These settings with another number of epochs. */
    public Hyperparameters withEpochs(int count) {
        return new Hyperparameters(optimizer, schedule, count, batchSize, seed, shuffle);
    }

    /** These settings with another mini-batch size (0 = full batch). */
    public Hyperparameters withBatchSize(int size) {
        return new Hyperparameters(optimizer, schedule, epochs, size, seed, shuffle);
    }

    /** These settings with another seed. */
    public Hyperparameters withSeed(long value) {
        return new Hyperparameters(optimizer, schedule, epochs, batchSize, value, shuffle);
    }

    /** These settings with shuffling on or off. */
    public Hyperparameters withShuffle(boolean value) {
        return new Hyperparameters(optimizer, schedule, epochs, batchSize, seed, value);
    }
}
