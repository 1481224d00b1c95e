package dev.nnkit.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The command line's file checks and messages: every input checked before it is read and every
 * output before the work starts, and every file error as {@code <option> <path>: cannot <read or
 * write> it: <the reason>}.
 */
final class CliFiles {

    /** The copies {@link #readable} made of pipes and standard input, and the names the user gave them. */
    private static final java.util.Map<Path, String> COPIES = new java.util.concurrent.ConcurrentHashMap<>();

    private CliFiles() {
    }

    /** The name the user gave a file: the pipe or {@code -} for a copy {@link #readable} made, else the path. */
    static String displayName(Path file) {
        return COPIES.getOrDefault(file, file.toString());
    }

    /**
     * Refuses an input that cannot be read: missing, a folder, or not readable.
     *
     * @throws IllegalArgumentException {@code --data /x.csv: cannot read it: no such file}
     */
    static void requireReadable(Path file, String option) {
        String problem = null;
        if (!Files.exists(file)) {
            Path parent = file.toAbsolutePath().getParent();
            problem = parent != null && !Files.isDirectory(parent) ? "no such folder " + parent : "no such file";
        } else if (Files.isDirectory(file)) {
            problem = "it is a folder, not a file";
        } else if (!Files.isReadable(file)) {
            problem = "permission denied";
        }
        if (problem != null) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it: " + problem);
        }
    }

    /**
     * Refuses an output file that could not be written: it is a folder, or it is an existing file
     * that is not writable, or the nearest existing folder of its path is a file or not writable.
     * The missing folders are created when the file is written.
     *
     * @throws IllegalArgumentException {@code --save /x/m.nnkit: cannot write it: <why>}
     */
    static void requireWritable(Path file, String option) {
        requireWritable(file, option, "model.nnkit");
    }

    /**
     * As {@link #requireWritable(Path, String)}; a folder given for the file is answered with the
     * example {@code folder/<example>}, e.g. {@code predictions.csv} for predictions.
     */
    static void requireWritable(Path file, String option, String example) {
        Path target = file.toAbsolutePath().normalize();
        String problem = null;
        if (Files.isDirectory(target)) {
            problem = "it is a folder; give a file name, e.g. " + target.resolve(example);
        } else if (Files.exists(target) && !Files.isWritable(target)) {
            problem = "the file exists and is not writable";
        } else {
            Path existing = target.getParent();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                problem = "no part of its folder exists";
            } else if (!Files.isDirectory(existing)) {
                problem = existing + " is a file, not a folder";
            } else {
                String reason = probeWrite(existing);
                if (reason != null) {
                    problem = "the folder " + existing + " is not writable (" + reason + ")";
                }
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException(option + " " + file + ": cannot write it: " + problem);
        }
    }

    /**
     * Refuses outputs that would overwrite one of the inputs or each other, before any work: two
     * paths are the same when their normalized absolute paths are equal or, when both exist,
     * {@link Files#isSameFile} says so (a link, another spelling). An output folder (its name
     * starting with {@code --out}) is also refused when another output or an input is that folder.
     *
     * @param outputs what the command will write, as {@code option or description -> path}, in order
     * @param inputs  what it reads, as {@code option -> path}; {@code null} paths are skipped
     * @throws IllegalArgumentException {@code --output x.csv would overwrite --data x.csv: give another path}
     */
    static void requireDistinct(java.util.Map<String, Path> outputs, java.util.Map<String, Path> inputs) {
        java.util.List<java.util.Map.Entry<String, Path>> seen = new java.util.ArrayList<>();
        for (java.util.Map.Entry<String, Path> output : outputs.entrySet()) {
            if (output.getValue() == null) {
                continue;
            }
            for (java.util.Map.Entry<String, Path> input : inputs.entrySet()) {
                if (input.getValue() != null && same(output.getValue(), input.getValue())) {
                    throw new IllegalArgumentException(output.getKey() + " " + output.getValue() + " would overwrite "
                            + input.getKey() + " " + input.getValue() + ": give another path");
                }
            }
            for (java.util.Map.Entry<String, Path> earlier : seen) {
                if (same(output.getValue(), earlier.getValue())) {
                    throw new IllegalArgumentException(output.getKey() + " " + output.getValue() + " and "
                            + earlier.getKey() + " " + earlier.getValue() + " are the same path; one would be written "
                            + "over the other: give them different paths");
                }
            }
            seen.add(output);
        }
    }

    /** Whether two paths name the same file: equal normalized absolute paths, or the same existing file. */
    static boolean same(Path a, Path b) {
        Path x = a.toAbsolutePath().normalize();
        Path y = b.toAbsolutePath().normalize();
        if (x.equals(y)) {
            return true;
        }
        try {
            return Files.exists(x) && Files.exists(y) && Files.isSameFile(x, y);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** A PNG of {@code image}, written atomically (never a half-written picture). */
    static void writePng(java.awt.image.BufferedImage image, Path file) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        if (!javax.imageio.ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer available");
        }
        writeAtomically(file, bytes.toByteArray());
    }

    /**
     * Whether a file can be created in {@code folder}, tried by creating and deleting an empty one:
     * {@code null} when it can, else the operating system's reason.
     */
    static String probeWrite(Path folder) {
        try {
            Path probe = Files.createTempFile(folder, ".nnkit-probe-", ".tmp");
            Files.deleteIfExists(probe);
            return null;
        } catch (NoSuchFileException e) {
            // the folder exists (the callers found it), yet a file in it "does not exist": /proc, /sys
            return "no file can be created in it (a special file system?)";
        } catch (IOException e) {
            return reason(e);
        } catch (SecurityException e) {
            return "permission denied";
        }
    }

    /** The operating system's reason for an I/O failure, in a few words. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "a part of the path is not a folder";
        }
        if (e instanceof CharacterCodingException) {
            return "it is not UTF-8 text (a binary file?)";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().replace("Is a directory", "it is a folder").replace("No space left on device",
                    "no space left on the device");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * A failure to read or write, named by the path and the operation: {@code cannot write
     * /x/m.nnkit: no space left on the device}. A {@link FileSystemException} whose message already
     * starts with its file (as the model file's do) is used as it is.
     */
    static String describe(IOException e, String operation, Path fallback) {
        if (e instanceof FileSystemException f && f.getFile() != null && f.getReason() != null
                && f.getReason().startsWith("cannot ")) {
            return f.getFile() + ": " + f.getReason();
        }
        if (e.getCause() instanceof IOException io && !(e instanceof FileSystemException)) {
            e = io;
        }
        String file = e instanceof FileSystemException f && f.getFile() != null ? f.getFile()
                : fallback == null ? "a file" : fallback.toString();
        return "cannot " + operation + " " + file + ": " + reason(e);
    }

    /**
     * The file itself when it is a regular file; otherwise (a pipe such as {@code <(...)}, a device,
     * {@code -} for standard input) its bytes copied once into a temporary file, deleted when the
     * JVM exits, so that it can be looked at and read as often as the readers need.
     */
    static Path readable(Path file, String option) throws IOException {
        boolean stdin = file.toString().equals("-");
        if (!stdin) {
            requireReadable(file, option);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        String name = stdin ? "stdin" : file.getFileName() == null ? "input" : file.getFileName().toString();
        Path copy = Files.createTempFile("nnkit-", "-" + name);
        copy.toFile().deleteOnExit();
        try (InputStream in = stdin ? System.in : Files.newInputStream(file)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        COPIES.put(copy, stdin ? "standard input" : file.toString());
        return copy;
    }

    /**
     * Writes text to {@code file} atomically (a temporary file in its folder, then a rename), creating
     * missing folders; on failure the old file is unchanged and no temporary file remains.
     */
    static void writeAtomically(Path file, String text) throws IOException {
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #writeAtomically(Path, String)}, for bytes. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            FileSystemException failure = new FileSystemException(file.toString(), null, "cannot write it: cannot create "
                    + "the folder " + folder + ": " + reason(e));
            failure.initCause(e);
            throw failure;
        }
        Path temporary = folder.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            FileSystemException failure = new FileSystemException(file.toString(), null, "cannot write it: " + reason(e));
            failure.initCause(e);
            throw failure;
        }
    }
}
