package dev.nnkit;

/**
 * The training settings a person chooses (SPEC §8), as one immutable value, separate from the
 * learned parameters. The architecture's hyperparameters (layers, units, activations, initializer,
 * regularization strength, keep_prob) are in the {@link NetworkConfig}.
 *
 * <pre>{@code
 * Hyperparameters hp = Hyperparameters.defaults()
 *         .withOptimizer("sgd(learning_rate=1.2)")
 *         .withEpochs(10_000);           // full batch: one step per epoch
 * }</pre>
 *
 * @param optimizer the optimizer spec, with its learning rate, e.g. {@code adam(learning_rate=0.001)}
 * @param epochs    the number of passes over the training set, {@code >= 1}; with full-batch
 *                  training an epoch is one iteration of gradient descent
 * @param batchSize the mini-batch size; {@code 0}, or any value {@code >= m}, means full batch
 *                  (plain gradient descent of the notes, no shuffling)
 * @param seed      the seed of shuffling and of stochastic regularizers such as dropout
 * @param shuffle   whether mini-batches are drawn from a fresh permutation at every epoch
 */
public record Hyperparameters(String optimizer, int epochs, int batchSize, long seed, boolean shuffle) {

    public Hyperparameters {
        if (optimizer == null || optimizer.isBlank()) {
            throw new IllegalArgumentException("optimizer is not set; give a spec such as sgd(learning_rate=0.1)");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs=" + epochs + "; it must be >= 1");
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize=" + batchSize + "; it must be >= 1, or 0 for full batch");
        }
    }

    /** {@code sgd(learning_rate=0.01)}, 100 epochs, full batch, seed 42, shuffled mini-batches. */
    public static Hyperparameters defaults() {
        return new Hyperparameters("sgd(learning_rate=0.01)", 100, 0, 42L, true);
    }

    /** These settings with another optimizer spec. */
    public Hyperparameters withOptimizer(String spec) {
        return new Hyperparameters(spec, epochs, batchSize, seed, shuffle);
    }

    /** These settings with another number of epochs. */
    public Hyperparameters withEpochs(int count) {
        return new Hyperparameters(optimizer, count, batchSize, seed, shuffle);
    }

    /** These settings with another mini-batch size (0 = full batch). */
    public Hyperparameters withBatchSize(int size) {
        return new Hyperparameters(optimizer, epochs, size, seed, shuffle);
    }

    /** These settings with another seed. */
    public Hyperparameters withSeed(long value) {
        return new Hyperparameters(optimizer, epochs, batchSize, value, shuffle);
    }

    /** These settings with shuffling on or off. */
    public Hyperparameters withShuffle(boolean value) {
        return new Hyperparameters(optimizer, epochs, batchSize, seed, value);
    }
}
