package dev.nnkit.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --out}: the folder a command writes its pictures into, {@code out/<command>} by default.
 * The command line ({@link Main}) calls {@link #check()} before the command starts its work, so
 * that a folder it could not write into is refused at once, with one message, rather than after
 * minutes of training; the folder itself is created when the first picture is written
 * ({@link Plots#save}).
 */
final class OutputOptions {

    @Option(names = "--out", defaultValue = "out/${COMMAND-NAME}",
            description = "Folder for the PNG files, created if absent (default: ${DEFAULT-VALUE}).")
    Path out;

    /** The option as picocli fills it. */
    OutputOptions() {
    }

    /** The option set to {@code out}, for a command run from code. */
    OutputOptions(Path out) {
        this.out = out;
    }

    /**
     * Refuses a {@code --out} that cannot become the output folder: it, or the nearest part of its
     * path that exists, is not a folder, or that folder is not writable (tried by creating and
     * deleting a file there, which also catches read-only file systems and an administrator's
     * account, for which the permission bits say nothing).
     *
     * @throws IllegalArgumentException {@code --out <path>: <why>}, reported by the command line
     *                                  like any refused setting (exit code 2)
     */
    void check() {
        Path folder = out.toAbsolutePath().normalize();
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        String problem = null;
        if (existing == null) {
            problem = "no part of the path exists";
        } else if (!Files.isDirectory(existing)) {
            problem = (existing.equals(folder) ? "it is" : existing + " is") + " a file, not a folder";
        } else {
            String reason = CliFiles.probeWrite(existing);
            if (reason != null) {
                problem = (existing.equals(folder) ? "the folder" : "the folder " + existing + ", where it would be created,")
                        + " is not writable (" + reason + ")";
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("--out " + out + ": cannot write the pictures there: " + problem);
        }
    }

    /** The file {@code name} in the {@code --out} folder. */
    Path file(String name) {
        return out.resolve(name);
    }
}
