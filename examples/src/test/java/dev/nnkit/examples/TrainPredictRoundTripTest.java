package dev.nnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.data.Pipeline;
import dev.nnkit.io.formats.CsvReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * train, save, then predict and evaluate in a new JVM on the raw CSV: the predictions are, bit for
 * bit, the training run's own, and the saved model scores on raw features what it scored in
 * training (the model carries its standardization, feature order and class names).
 */
class TrainPredictRoundTripTest {

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** {@code java -cp <this test's class path> Main <args>} in a new JVM. */
    private Result fork(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-Dpicocli.ansi=false", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("fork-out.txt");
        Path err = dir.resolve("fork-err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the forked JVM did not finish in 120 s");
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void aSavedModelPredictsInANewJvmExactlyAsInItsTrainingRun() throws Exception {
        Path data = dir.resolve("moons.csv");
        Files.write(data, CliCasesTest.moonLines(300));
        Path model = dir.resolve("moons.nnkit");
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--data", data.toString(), "--layers", "16,8", "--epochs", "40", "--save",
                model.toString(), "--out", dir.resolve("out").toString(), "--no-progress");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        TrainCommand.Run run = TrainCommand.run(command.setup(), new PrintStream(console, true, StandardCharsets.UTF_8));
        assertTrue(run.test().accuracy() > 0.95, "the run learned the moons: " + run.test().accuracy());

        // the training run's own predictions on every raw example, standardized here by hand with the mean and
        // (population) deviation of the raw training part, which is what train must have used and saved
        DMatrixRMaj raw = CsvReader.defaults().withLabelColumns("color").withLabelEncoding(CsvReader.LabelEncoding.ONE_HOT).read(data).data()
                .features();
        DMatrixRMaj rawTrain = run.rawTrain().features();
        DMatrixRMaj standardized = new DMatrixRMaj(raw.numRows, raw.numCols);
        for (int i = 0; i < raw.numRows; i++) {
            double mean = 0;
            for (int j = 0; j < rawTrain.numCols; j++) {
                mean += rawTrain.get(i, j);
            }
            mean /= rawTrain.numCols;
            double squares = 0;
            for (int j = 0; j < rawTrain.numCols; j++) {
                squares += (rawTrain.get(i, j) - mean) * (rawTrain.get(i, j) - mean);
            }
            double deviation = Math.sqrt(squares / rawTrain.numCols);
            for (int j = 0; j < raw.numCols; j++) {
                standardized.set(i, j, (raw.get(i, j) - mean) / deviation);
            }
        }
        DMatrixRMaj inTraining = run.model().predict(standardized);
        Pipeline.Predictions viaPipeline = run.pipeline().decode(run.model().predict(run.pipeline().transform(raw)));
        for (int j = 0; j < raw.numCols; j++) {
            assertEquals(inTraining.get(0, j), viaPipeline.probabilities().get(1, j), 1e-12, "example " + j);
        }

        Path predictions = dir.resolve("predictions.csv");
        Result predicted = fork("predict", "--model", model.toString(), "--data", data.toString(), "--output",
                predictions.toString());
        assertEquals(0, predicted.status(), predicted.toString());
        List<String> lines = Files.readAllLines(predictions);
        assertEquals("color,p(blue),p(red)", lines.get(0));
        assertEquals(raw.numCols + 1, lines.size());
        int right = 0;
        List<String> truth = Files.readAllLines(data);
        for (int j = 0; j < raw.numCols; j++) {
            String[] cells = lines.get(j + 1).split(",");
            assertEquals(viaPipeline.label(j), cells[0], "example " + j);
            assertEquals(viaPipeline.probabilities().get(0, j), Double.parseDouble(cells[1]), 0.0, "example " + j);
            assertEquals(viaPipeline.probabilities().get(1, j), Double.parseDouble(cells[2]), 0.0, "example " + j);
            right += truth.get(j + 1).endsWith("," + cells[0]) ? 1 : 0;
        }
        double accuracy = right / (double) raw.numCols;
        assertTrue(accuracy > 0.95, "the saved model on raw features: " + accuracy);

        Result evaluated = fork("evaluate", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, evaluated.status(), evaluated.toString());
        assertTrue(evaluated.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.2f %% (%d of %d)",
                100 * accuracy, right, raw.numCols)), evaluated.toString());
    }

    @Test
    void aFloat32ModelSavedByTrainRecordsItsDtypeAndPredictsInANewJvmExactlyAsInItsTrainingRun() throws Exception {
        Path data = dir.resolve("moons.csv");
        Files.write(data, CliCasesTest.moonLines(300));
        Path model = dir.resolve("moons32.nnkit");
        TrainCommand command = new TrainCommand();
        new CommandLine(command).parseArgs("--data", data.toString(), "--layers", "16,8", "--epochs", "40", "--dtype",
                "float32", "--save", model.toString(), "--out", dir.resolve("out").toString(), "--no-progress");
        TrainCommand.Run run = TrainCommand.run(command.setup(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertTrue(run.test().accuracy() > 0.95, "the float32 run learned the moons: " + run.test().accuracy());

        dev.nnkit.io.ModelFile.Contents loaded = dev.nnkit.io.ModelFile.load(model);
        assertEquals(dev.nnkit.Dtype.FLOAT32, loaded.network().dtype());
        DMatrixRMaj raw = CsvReader.defaults().withLabelColumns("color").withLabelEncoding(CsvReader.LabelEncoding.ONE_HOT)
                .read(data).data().features();
        DMatrixRMaj x = run.pipeline().transform(raw);
        DMatrixRMaj inTraining = run.model().predict(x);
        DMatrixRMaj fromFile = loaded.network().predict(loaded.pipeline().orElseThrow().transform(raw));
        for (int j = 0; j < raw.numCols; j++) {
            assertEquals(inTraining.get(0, j), fromFile.get(0, j), 0.0, "example " + j + ", the loaded model in this JVM");
            assertEquals(inTraining.get(0, j), (double) (float) inTraining.get(0, j), 0.0, "a float output, example " + j);
        }

        Path predictions = dir.resolve("predictions32.csv");
        Result predicted = fork("predict", "--model", model.toString(), "--data", data.toString(), "--output",
                predictions.toString());
        assertEquals(0, predicted.status(), predicted.toString());
        Pipeline.Predictions expected = run.pipeline().decode(inTraining);
        List<String> lines = Files.readAllLines(predictions);
        assertEquals(raw.numCols + 1, lines.size());
        for (int j = 0; j < raw.numCols; j++) {
            String[] cells = lines.get(j + 1).split(",");
            assertEquals(expected.label(j), cells[0], "example " + j);
            assertEquals(expected.probabilities().get(0, j), Double.parseDouble(cells[1]), 0.0, "example " + j);
            assertEquals(expected.probabilities().get(1, j), Double.parseDouble(cells[2]), 0.0, "example " + j);
        }
    }

    @Test
    void processSubstitutionAndStandardInputWorkInANewJvm() throws Exception {
        Path model = dir.resolve("m.nnkit");
        CliCasesTest.model(dir, "m.nnkit");
        Path data = dir.resolve("moons.csv");
        Files.write(data, CliCasesTest.moonLines(20));
        List<String> command = new ArrayList<>(List.of("bash", "-c", "\"$0\" -cp \"$1\" "
                + Main.class.getName() + " predict --model \"$2\" --data <(cat \"$3\") && \"$0\" -cp \"$1\" "
                + Main.class.getName() + " predict --model \"$2\" --data - < \"$3\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"), model.toString(), data.toString()));
        Process process = new ProcessBuilder(command).redirectOutput(dir.resolve("o.txt").toFile())
                .redirectError(dir.resolve("e.txt").toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        String out = Files.readString(dir.resolve("o.txt"));
        assertEquals(0, process.exitValue(), out + Files.readString(dir.resolve("e.txt")));
        List<String> lines = out.lines().toList();
        assertEquals(2 * 21, lines.size(), out);
        assertEquals(lines.subList(0, 21), lines.subList(21, 42), "the same predictions through a pipe and standard input");
    }
}
