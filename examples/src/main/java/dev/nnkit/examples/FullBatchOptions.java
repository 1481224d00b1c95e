package dev.nnkit.examples;

import dev.nnkit.Hyperparameters;
import dev.nnkit.training.Trainer;
import picocli.CommandLine.Option;

/**
 * {@code --optimizer} and {@code --iterations}: full-batch training, as the commands on the small
 * 2-D data sets run it, every iteration one step on the whole training set. Each command gives its
 * own defaults, which the help shows.
 */
final class FullBatchOptions extends OptimizerOptions {

    @Option(names = "--iterations", description = "Full-batch training iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    /**
     * @param optimizer  the default {@code --optimizer}, e.g. {@code sgd(learning_rate=1.2)}
     * @param iterations the default {@code --iterations}
     */
    FullBatchOptions(String optimizer, int iterations) {
        super(optimizer);
        this.iterations = iterations;
    }

    /** A trainer of {@code --iterations} full-batch steps of {@code --optimizer}; {@code seed} drives dropout. */
    Trainer trainer(long seed) {
        return new Trainer(Hyperparameters.defaults().withOptimizer(optimizer).withEpochs(iterations).withSeed(seed));
    }
}
