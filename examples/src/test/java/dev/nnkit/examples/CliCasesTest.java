package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.Network;
import dev.nnkit.data.Pipeline;
import dev.nnkit.data.Standardizer;
import dev.nnkit.io.ModelFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line's table of bad input, output paths and resource limits: every row runs the
 * command line in this JVM (as {@code java -jar nnkit-examples.jar} would, through
 * {@link Main#run}) and asserts the exit code (2 bad input, 1 failed run, 0 done), that neither
 * output has a stack trace, the key words of the message, and what exists on disk afterwards
 * (including that no temporary file is left and that a model file that was there is unchanged).
 *
 * <p>The table in RELIABILITY.md ("The command line: bad input, outputs, resources") is generated
 * from these rows: {@link #theReliabilityTableIsTheTableOfThisTest} fails when it differs, and
 * rewrites it when run with {@code -Dnnkit.regenerate=true}.
 */
class CliCasesTest {

    /** Prepares the files of a case in its folder. */
    @FunctionalInterface
    interface Fixture {
        void make(Path dir) throws Exception;
    }

    /**
     * One row.
     *
     * @param id        a short name
     * @param what      what the user did, for the table
     * @param fixture   the files the case needs
     * @param command   the arguments, {@code {dir}} standing for the case's folder
     * @param exit      the expected exit code
     * @param words     key words the message (stderr; stdout too for exit 0) must contain
     * @param exist     files that must exist afterwards, relative to the folder
     * @param absent    files that must not exist afterwards
     * @param unchanged files whose bytes must be the same before and after
     */
    record Case(String id, String what, Fixture fixture, String command, int exit, List<String> words, List<String> exist,
                List<String> absent, List<String> unchanged) {
        @Override
        public String toString() {
            return id;
        }
    }

    private static final String QUICK = " --epochs 3 --layers 4 --no-progress";

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // ---------------------------------------------------------------- reading the data
        c.add(new Case("data-missing", "--data names no file", d -> { }, "train --data {dir}/nope.csv --out {dir}/out", 2,
                List.of("--data", "nope.csv", "cannot read it: no such file"), List.of(), List.of("out"), List.of()));
        c.add(new Case("data-missing-folder", "--data in a folder that does not exist", d -> { },
                "train --data {dir}/no/such/data.csv --out {dir}/out", 2, List.of("cannot read it: no such folder"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("data-folder", "--data names a folder", d -> Files.createDirectory(d.resolve("folder")),
                "train --data {dir}/folder --out {dir}/out", 2, List.of("--data", "folder", "it is a folder, not a file"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("data-binary", "--data is a binary file", d -> {
            byte[] bytes = new byte[600];
            new Random(1).nextBytes(bytes);
            bytes[0] = (byte) 0xff;
            bytes[1] = (byte) 0xfe;
            Files.write(d.resolve("data.bin"), bytes);
        }, "train --data {dir}/data.bin --out {dir}/out", 2, List.of("data.bin", "not UTF-8 text", "binary"), List.of(),
                List.of("out"), List.of()));
        c.add(new Case("data-semicolons", "a ';'-separated file without --delimiter",
                d -> write(d, "semi.csv", "a;b;label", "1;2;0", "2;3;1"), "train --data {dir}/semi.csv --out {dir}/out", 2,
                List.of("semi.csv", "no feature column", "the delimiter is ','", "--delimiter"), List.of(), List.of("out"),
                List.of()));
        c.add(new Case("data-empty", "an empty file", d -> write(d, "empty.csv"), "train --data {dir}/empty.csv --out {dir}/out",
                2, List.of("empty.csv", "holds no data"), List.of(), List.of("out"), List.of()));
        c.add(new Case("data-header-only", "a header and no examples", d -> write(d, "h.csv", "x,y,label"),
                "train --data {dir}/h.csv --out {dir}/out", 2, List.of("h.csv", "header but no data lines"), List.of(),
                List.of("out"), List.of()));
        c.add(new Case("data-ragged", "a line with a missing cell", d -> write(d, "r.csv", "x,y,label", "1,2,0", "3,1"),
                "train --data {dir}/r.csv --out {dir}/out", 2, List.of("r.csv", "line 3", "2 cells but line 1 has 3"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("data-not-a-number", "a feature cell that is not a number",
                d -> write(d, "n.csv", "x,y,label", "1,2,0", "1,oops,1"), "train --data {dir}/n.csv --out {dir}/out", 2,
                List.of("n.csv", "line 3, column 2", "\"oops\" is not a number"), List.of(), List.of("out"), List.of()));
        c.add(new Case("data-nan", "a feature cell NaN", d -> write(d, "nan.csv", "x,y,label", "1,2,0", "1,NaN,1"),
                "train --data {dir}/nan.csv --out {dir}/out", 2, List.of("nan.csv", "line 3, column 2", "not finite"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("label-column-unknown", "--label names no column", CliCasesTest::moons,
                "train --data {dir}/moons.csv --label colour --out {dir}/out", 2,
                List.of("moons.csv", "label column 'colour' is not in the header"), List.of(), List.of("out"), List.of()));
        c.add(new Case("delimiter-long", "--delimiter of two characters", CliCasesTest::moons,
                "train --data {dir}/moons.csv --delimiter ;; --out {dir}/out", 2, List.of("--delimiter ';;'", "one character"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("test-fraction-range", "--test-fraction 1.5", CliCasesTest::moons,
                "train --data {dir}/moons.csv --test-fraction 1.5 --out {dir}/out", 2, List.of("--test-fraction 1.5", "[0, 1)"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("test-fraction-empty", "--test-fraction that leaves no test examples",
                d -> write(d, "tiny.csv", "x,y,label", "1,2,0", "2,1,1", "0,0,0", "3,3,1", "1,1,0", "2,2,1"),
                "train --data {dir}/tiny.csv --test-fraction 0.05 --task CLASSIFICATION --out {dir}/out", 2,
                List.of("--test-fraction 0.05 of 6 examples leaves no test examples"), List.of(), List.of("out"), List.of()));
        c.add(new Case("test-unknown-class", "--test with a class the training data lacks", d -> {
            moons(d);
            write(d, "test.csv", "x,y,color", "0.5,0.5,red", "0.1,0.2,green");
        }, "train --data {dir}/moons.csv --test {dir}/test.csv --out {dir}/out" + QUICK, 2,
                List.of("test.csv", "line 3", "\"green\" is not one of the 2 classes [blue, red]"), List.of(), List.of("out"),
                List.of()));
        c.add(new Case("test-labels-csv", "--test-labels with CSV data", CliCasesTest::moons,
                "train --data {dir}/moons.csv --test-labels {dir}/moons.csv --out {dir}/out", 2,
                List.of("--test-labels is for IDX data"), List.of(), List.of("out"), List.of()));
        c.add(new Case("idx-without-labels", "IDX images without --labels", d -> idx(d, 20, 20),
                "train --data {dir}/images.idx --out {dir}/out", 2, List.of("images.idx is an IDX file", "--labels"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("idx-count-mismatch", "IDX labels fewer than the images", d -> idx(d, 20, 12),
                "train --data {dir}/images.idx --labels {dir}/labels.idx --out {dir}/out", 2,
                List.of("labels.idx", "12", "20"), List.of(), List.of("out"), List.of()));
        c.add(new Case("idx-truncated", "a truncated IDX file", d -> {
            idx(d, 20, 20);
            byte[] all = Files.readAllBytes(d.resolve("images.idx"));
            Files.write(d.resolve("images.idx"), Arrays.copyOf(all, all.length - 7));
        }, "train --data {dir}/images.idx --labels {dir}/labels.idx --out {dir}/out", 2, List.of("images.idx", "truncated"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("data-stdin", "--data - reads standard input (it is read twice: format, then data)",
                d -> { }, "train --data - --save {dir}/m.nnkit --out {dir}/out" + QUICK, 0,
                List.of("CSV standard input", "binary classification", "saved the trained network"),
                List.of("m.nnkit", "out/train_cost.png"),
                List.of(), List.of()));
        c.add(new Case("data-fifo-malformed", "a named pipe with a bad cell: the message names the pipe",
                d -> fifo(d, "pipe.csv", List.of("x,y,label", "1,2,0", "1,oops,1")),
                "train --data {dir}/pipe.csv --out {dir}/out", 2, List.of("pipe.csv: line 3, column 2", "\"oops\" is not a number"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("data-fifo", "--data is a named pipe, as <(...) gives", d -> fifo(d, "pipe.csv", moonLines(200)),
                "train --data {dir}/pipe.csv --save {dir}/m.nnkit --out {dir}/out" + QUICK, 0,
                List.of("saved the trained network"), List.of("m.nnkit"), List.of(), List.of()));
        // ---------------------------------------------------------------- the task
        c.add(new Case("task-stray-minus-one", "0/1 labels with one -1", d -> binary(d, "-1"),
                "train --data {dir}/b.csv --out {dir}/out", 2,
                List.of("cannot tell the task", "b.csv", "-1 x1", "--task CLASSIFICATION or --task REGRESSION"), List.of(),
                List.of("out"), List.of()));
        c.add(new Case("task-stray-half", "0/1 labels with one 0.5", d -> binary(d, "0.5"),
                "train --data {dir}/b.csv --out {dir}/out", 2, List.of("cannot tell the task", "1 fraction", "0.5 x1", "--task"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("task-stray-seven", "0/1 labels with one 7", d -> binary(d, "7"),
                "train --data {dir}/b.csv --out {dir}/out", 2,
                List.of("cannot tell the task", "classes 2, 3, 4, 5, 6 of 0..7 never occur", "--task"), List.of(),
                List.of("out"), List.of()));
        c.add(new Case("task-sixty-classes", "60 integer classes", d -> {
            List<String> lines = new ArrayList<>(List.of("x,label"));
            for (int j = 0; j < 240; j++) {
                lines.add(j + "," + (j % 60));
            }
            write(d, "sixty.csv", lines.toArray(String[]::new));
        }, "train --data {dir}/sixty.csv --out {dir}/out", 2, List.of("cannot tell the task", "60 integer classes", "--task"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("task-constant", "every label the same", d -> write(d, "c.csv", "x,label", "1,3", "2,3", "3,3", "4,3"),
                "train --data {dir}/c.csv --out {dir}/out", 2, List.of("every label is 3", "--task"), List.of(), List.of("out"),
                List.of()));
        c.add(new Case("task-classification-fractions", "--task CLASSIFICATION on fractional labels",
                d -> binary(d, "0.5"), "train --data {dir}/b.csv --task CLASSIFICATION --out {dir}/out", 2,
                List.of("--task CLASSIFICATION needs class labels", "0.5"), List.of(), List.of("out"), List.of()));
        c.add(new Case("task-regression-names", "--task REGRESSION on class names", CliCasesTest::moons,
                "train --data {dir}/moons.csv --task REGRESSION --out {dir}/out", 2,
                List.of("moons.csv", "label \"red\" is not a number"), List.of(), List.of("out"), List.of()));
        c.add(new Case("task-classification-two-columns", "--task CLASSIFICATION with two label columns",
                d -> write(d, "two.csv", "x,a,b", "1,0,1", "2,1,0", "3,0,1"),
                "train --data {dir}/two.csv --label a,b --task CLASSIFICATION --out {dir}/out", 2,
                List.of("takes one label column", "[a, b]"), List.of(), List.of("out"), List.of()));
        c.add(new Case("task-names-ok", "class names: classification, model saved with its pipeline", CliCasesTest::moons,
                "train --data {dir}/moons.csv --save {dir}/m.nnkit --out {dir}/out" + QUICK, 0,
                List.of("classes [blue, red]", "the labels are names", "saved the trained network and its pipeline"),
                List.of("m.nnkit", "out/train_cost.png"), List.of(), List.of()));
        c.add(new Case("task-regression-forced", "integer targets with --task REGRESSION",
                d -> binary(d, "7"), "train --data {dir}/b.csv --task REGRESSION --save {dir}/r.nnkit --out {dir}/out" + QUICK,
                0, List.of("regression of 1 target"), List.of("r.nnkit"), List.of(), List.of()));
        // ---------------------------------------------------------------- network, plugins, resources
        c.add(new Case("layers-zero", "--layers 0", CliCasesTest::moons, "train --data {dir}/moons.csv --layers 0 --out {dir}/out",
                2, List.of("--layers", "0 units", "must be > 0"), List.of(), List.of("out"), List.of()));
        c.add(new Case("activation-unknown", "an unknown activation", CliCasesTest::moons,
                "train --data {dir}/moons.csv --activation rleu --out {dir}/out", 2,
                List.of("unknown activation 'rleu'", "did you mean 'relu'"), List.of(), List.of("out"), List.of()));
        c.add(new Case("optimizer-negative-rate", "a negative learning rate", CliCasesTest::moons,
                "train --data {dir}/moons.csv --optimizer sgd(learning_rate=-1) --out {dir}/out", 2,
                List.of("sgd: learning_rate=-1", "must be > 0"), List.of(), List.of("out"), List.of()));
        c.add(new Case("optimizer-unknown", "an unknown optimizer", CliCasesTest::moons,
                "train --data {dir}/moons.csv --optimizer adamw --out {dir}/out", 2, List.of("unknown optimizer 'adamw'"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("schedule-unknown", "an unknown schedule", CliCasesTest::moons,
                "train --data {dir}/moons.csv --schedule cosin(epochs=3) --out {dir}/out", 2,
                List.of("unknown schedule 'cosin'", "did you mean 'cosine'"), List.of(), List.of("out"), List.of()));
        c.add(new Case("epochs-zero", "--epochs 0", CliCasesTest::moons, "train --data {dir}/moons.csv --epochs 0 --out {dir}/out",
                2, List.of("epochs"), List.of(), List.of("out"), List.of()));
        c.add(new Case("dtype-unknown", "--dtype float16 (not a number type nnkit computes in)", CliCasesTest::moons,
                "train --data {dir}/moons.csv --dtype float16 --out {dir}/out", 2,
                List.of("--dtype", "'float16' is not known", "float64", "float32"), List.of(), List.of("out"), List.of()));
        c.add(new Case("dtype-float32", "--dtype float32: trained in float, the model file records it", CliCasesTest::moons,
                "train --data {dir}/moons.csv --dtype float32 --save {dir}/m32.nnkit --out {dir}/out" + QUICK, 0,
                List.of(", float32", "saved the trained network and its pipeline"), List.of("m32.nnkit", "out/train_cost.png"),
                List.of(), List.of()));
        c.add(new Case("config-missing", "--config names no file", CliCasesTest::moons,
                "train --data {dir}/moons.csv --config {dir}/net.json --out {dir}/out", 2,
                List.of("--config", "net.json", "no such file"), List.of(), List.of("out"), List.of()));
        c.add(new Case("config-malformed", "--config that is not JSON", d -> {
            moons(d);
            write(d, "net.json", "{\"format\": \"nnkit-network\", ");
        }, "train --data {dir}/moons.csv --config {dir}/net.json --out {dir}/out", 2, List.of("net.json", "line"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("config-wrong-inputs", "--config for 3 inputs on 2 features", d -> {
            moons(d);
            write(d, "net.json", "{\"format\": \"nnkit-network\", \"version\": 1, \"input_size\": 3, \"seed\": 1, \"loss\": "
                    + "\"binary_cross_entropy\", \"layers\": [{\"layer\": \"dense(units=1)\", \"activation\": \"sigmoid\", "
                    + "\"initializer\": \"xavier_normal\"}]}");
        }, "train --data {dir}/moons.csv --config {dir}/net.json --out {dir}/out", 2,
                List.of("does not fit the data", "takes 3 features", "[x, y]"), List.of(), List.of("out"), List.of()));
        c.add(new Case("output-activation-unknown", "an unknown output activation", CliCasesTest::moons,
                "train --data {dir}/moons.csv --output-activation softmaks --out {dir}/out", 2,
                List.of("unknown activation 'softmaks'", "did you mean 'softmax'"), List.of(), List.of("out"), List.of()));
        c.add(new Case("memory-layers", "hidden layers of 100,000 x 100,000 units", CliCasesTest::moons,
                "train --data {dir}/moons.csv --layers 100000,100000 --out {dir}/out", 2,
                List.of("a network of 3 layers on 2 inputs", "needs about", "GB", "heap is at most", "-Xmx"), List.of(),
                List.of("out"), List.of()));
        c.add(new Case("memory-one-layer", "one hidden layer of 300,000,000 units", CliCasesTest::moons,
                "train --data {dir}/moons.csv --layers 300000000 --out {dir}/out", 2, List.of("needs about", "-Xmx"), List.of(),
                List.of("out"), List.of()));
        c.add(new Case("memory-batch", "a batch whose activations cannot fit", CliCasesTest::moons,
                "train --data {dir}/moons.csv --layers 20000000 --batch-size 0 --out {dir}/out", 2,
                List.of("training 2-20000000(relu)-1(sigmoid)", "on batches of 32", "needs about", "-Xmx"), List.of(),
                List.of("out"), List.of()));
        // ---------------------------------------------------------------- outputs
        c.add(new Case("out-is-file", "--out names a file", d -> {
            moons(d);
            write(d, "file.txt", "x");
        }, "train --data {dir}/moons.csv --out {dir}/file.txt --save {dir}/m.nnkit", 2,
                List.of("--out", "file.txt", "a file, not a folder"), List.of("file.txt"), List.of("m.nnkit"), List.of("file.txt")));
        c.add(new Case("out-under-file", "--out inside a file", d -> {
            moons(d);
            write(d, "file.txt", "x");
        }, "train --data {dir}/moons.csv --out {dir}/file.txt/pictures", 2, List.of("file.txt is a file, not a folder"),
                List.of(), List.of(), List.of("file.txt")));
        c.add(new Case("out-read-only", "--out in a folder that cannot be written", CliCasesTest::moons,
                "train --data {dir}/moons.csv --out {readonly}/pictures --save {dir}/m.nnkit" + QUICK, 2,
                List.of("--out", "is not writable"), List.of(), List.of("m.nnkit"), List.of()));
        c.add(new Case("save-is-folder", "--save names a folder", d -> {
            moons(d);
            Files.createDirectory(d.resolve("models"));
        }, "train --data {dir}/moons.csv --save {dir}/models --out {dir}/out", 2,
                List.of("--save", "models", "it is a folder"), List.of("models"), List.of("out"), List.of()));
        c.add(new Case("save-under-file", "--save inside a file", d -> {
            moons(d);
            write(d, "file.txt", "x");
        }, "train --data {dir}/moons.csv --save {dir}/file.txt/m.nnkit --out {dir}/out", 2,
                List.of("--save", "file.txt is a file, not a folder"), List.of(), List.of("out"), List.of("file.txt")));
        c.add(new Case("save-read-only", "--save in a folder that cannot be written", CliCasesTest::moons,
                "train --data {dir}/moons.csv --save {readonly}/m.nnkit --out {dir}/out", 2,
                List.of("--save", "cannot write it", "is not writable"), List.of(), List.of("out"), List.of()));
        c.add(new Case("save-new-folder", "--save in a folder that does not exist yet", CliCasesTest::moons,
                "train --data {dir}/moons.csv --save {dir}/new/models/m.nnkit --out {dir}/out" + QUICK, 0,
                List.of("saved the trained network"), List.of("new/models/m.nnkit"), List.of(), List.of()));
        c.add(new Case("save-over-data", "--save names the training data", d -> Files.write(d.resolve("victim.csv"),
                moonLines(40)), "train --data {dir}/victim.csv --save {dir}/victim.csv --out {dir}/out" + QUICK, 2,
                List.of("--save", "would overwrite --data", "victim.csv"), List.of(), List.of("out"), List.of("victim.csv")));
        c.add(new Case("save-over-data-spelled", "--save names the data by another spelling", CliCasesTest::moons,
                "train --data {dir}/moons.csv --save {dir}/./out/../moons.csv --out {dir}/out" + QUICK, 2,
                List.of("would overwrite --data"), List.of(), List.of("out"), List.of("moons.csv")));
        c.add(new Case("save-over-chart", "--save is the cost chart train writes into --out", CliCasesTest::moons,
                "train --data {dir}/moons.csv --save {dir}/o/train_cost.png --out {dir}/o" + QUICK, 2,
                List.of("the cost chart", "--save", "train_cost.png", "the same path"), List.of(), List.of("o"), List.of()));
        c.add(new Case("save-is-out", "--save and --out the same path (a file and a folder)", CliCasesTest::moons,
                "train --data {dir}/moons.csv --save {dir}/o_x --out {dir}/o_x" + QUICK, 2,
                List.of("--out", "--save", "o_x", "the same path"), List.of(), List.of("o_x"), List.of()));
        c.add(new Case("predict-output-over-model", "predict --output names the model file", d -> {
            moons(d);
            model(d, "m.nnkit");
        }, "predict --model {dir}/m.nnkit --data {dir}/moons.csv --output {dir}/m.nnkit", 2,
                List.of("--output", "would overwrite --model", "m.nnkit"), List.of(), List.of(), List.of("m.nnkit")));
        c.add(new Case("predict-output-over-data", "predict --output names the data file", d -> {
            moons(d);
            model(d, "m.nnkit");
        }, "predict --model {dir}/m.nnkit --data {dir}/moons.csv --output {dir}/moons.csv", 2,
                List.of("--output", "would overwrite --data", "moons.csv"), List.of(), List.of(), List.of("moons.csv")));
        c.add(new Case("save-in-proc", "--save in a folder that exists but takes no files (/proc)", CliCasesTest::moons,
                "train --data {dir}/moons.csv --save /proc/m.nnkit --out {dir}/out" + QUICK, 2,
                List.of("--save /proc/m.nnkit", "cannot write it", "no file can be created in it"), List.of(), List.of("out"),
                List.of()));
        c.add(new Case("labels-with-csv", "--labels with CSV data", CliCasesTest::moons,
                "train --data {dir}/moons.csv --labels {dir}/moons.csv --out {dir}/out", 2,
                List.of("--labels is for IDX data only", "--label"), List.of(), List.of("out"), List.of()));
        c.add(new Case("optimizer-unknown-first", "an unknown optimizer and unreadable data: the optimizer is named first",
                d -> write(d, "n.csv", "x,y,label", "1,2,0", "1,oops,1"),
                "train --data {dir}/n.csv --optimizer adamw --out {dir}/out", 2, List.of("unknown optimizer 'adamw'"), List.of(),
                List.of("out"), List.of()));
        c.add(new Case("schedule-unknown-first", "an unknown schedule and unreadable data: the schedule is named first",
                d -> write(d, "n.csv", "x,y,label", "1,2,0", "1,oops,1"),
                "train --data {dir}/n.csv --schedule cosin(epochs=3) --out {dir}/out", 2, List.of("unknown schedule 'cosin'"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("planar-activation-unknown", "planar with an unknown activation: refused before training", d -> { },
                "planar --activation nope --out {dir}/out", 2, List.of("unknown activation 'nope'"), List.of(), List.of("out"),
                List.of()));
        c.add(new Case("fashion-fine-tune-too-many", "fashion --fine-tune-epochs not below --epochs", d -> { },
                "fashion --fine-tune-epochs 9 --epochs 8 --data {dir}/none --out {dir}/out", 2,
                List.of("--fine-tune-epochs 9 must be in [0, --epochs 8)"), List.of(), List.of("out"), List.of()));
        c.add(new Case("fashion-dtype-unknown", "fashion --dtype half: refused before the data is looked for", d -> { },
                "fashion --dtype half --data {dir}/none --out {dir}/out", 2, List.of("--dtype", "'half' is not known"),
                List.of(), List.of("out"), List.of()));
        c.add(new Case("diverged-nan", "a learning rate so large that the cost overflows", d -> {
            moons(d);
            model(d, "m.nnkit");
        }, "train --data {dir}/moons.csv --optimizer sgd(learning_rate=1e300) --layers 8 --save {dir}/m.nnkit --out {dir}/out",
                1, List.of("no model was saved", "training diverged", "sgd(learning_rate=1e300)"), List.of("m.nnkit"),
                List.of("out/train_cost.png"), List.of("m.nnkit")));
        c.add(new Case("diverged-adam", "adam(learning_rate=1e6): bounded steps, parameters run away", d -> {
            moons(d);
            model(d, "m.nnkit");
        }, "train --data {dir}/moons.csv --optimizer adam(learning_rate=1e6) --save {dir}/m.nnkit --out {dir}/out --epochs 30",
                1, List.of("training diverged", "root mean square grew", "adam(learning_rate=1e6)"), List.of("m.nnkit"),
                List.of("out/train_cost.png"), List.of("m.nnkit")));
        c.add(new Case("run-at-chance", "labels unrelated to the features: a warning names the optimizer", d -> {
            List<String> lines = new ArrayList<>(List.of("x,y,label"));
            Random r = new Random(3);
            for (int j = 0; j < 200; j++) {
                lines.add(String.format(Locale.ROOT, "%.3f,%.3f,%d", r.nextGaussian(), r.nextGaussian(), r.nextInt(2)));
            }
            write(d, "noise.csv", lines.toArray(String[]::new));
        }, "train --data {dir}/noise.csv --optimizer sgd(learning_rate=0.0001) --save {dir}/m.nnkit --out {dir}/out" + QUICK,
                0, List.of("warning:", "no better than always answering the most frequent class", "sgd(learning_rate=0.0001)"),
                List.of("m.nnkit"), List.of(), List.of()));
        c.add(new Case("run-did-not-learn", "a learning rate so small that the cost does not move: a warning", CliCasesTest::moons,
                "train --data {dir}/moons.csv --optimizer sgd(learning_rate=1e-9) --save {dir}/m.nnkit --out {dir}/out" + QUICK,
                0, List.of("warning:", "did not learn", "sgd(learning_rate=1e-9)"), List.of("m.nnkit"), List.of(), List.of()));
        c.add(new Case("regression-no-better-than-mean", "regression that learned nothing: training R^2 <= 0 is a warning",
                d -> {
                    List<String> lines = new ArrayList<>(List.of("x,target"));
                    Random r = new Random(5);
                    for (int j = 0; j < 100; j++) {
                        double x = r.nextGaussian();
                        lines.add(String.format(Locale.ROOT, "%.4f,%.4f", x, 50 + 3 * x + 0.1 * r.nextGaussian()));
                    }
                    write(d, "reg.csv", lines.toArray(String[]::new));
                }, "train --data {dir}/reg.csv --optimizer sgd(learning_rate=1e-7) --save {dir}/r.nnkit --out {dir}/out" + QUICK,
                0, List.of("warning:", "training R^2", "<= 0", "sgd(learning_rate=1e-7)"), List.of("r.nnkit"), List.of(),
                List.of()));
        // ---------------------------------------------------------------- predict and evaluate
        c.add(new Case("predict-model-missing", "predict --model names no file", CliCasesTest::moons,
                "predict --model {dir}/m.nnkit --data {dir}/moons.csv", 2, List.of("--model", "m.nnkit", "no such file"),
                List.of(), List.of(), List.of()));
        c.add(new Case("predict-not-a-model", "predict --model is a CSV file", CliCasesTest::moons,
                "predict --model {dir}/moons.csv --data {dir}/moons.csv", 2, List.of("moons.csv", "not an nnkit model file"),
                List.of(), List.of(), List.of()));
        c.add(new Case("predict-model-truncated", "predict --model is truncated", d -> {
            moons(d);
            model(d, "m.nnkit");
            byte[] all = Files.readAllBytes(d.resolve("m.nnkit"));
            Files.write(d.resolve("m.nnkit"), Arrays.copyOf(all, all.length / 2));
        }, "predict --model {dir}/m.nnkit --data {dir}/moons.csv", 2, List.of("m.nnkit", "at byte"), List.of(), List.of(),
                List.of()));
        c.add(new Case("predict-plugin-missing", "a model whose activation plugin is not on the class path", d -> {
            moons(d);
            model(d, "m.nnkit");
            byte[] all = Files.readAllBytes(d.resolve("m.nnkit"));
            String text = new String(all, StandardCharsets.ISO_8859_1).replace("\"tanh\"", "\"gelu\"");
            Files.write(d.resolve("m.nnkit"), reseal(text.getBytes(StandardCharsets.ISO_8859_1)));
        }, "predict --model {dir}/m.nnkit --data {dir}/moons.csv", 2,
                List.of("m.nnkit", "the model needs the activation 'gelu'", "no plugin on the class path provides"), List.of(),
                List.of(), List.of()));
        c.add(new Case("predict-feature-missing", "the data lacks a feature the model was trained on", d -> {
            model(d, "m.nnkit");
            write(d, "new.csv", "x,z", "1,2");
        }, "predict --model {dir}/m.nnkit --data {dir}/new.csv", 2, List.of("new.csv", "feature column 'y' is not in the header"),
                List.of(), List.of(), List.of()));
        c.add(new Case("predict-idx-wrong-size", "predict on IDX images of another size than the model's features", d -> {
            model(d, "m.nnkit");
            idx(d, 5, 5);
        }, "predict --model {dir}/m.nnkit --data {dir}/images.idx", 2, List.of("images.idx", "4 values", "takes 2 features"),
                List.of(), List.of(), List.of()));
        c.add(new Case("predict-output-folder", "predict --output names a folder", d -> {
            moons(d);
            model(d, "m.nnkit");
            Files.createDirectory(d.resolve("preds"));
        }, "predict --model {dir}/m.nnkit --data {dir}/moons.csv --output {dir}/preds", 2,
                List.of("--output", "preds", "it is a folder"), List.of(), List.of(), List.of()));
        c.add(new Case("predict-output-folder-name", "predict --output a folder: the example is a predictions file", d -> {
            moons(d);
            model(d, "m.nnkit");
            Files.createDirectory(d.resolve("adir"));
        }, "predict --model {dir}/m.nnkit --data {dir}/moons.csv --output {dir}/adir", 2,
                List.of("it is a folder", "adir/predictions.csv"), List.of(), List.of(), List.of()));
        c.add(new Case("predict-json-config", "predict --model is a JSON network config", d -> {
            moons(d);
            write(d, "net.json", "{\"format\": \"nnkit-network\", \"version\": 1}");
        }, "predict --model {dir}/net.json --data {dir}/moons.csv", 2,
                List.of("net.json is a JSON network config, not a trained model", "train --config"), List.of(), List.of(),
                List.of()));
        c.add(new Case("predict-semicolons", "predict on a ';'-separated file without --delimiter", d -> {
            model(d, "m.nnkit");
            write(d, "semi.csv", "x;y", "45;-7", "50;-6.8");
        }, "predict --model {dir}/m.nnkit --data {dir}/semi.csv", 2,
                List.of("semi.csv", "the delimiter is ','", "--delimiter"), List.of(), List.of(), List.of()));
        c.add(new Case("predict-headerless", "predict on a file without a header, its columns the model's features in order",
                d -> {
                    model(d, "m.nnkit");
                    write(d, "raw.csv", "45,-7", "50,-6.8", "38,-7.2");
                }, "predict --model {dir}/m.nnkit --data {dir}/raw.csv --output {dir}/p.csv", 0,
                List.of("has no header line", "taken as the model's features [x, y]", "wrote 3 predictions"), List.of("p.csv"),
                List.of(), List.of()));
        c.add(new Case("predict-headerless-columns", "predict on a file without a header and another number of columns",
                d -> {
                    model(d, "m.nnkit");
                    write(d, "raw.csv", "45,-7,1", "50,-6.8,0");
                }, "predict --model {dir}/m.nnkit --data {dir}/raw.csv", 2,
                List.of("raw.csv has no header line", "[x, y]", "exactly 2 columns", "it has 3", "--ignore"), List.of(),
                List.of(), List.of()));
        c.add(new Case("predict-no-pipeline-label-column", "predict, a model without a pipeline, a CSV with its label column",
                d -> {
                    moons(d);
                    Network net = Network.builder(2).activation("tanh").initializer("xavier_normal").dense(4)
                            .dense(1, "sigmoid").loss("binary_cross_entropy").build();
                    ModelFile.save(net, d.resolve("old.nnkit"));
                    write(d, "xyl.csv", "x,y,label", "0.5,0.25,1");
                }, "predict --model {dir}/old.nnkit --data {dir}/xyl.csv", 2,
                List.of("xyl.csv has 3 columns", "takes 2 inputs", "--ignore"), List.of(), List.of(), List.of()));
        c.add(new Case("predict-no-pipeline-ignore", "... and with --ignore label", d -> {
            Network net = Network.builder(2).activation("tanh").initializer("xavier_normal").dense(4)
                    .dense(1, "sigmoid").loss("binary_cross_entropy").build();
            ModelFile.save(net, d.resolve("old.nnkit"));
            write(d, "xyl.csv", "x,y,label", "0.5,0.25,1");
        }, "predict --model {dir}/old.nnkit --data {dir}/xyl.csv --ignore label", 0, List.of("holds no pipeline", "output 1"),
                List.of(), List.of(), List.of()));
        c.add(new Case("predict-ok", "predict from raw features into a file", d -> {
            moons(d);
            model(d, "m.nnkit");
        }, "predict --model {dir}/m.nnkit --data {dir}/moons.csv --output {dir}/p.csv", 0, List.of("wrote 40 predictions"),
                List.of("p.csv"), List.of(), List.of("m.nnkit")));
        c.add(new Case("predict-float32", "predict with a float32 model (its file says so; no flag)", d -> {
            moons(d);
            model(d, "m32.nnkit", dev.nnkit.Dtype.FLOAT32);
        }, "predict --model {dir}/m32.nnkit --data {dir}/moons.csv --output {dir}/p.csv", 0, List.of("wrote 40 predictions"),
                List.of("p.csv"), List.of(), List.of("m32.nnkit")));
        c.add(new Case("predict-no-pipeline", "predict with a model saved without a pipeline warns", d -> {
            moons(d);
            Network net = Network.builder(2).activation("tanh").initializer("xavier_normal").dense(4).dense(1, "sigmoid")
                    .loss("binary_cross_entropy").build();
            ModelFile.save(net, d.resolve("old.nnkit"));
            write(d, "xy.csv", "x,y", "0.5,0.25");
        }, "predict --model {dir}/old.nnkit --data {dir}/xy.csv", 0, List.of("warning:", "holds no pipeline", "output 1"),
                List.of(), List.of(), List.of()));
        c.add(new Case("evaluate-no-pipeline", "evaluate with a model saved without a pipeline", d -> {
            moons(d);
            Network net = Network.builder(2).activation("tanh").initializer("xavier_normal").dense(4).dense(1, "sigmoid")
                    .loss("binary_cross_entropy").build();
            ModelFile.save(net, d.resolve("old.nnkit"));
        }, "evaluate --model {dir}/old.nnkit --data {dir}/moons.csv", 2, List.of("old.nnkit", "holds no pipeline"), List.of(),
                List.of(), List.of()));
        c.add(new Case("evaluate-unknown-class", "evaluate on a class the model does not know", d -> {
            model(d, "m.nnkit");
            write(d, "t.csv", "x,y,color", "1,2,red", "2,1,green");
        }, "evaluate --model {dir}/m.nnkit --data {dir}/t.csv", 2, List.of("t.csv", "line 3", "\"green\" is not one of"),
                List.of(), List.of(), List.of()));
        c.add(new Case("evaluate-ok", "evaluate prints accuracy, per-class scores and the confusion matrix", d -> {
            moons(d);
            model(d, "m.nnkit");
        }, "evaluate --model {dir}/m.nnkit --data {dir}/moons.csv", 0,
                List.of("accuracy", "precision", "recall", "F1", "confusion matrix"), List.of(), List.of(), List.of()));
        // ---------------------------------------------------------------- the command line itself
        c.add(new Case("command-unknown", "a command that does not exist", d -> { }, "predictt", 2, List.of("predictt"),
                List.of(), List.of(), List.of()));
        c.add(new Case("option-unknown", "an option that does not exist", CliCasesTest::moons,
                "train --data {dir}/moons.csv --epoch 3", 2, List.of("--epoch"), List.of(), List.of(), List.of()));
        return c;
    }

    static Stream<Case> table() {
        return cases().stream();
    }

    // ---------------------------------------------------------------- running a case

    /** What one run printed and returned. */
    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** {@link Main#run} with standard output, error and input of its own. */
    static Result runCli(byte[] stdin, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin));
            status = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
        return new Result(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static void assertNoStackTrace(Result r) {
        for (String text : List.of(r.out(), r.err())) {
            assertFalse(text.contains("\tat ") || text.contains("Exception in thread") || text.matches("(?s).*\\w+(Exception|Error): .*"),
                    "a stack trace or an exception's class name: " + r);
        }
    }

    private static Path readOnlyFolder(Path dir) throws IOException {
        Path folder = Files.createDirectory(dir.resolve("locked"));
        folder.toFile().setWritable(false, false);
        if (CliFiles.probeWrite(folder) == null) {
            // an administrator's account writes anywhere; a read-only file system does not yield to it
            folder = Path.of("/sys");
            Assumptions.assumeTrue(Files.isDirectory(folder) && CliFiles.probeWrite(folder) != null,
                    "no folder that this account cannot write into");
        }
        return folder;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void everyCaseIsCleanAndLosesNothing(Case c, @TempDir Path dir) throws Exception {
        c.fixture().make(dir);
        Map<String, byte[]> before = new HashMap<>();
        for (String f : c.unchanged()) {
            before.put(f, Files.readAllBytes(dir.resolve(f)));
        }
        String command = c.command().replace("{dir}", dir.toString());
        if (command.contains("{readonly}")) {
            command = command.replace("{readonly}", readOnlyFolder(dir).toString());
        }
        byte[] stdin = c.command().contains("--data -") ? Files.readAllBytes(moonsFile(dir)) : new byte[0];
        Result r = runCli(stdin, command.split(" "));
        assertEquals(c.exit(), r.status(), r.toString());
        assertNoStackTrace(r);
        String message = c.exit() == 0 ? r.out() + r.err() : r.err();
        for (String word : c.words()) {
            assertTrue(message.contains(word), "'" + word + "' missing: " + r);
        }
        if (c.exit() == 2 && !c.id().startsWith("command-") && !c.id().startsWith("option-")) {
            assertTrue(r.err().lines().filter(l -> !l.startsWith("Try '")).count() <= 1, "more than one line: " + r);
        }
        for (String f : c.exist()) {
            assertTrue(Files.exists(dir.resolve(f)), f + " does not exist: " + r);
        }
        for (String f : c.absent()) {
            assertFalse(Files.exists(dir.resolve(f)), f + " exists: " + r);
        }
        for (String f : c.unchanged()) {
            assertArrayEquals(before.get(f), Files.readAllBytes(dir.resolve(f)), f + " changed: " + r);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> temporary = files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(List.of(), temporary, "temporary files left: " + r);
        }
    }

    @Test
    void debugShowsTheStackTrace(@TempDir Path dir) {
        Result r = runCli(new byte[0], "train", "--data", dir.resolve("nope.csv").toString(), "--debug", "--out",
                dir.resolve("out").toString());
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("\tat "), r.toString());
        assertTrue(r.err().contains("cannot read it: no such file"), r.toString());
    }

    @Test
    void theModelIsSavedBeforeAnyMetricIsComputed(@TempDir Path dir) throws IOException {
        moons(dir);
        Result r = runCli(new byte[0], ("train --data " + dir + "/moons.csv --save " + dir + "/m.nnkit --out " + dir + "/out"
                + QUICK).split(" "));
        assertEquals(0, r.status(), r.toString());
        int saved = r.out().indexOf("saved the trained network");
        int table = r.out().indexOf("cost J");
        assertTrue(saved >= 0 && table > saved, "the save is reported before the metrics table: " + r);
    }

    @Test
    void standardOutputThatCannotBeWrittenFailsTheRun(@TempDir Path dir) throws IOException {
        moons(dir);
        model(dir, "m.nnkit");
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status;
        try {
            // a stream that fails every write, as a full disk or a closed pipe does
            System.setOut(new PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("No space left on device");
                }
            }, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            status = Main.run("predict", "--model", dir.resolve("m.nnkit").toString(), "--data", dir.resolve("moons.csv").toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String message = e.toString(StandardCharsets.UTF_8);
        assertEquals(1, status, message);
        assertTrue(message.contains("standard output could not be written"), message);
        assertEquals(1, message.lines().count(), message);
    }

    // ---------------------------------------------------------------- the table in RELIABILITY.md

    static final String BEGIN = "<!-- cli-cases: generated by CliCasesTest, do not edit by hand -->";
    static final String END = "<!-- end of cli-cases -->";

    static String markdown() {
        StringBuilder out = new StringBuilder(BEGIN).append('\n');
        out.append("| # | case | command | exit | the message says | on disk afterwards |\n");
        out.append("|---|---|---|---|---|---|\n");
        int n = 0;
        for (Case c : cases()) {
            List<String> disk = new ArrayList<>();
            c.exist().forEach(f -> disk.add("`" + f + "` exists"));
            c.absent().forEach(f -> disk.add("no `" + f + "`"));
            c.unchanged().forEach(f -> disk.add("`" + f + "` unchanged"));
            disk.add("no temporary file");
            out.append("| ").append(++n).append(" | ").append(c.what().replace("|", "\\|")).append(" | `")
                    .append(c.command().replace("{dir}/", "").replace("{readonly}", "<read-only>")).append("` | ")
                    .append(c.exit()).append(" | ")
                    .append(String.join(" · ", c.words().stream().map(w -> "`" + w.replace("|", "\\|").replace("`", "'") + "`").toList()))
                    .append(" | ").append(String.join(", ", disk)).append(" |\n");
        }
        return out.append(END).toString();
    }

    @Test
    void theReliabilityTableIsTheTableOfThisTest() throws IOException {
        Path file = Path.of(System.getProperty("user.dir")).resolve("../RELIABILITY.md").normalize();
        String text = Files.readString(file);
        int from = text.indexOf(BEGIN);
        int to = text.indexOf(END);
        String generated = markdown();
        if (Boolean.getBoolean("nnkit.regenerate")) {
            text = from >= 0 && to > from ? text.substring(0, from) + generated + text.substring(to + END.length())
                    : text + "\n" + generated + "\n";
            Files.writeString(file, text);
            return;
        }
        assertTrue(from >= 0 && to > from, "RELIABILITY.md has no generated table; run this test with -Dnnkit.regenerate=true");
        assertEquals(generated, text.substring(from, to + END.length()),
                "RELIABILITY.md's table differs from the cases; run this test with -Dnnkit.regenerate=true");
    }

    // ---------------------------------------------------------------- fixtures

    static void write(Path d, String name, String... lines) throws IOException {
        Files.writeString(d.resolve(name), lines.length == 0 ? "" : String.join("\n", lines) + "\n");
    }

    /** Two interleaved half-moons, 200 examples, features x and y on unequal scales, labels red/blue. */
    static List<String> moonLines(int m) {
        List<String> lines = new ArrayList<>(List.of("x,y,color"));
        Random r = new Random(7);
        for (int j = 0; j < m; j++) {
            double t = Math.PI * r.nextDouble();
            boolean red = j % 2 == 0;
            double x = red ? Math.cos(t) : 1 - Math.cos(t);
            double y = red ? Math.sin(t) : 0.5 - Math.sin(t);
            lines.add(String.format(Locale.ROOT, "%.4f,%.4f,%s", 40 + 10 * (x + 0.1 * r.nextGaussian()),
                    -7 + 0.3 * (y + 0.1 * r.nextGaussian()), red ? "red" : "blue"));
        }
        return lines;
    }

    private static Path moonsFile(Path d) throws IOException {
        Path file = d.resolve("stdin-moons.csv");
        Files.write(file, moonLines(200));
        return file;
    }

    static void moons(Path d) throws IOException {
        Files.write(d.resolve("moons.csv"), moonLines(40));
    }

    /** 30 lines of 0/1 labels, then one {@code stray} label. */
    static void binary(Path d, String stray) throws IOException {
        List<String> lines = new ArrayList<>(List.of("x,label"));
        for (int j = 0; j < 30; j++) {
            lines.add(j + "," + (j % 2));
        }
        lines.add("31," + stray);
        write(d, "b.csv", lines.toArray(String[]::new));
    }

    /** An IDX images file of {@code items} 2x2 images and a labels file of {@code labels} labels 0/1. */
    static void idx(Path d, int items, int labels) throws IOException {
        java.nio.ByteBuffer images = java.nio.ByteBuffer.allocate(16 + 4 * items);
        images.putInt(0x00000803).putInt(items).putInt(2).putInt(2);
        for (int k = 0; k < 4 * items; k++) {
            images.put((byte) (k * 37));
        }
        Files.write(d.resolve("images.idx"), images.array());
        java.nio.ByteBuffer y = java.nio.ByteBuffer.allocate(8 + labels);
        y.putInt(0x00000801).putInt(labels);
        for (int k = 0; k < labels; k++) {
            y.put((byte) (k % 2));
        }
        Files.write(d.resolve("labels.idx"), y.array());
    }

    /** A named pipe at {@code name} that a thread fills with the moons once it is opened, as {@code <(...)} does. */
    static void fifo(Path d, String name, List<String> lines) throws Exception {
        Path pipe = d.resolve(name);
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available");
        byte[] bytes = String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8);
        Thread writer = new Thread(() -> {
            try {
                Files.write(pipe, bytes);
            } catch (IOException e) {
                // the reader went away; the case's assertions report it
            }
        });
        writer.setDaemon(true);
        writer.start();
    }

    /** A trained-looking model of the moons: 2-4(tanh)-1(sigmoid), features x and y standardized, classes blue/red. */
    static void model(Path d, String name) throws IOException {
        model(d, name, dev.nnkit.Dtype.FLOAT64);
    }

    /** {@link #model(Path, String)} computing in {@code dtype}. */
    static void model(Path d, String name, dev.nnkit.Dtype dtype) throws IOException {
        Network net = Network.builder(2).activation("tanh").initializer("xavier_normal").dense(4).dense(1, "sigmoid")
                .loss("binary_cross_entropy").seed(2).dtype(dtype).build();
        Pipeline pipeline = Pipeline.classification(List.of("x", "y"),
                Standardizer.of(new double[] {45, -7}, new double[] {5, 0.3}), "color", List.of("blue", "red"));
        ModelFile.save(net, pipeline, d.resolve(name));
    }

    /** The bytes with the trailing SHA-256 recomputed. */
    static byte[] reseal(byte[] file) throws Exception {
        byte[] out = file.clone();
        byte[] sum = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(out, out.length - 32));
        System.arraycopy(sum, 0, out, out.length - 32, 32);
        return out;
    }
}
