package dev.nnkit.examples;

import dev.nnkit.Hyperparameters;
import picocli.CommandLine.Option;

/**
 * {@code --optimizer}, {@code --epochs} and {@code --batch-size}: training on shuffled
 * mini-batches, as the commands on real data sets run it. Each command gives its own defaults,
 * which the help shows; the learning-rate schedule is the command's own option.
 */
final class MiniBatchOptions extends OptimizerOptions {

    @Option(names = "--epochs", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", description = "Mini-batch size; 0 = full batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    /**
     * @param optimizer the default {@code --optimizer}, e.g. {@code adam(learning_rate=0.001)}
     * @param epochs    the default {@code --epochs}
     * @param batchSize the default {@code --batch-size}
     */
    MiniBatchOptions(String optimizer, int epochs, int batchSize) {
        super(optimizer);
        this.epochs = epochs;
        this.batchSize = batchSize;
    }

    /** The examples in a full mini-batch of a training set of {@code examples}: all of them for {@code --batch-size 0}. */
    int batchSize(int examples) {
        return batchSize == 0 ? examples : batchSize;
    }

    /** {@code --epochs} of {@code --optimizer} on mini-batches of {@code --batch-size}, its rate following {@code schedule}. */
    Hyperparameters hyperparameters(String schedule, long seed) {
        return Hyperparameters.defaults().withOptimizer(optimizer).withSchedule(schedule).withEpochs(epochs)
                .withBatchSize(batchSize).withSeed(seed);
    }
}
