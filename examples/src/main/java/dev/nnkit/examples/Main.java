package dev.nnkit.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The entry point of the example applications: {@code java -jar nnkit-examples.jar <command>}. */
@Command(name = "nnkit-examples", mixinStandardHelpOptions = true, version = "nnkit examples 0.1.0",
        description = "Runs the nnkit example applications: each shows an idea of the lecture notes at work.",
        subcommands = {PlanarCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status (0 on success). */
    static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
