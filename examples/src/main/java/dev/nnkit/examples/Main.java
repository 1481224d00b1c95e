package dev.nnkit.examples;

import dev.nnkit.Compute;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        OptionalInt child = FastPathLauncher.relaunchIfUseful(Main.class.getName(), args);
        System.exit(child.isPresent() ? child.getAsInt() : run(args));
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
        return cli.execute(args);
    }

    /**
     * A setting the library refuses while the command runs (an {@link IllegalArgumentException},
     * e.g. an unknown plugin name or {@code keep_prob=1.5} in a spec string) is reported like a bad
     * option: its message, a hint, and exit code 2, not a stack trace. Anything else propagates.
     */
    private static int reportRefusedSetting(Exception e, CommandLine cli, CommandLine.ParseResult parsed) throws Exception {
        if (!(e instanceof IllegalArgumentException)) {
            throw e;
        }
        cli.getErr().println(cli.getColorScheme().errorText(e.getMessage()));
        cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for the options.");
        return cli.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
