package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The options the commands share through mixins: one declaration, each command's own defaults. */
class SharedOptionsTest {

    private static final List<String> COMMANDS = List.of("planar", "symmetry", "linear", "regularize", "init", "gradcheck",
            "fashion", "train");

    /** Runs the command line; returns the exit status, stdout and stderr. */
    private static String[] run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.run(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private static CommandLine.Model.CommandSpec spec(String command) {
        return new CommandLine(new Main()).getSubcommands().get(command).getCommandSpec();
    }

    @Test
    void everyCommandHasOneSeedAndOneOutFolderWithItsOwnDefault() {
        for (String command : COMMANDS) {
            CommandLine cli = new CommandLine(new Main());
            CommandLine.Model.CommandSpec spec = cli.parseArgs(command.equals("train") ? new String[] {command, "--data", "x.csv"}
                    : new String[] {command}).subcommand().commandSpec();
            assertEquals(Path.of("out", command), spec.findOption("--out").getValue(), command);
            assertEquals(command.equals("regularize") ? "4" : "1", spec.findOption("--seed").defaultValueString(), command);
        }
        String help = run("regularize", "--help")[1];
        assertTrue(help.contains("(default: 4)") && help.contains("(default: out/regularize)"), help);
    }

    @Test
    void theSeedReachesTheCommandsField() {
        RegularizeCommand regularize = new RegularizeCommand();
        new CommandLine(regularize).parseArgs();
        assertEquals(4, regularize.seed);
        new CommandLine(regularize).parseArgs("--seed", "9");
        assertEquals(9, regularize.seed);
        LinearCommand linear = new LinearCommand();
        new CommandLine(linear).parseArgs();
        assertEquals(1, linear.seed);
    }

    @Test
    void eachCommandKeepsItsTrainingDefaults() {
        Map<String, String> optimizers = Map.of("planar", "sgd(learning_rate=1.2)", "symmetry", "sgd(learning_rate=1.2)",
                "linear", "sgd(learning_rate=0.1)", "regularize", "adam(learning_rate=0.01)", "init", "sgd(learning_rate=0.01)",
                "fashion", "adam(learning_rate=0.001)", "train", "adam(learning_rate=0.01)");
        Map<String, String> iterations = Map.of("planar", "10000", "symmetry", "10000", "linear", "10000",
                "regularize", "10000", "init", "15000");
        optimizers.forEach((command, optimizer) ->
                assertEquals(optimizer, spec(command).findOption("--optimizer").defaultValueString(), command));
        iterations.forEach((command, count) ->
                assertEquals(count, spec(command).findOption("--iterations").defaultValueString(), command));
        assertEquals("8", spec("fashion").findOption("--epochs").defaultValueString());
        assertEquals("128", spec("fashion").findOption("--batch-size").defaultValueString());
        assertEquals("100", spec("train").findOption("--epochs").defaultValueString());
        assertEquals("32", spec("train").findOption("--batch-size").defaultValueString());
        for (String command : List.of("planar", "regularize", "fashion", "train")) {
            String init = spec(command).findOption("--init").defaultValueString();
            assertEquals(command.equals("planar") ? "small_random(scale=0.01)" : "he_normal", init, command);
        }
    }

    @Test
    void anOutFolderThatIsAFileIsRefusedBeforeAnyWork(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "not a folder");
        for (String[] args : List.of(new String[] {"linear", "--out", file.toString()},
                new String[] {"train", "--data", dir.resolve("missing.csv").toString(), "--out", file.resolve("sub").toString()})) {
            String[] result = run(args);
            assertEquals("2", result[0], result[2]);
            assertTrue(result[2].startsWith("--out " + args[args.length - 1] + ": cannot write the pictures there: "),
                    result[2]);
            assertTrue(result[2].contains("is a file, not a folder"), result[2]);
            assertFalse(result[2].contains("\tat "), "no stack trace: " + result[2]);
            assertEquals("", result[1], "nothing ran: " + result[1]);
        }
    }

    @Test
    void helpDoesNotCheckTheOutFolder(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "not a folder");
        String[] result = run("linear", "--out", file.toString(), "--help");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].startsWith("Usage: nnkit-examples linear"), result[1]);
    }

    @Test
    void batchSizeZeroIsTheFullTrainingSet() {
        FashionCommand fashion = new FashionCommand();
        new CommandLine(fashion).parseArgs("--batch-size", "0");
        assertEquals(300, fashion.miniBatch.batchSize(300));
        fashion.checkBatchNormBatches(true, 300); // one batch of all 300: no batch of 1, no division by zero
        assertThrows(IllegalArgumentException.class, () -> fashion.checkBatchNormBatches(true, 1));
    }
}
