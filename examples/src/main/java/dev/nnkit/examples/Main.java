package dev.nnkit.examples;

import dev.nnkit.Compute;
import dev.nnkit.io.DataFileException;
import dev.nnkit.spi.PluginException;
import java.io.IOException;
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
            PredictCommand.class,
            EvaluateCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code --debug}: a failure's stack trace after its message; taken by every command. */
    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "On a failure, print the stack trace after the message.")
    boolean debug;

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

    /**
     * Runs the command line and returns its exit status: 0 on success, 2 for bad input (an option,
     * a file, a plugin spec, data that cannot be used), 1 for a run that failed (diverged, a disk
     * that filled up, the JVM out of memory). Nothing a user can cause prints a stack trace, unless
     * {@code --debug} asks for it.
     */
    static int run(String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, command, parsed) -> report(e, command, debug));
        cli.setExecutionStrategy(Main::checkOutputThenRun);
        try {
            return stdoutChecked(cli, cli.execute(args));
        } catch (ServiceConfigurationError e) {
            // a broken plugin jar met by code that reads the service itself rather than through the
            // registry (which reports such a provider and goes on); an Error, so picocli lets it pass
            trace(cli, e, debug);
            return reportPluginFailure(cli, "a plugin provider failed to load: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            trace(cli, e, debug);
            cli.getErr().println(cli.getColorScheme().errorText("the run needed more memory than this JVM may use (at most "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB, -Xmx): make the layers or the batches smaller, or "
                    + "give the JVM more memory (e.g. -Xmx8g)"));
            cli.getErr().flush();
            return 1;
        } catch (StackOverflowError e) {
            trace(cli, e, debug);
            cli.getErr().println(cli.getColorScheme().errorText("the run failed: the call stack overflowed (a network too"
                    + " deep?); run again with --debug for the stack trace"));
            cli.getErr().flush();
            return 1;
        }
    }

    /**
     * The exit status after checking that standard output took everything the command printed
     * ({@link java.io.PrintStream#checkError}, which also flushes): predictions or a report cut short
     * by a full disk or a closed pipe is a failed run, exit 1, with one line on standard error.
     */
    static int stdoutChecked(CommandLine cli, int status) {
        if (System.out.checkError()) {
            cli.getErr().println(cli.getColorScheme().errorText("standard output could not be written (a full disk, a file "
                    + "size limit or a closed pipe?): what this command printed there is incomplete"));
            cli.getErr().flush();
            return 1;
        }
        return status;
    }

    private static void trace(CommandLine cli, Throwable e, boolean debug) {
        if (debug) {
            e.printStackTrace(cli.getErr());
            cli.getErr().flush();
        }
    }

    /**
     * A failure while a command runs, reported without a stack trace (unless {@code --debug}):
     * <ul>
     *   <li>a {@link PluginException} (an unknown plugin name, a bad argument in a spec string such
     *       as {@code keep_prob=1.5}, two jars claiming one name): its message, exit 2;</li>
     *   <li>a {@link DataFileException} (a malformed data, config or model file): its message, which
     *       names the file and the place, exit 2;</li>
     *   <li>any other {@link IllegalArgumentException}: its message and a hint, exit 2;</li>
     *   <li>a {@link RunFailedException} (e.g. training diverged; a disk filled up) or another
     *       {@link IOException}: the command's name and the message, exit 1;</li>
     *   <li>anything else: the command, the exception's type and message, exit 1.</li>
     * </ul>
     */
    private static int report(Exception e, CommandLine cli, boolean debug) {
        trace(cli, e, debug);
        String name = cli.getCommandName();
        if (e instanceof PluginException) {
            return reportPluginFailure(cli, e.getMessage());
        }
        if (e instanceof DataFileException) {
            return line(cli, name + ": " + e.getMessage(), cli.getCommandSpec().exitCodeOnInvalidInput());
        }
        if (e instanceof IllegalArgumentException) {
            cli.getErr().println(cli.getColorScheme().errorText(e.getMessage()));
            cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for the options.");
            cli.getErr().flush();
            return cli.getCommandSpec().exitCodeOnInvalidInput();
        }
        if (e instanceof RunFailedException) {
            return line(cli, name + ": " + e.getMessage(), 1);
        }
        if (e instanceof IOException io) {
            return line(cli, name + ": " + CliFiles.describe(io, "read or write", null), 1);
        }
        if (e instanceof java.io.UncheckedIOException io) {
            // a message of its own names the path and the operation (Plots.save's does): keep it
            String own = io.getMessage();
            boolean named = own != null && io.getCause() != null && !own.equals(io.getCause().toString());
            return line(cli, name + ": " + (named ? own : CliFiles.describe(io.getCause(), "read or write", null)), 1);
        }
        return line(cli, name + ": the run failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + (debug ? "" : " (run again with --debug for the stack trace)"), 1);
    }

    private static int line(CommandLine cli, String message, int status) {
        cli.getErr().println(cli.getColorScheme().errorText(message));
        cli.getErr().flush();
        return status;
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

    /** One line on stderr and exit code 2. */
    private static int reportPluginFailure(CommandLine cli, String message) {
        cli.getErr().println(cli.getColorScheme().errorText(message));
        cli.getErr().flush();
        return cli.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
