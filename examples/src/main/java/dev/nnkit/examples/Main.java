package dev.nnkit.examples;

import dev.nnkit.Compute;
import dev.nnkit.spi.PluginException;
import java.util.ServiceConfigurationError;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The entry point of the example applications: {@code java -jar nnkit-examples.jar <command>}. */
@Command(name = "nnkit-examples", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs the nnkit example applications: each shows an idea of the lecture notes at work.",
        subcommands = {
            // One line per example command, in the order of the README; help stays last.
            PlanarCommand.class,
            SymmetryCommand.class,
            LinearCommand.class,
            RegularizeCommand.class,
            InitCommand.class,
            GradcheckCommand.class,
            FashionCommand.class,
            TrainCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args));
    }

    /** {@code --version}: the version and the matrix-product path of this JVM. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nnkit examples 0.1.0", "matrix products: " + Compute.path()};
        }
    }

    /** Runs the command line and returns its exit status (0 on success). */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::reportRefusedSetting);
        cli.setExecutionStrategy(Main::checkOutputThenRun);
        try {
            return cli.execute(args);
        } catch (ServiceConfigurationError e) {
            // a broken plugin jar met by code that reads the service itself rather than through the
            // registry (which reports such a provider and goes on); an Error, so picocli lets it pass
            return reportPluginFailure(cli, "a plugin provider failed to load: " + e.getMessage());
        }
    }

    /**
     * Runs the command the arguments name, as picocli would, after checking its {@code --out} folder
     * ({@link OutputOptions#check}), so that a folder it could not write into is refused before the
     * work rather than when the first picture is written. A refusal is reported like any refused
     * setting. Asking for the help or the version checks nothing.
     */
    private static int checkOutputThenRun(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult command = parsed;
        while (command.hasSubcommand()) {
            command = command.subcommand();
        }
        if (!command.isUsageHelpRequested() && !command.isVersionHelpRequested()) {
            for (CommandLine.Model.CommandSpec mixin : command.commandSpec().mixins().values()) {
                if (mixin.userObject() instanceof OutputOptions output) {
                    try {
                        output.check();
                    } catch (IllegalArgumentException e) {
                        throw new CommandLine.ExecutionException(command.commandSpec().commandLine(), e.getMessage(), e);
                    }
                }
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /**
     * A setting the library refuses while the command runs is reported without a stack trace, with
     * exit code 2. A {@link PluginException} (an unknown plugin name, a bad argument in a spec
     * string such as {@code keep_prob=1.5}, or two jars claiming one plugin name) is one line, its
     * message, which already says what would be right. Any other {@link IllegalArgumentException}
     * is reported like a bad option: its message and a hint. Anything else propagates.
     */
    private static int reportRefusedSetting(Exception e, CommandLine cli, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof PluginException) {
            return reportPluginFailure(cli, e.getMessage());
        }
        if (!(e instanceof IllegalArgumentException)) {
            throw e;
        }
        cli.getErr().println(cli.getColorScheme().errorText(e.getMessage()));
        cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for the options.");
        return cli.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** One line on stderr and exit code 2. */
    private static int reportPluginFailure(CommandLine cli, String message) {
        cli.getErr().println(cli.getColorScheme().errorText(message));
        return cli.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
