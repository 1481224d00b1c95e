package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nnkit.io.DataFileException;
import dev.nnkit.io.ModelFile;
import dev.nnkit.io.NetworkConfigs;
import dev.nnkit.io.formats.CsvReader;
import dev.nnkit.io.formats.IdxReader;
import dev.nnkit.spi.PluginException;
import dev.nnkit.spi.PluginSpec;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzz targets for every reader of untrusted input: model files, JSON configs,
 * spec strings, IDX and CSV files. Each input may only be accepted or refused with the reader's
 * documented exception, with a message. In a normal build each target runs its saved inputs as a
 * regression test (the seeded mutation fuzzing of {@link FuzzTest} runs too); to fuzz, run one
 * target at a time, e.g.
 * {@code JAZZER_FUZZ=1 mvn -pl core test -Dtest=FuzzTargets#jsonConfig}.
 */
class FuzzTargets {

    private static void refusedWithAMessage(Exception e) {
        assertNotNull(e.getMessage(), e.getClass().getName() + " without a message");
        assertFalse(e.getMessage().isBlank(), e.getClass().getName() + " with a blank message");
    }

    private static Path write(byte[] input, String suffix) throws IOException {
        Path file = Files.createTempFile("nnkit-fuzz", suffix);
        Files.write(file, input);
        return file;
    }

    @FuzzTest(maxDuration = "60s")
    void modelFile(byte[] input) throws IOException {
        Path file = write(input, ".nnkit");
        try {
            ModelFile.load(file, ModelFixtures.registry());
        } catch (DataFileException | PluginException e) {
            refusedWithAMessage(e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void jsonConfig(byte[] input) throws IOException {
        try {
            NetworkConfigs.fromJson(new StringReader(new String(input, StandardCharsets.UTF_8)), "fuzz.json",
                    ModelFixtures.registry());
        } catch (DataFileException | PluginException e) {
            refusedWithAMessage(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void specString(byte[] input) {
        try {
            PluginSpec.parse(new String(input, StandardCharsets.UTF_8));
        } catch (PluginException e) {
            refusedWithAMessage(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void idxFile(byte[] input) throws IOException {
        Path file = write(input, ".idx");
        try {
            IdxReader.defaults().read(file, 0);
        } catch (DataFileException e) {
            refusedWithAMessage(e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void csvFile(byte[] input) throws IOException {
        try {
            CsvReader.defaults().read(new StringReader(new String(input, StandardCharsets.UTF_8)), "fuzz.csv");
        } catch (DataFileException e) {
            refusedWithAMessage(e);
        }
    }
}
