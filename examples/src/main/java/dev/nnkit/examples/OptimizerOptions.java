package dev.nnkit.examples;

import picocli.CommandLine.Option;

/**
 * {@code --optimizer}: the optimizer spec with its learning rate, the option that full-batch
 * ({@link FullBatchOptions}) and mini-batch ({@link MiniBatchOptions}) training share. Each
 * command gives its own default, which the help shows.
 */
abstract class OptimizerOptions {

    @Option(names = "--optimizer", description = "Optimizer spec with its learning rate (default: ${DEFAULT-VALUE}).")
    String optimizer;

    /** @param optimizer the default {@code --optimizer}, e.g. {@code sgd(learning_rate=1.2)} */
    OptimizerOptions(String optimizer) {
        this.optimizer = optimizer;
    }
}
