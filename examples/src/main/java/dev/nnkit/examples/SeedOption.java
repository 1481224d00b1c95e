package dev.nnkit.examples;

import java.util.function.LongConsumer;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --seed}: the one seed of a command's random numbers, 1 by default. The value is handed to
 * the command, which keeps it in its own {@code seed} field: its methods, and the tests that call
 * them, read that field.
 *
 * <p>A command whose seed defaults to another value says so with
 * {@code @Command(defaultValueProvider = ...)} and a {@link Default}, so that the help shows it.
 */
final class SeedOption {

    static final String NAME = "--seed";

    private final LongConsumer command;

    /** @param command receives the seed: the default, then the value given on the command line, if any */
    SeedOption(LongConsumer command) {
        this.command = command;
    }

    @Option(names = NAME, defaultValue = "1", paramLabel = "<seed>",
            description = "Seed of the data, the initialization, the shuffling and dropout (default: ${DEFAULT-VALUE}).")
    void seed(long seed) {
        command.accept(seed);
    }

    /** The default of {@code --seed} in a command where it is not 1: a subclass names the value. */
    abstract static class Default implements IDefaultValueProvider {

        private final long seed;

        Default(long seed) {
            this.seed = seed;
        }

        @Override
        public String defaultValue(ArgSpec argSpec) {
            return argSpec instanceof OptionSpec option && option.longestName().equals(NAME) ? Long.toString(seed) : null;
        }
    }
}
