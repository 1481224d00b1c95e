package dev.nnkit.io.formats;

import dev.nnkit.internal.Access;
import dev.nnkit.io.DataFileException;

/**
 * The readers' way to {@link DataFileException}'s factories, which are not public API: through
 * the internal bridge ({@link Access#files()}), so that every such exception is made by one class
 * with one message layout, whichever package's reader finds the problem.
 */
final class Errors {

    private Errors() {
    }

    /** A problem at a byte offset of a binary file (offset into the uncompressed content). */
    static DataFileException atOffset(String file, long offset, String problem) {
        return Access.files().atOffset(file, offset, problem, null);
    }

    /** A problem at a byte offset, caused by a lower-level exception (e.g. a corrupt gzip stream). */
    static DataFileException atOffset(String file, long offset, String problem, Throwable cause) {
        return Access.files().atOffset(file, offset, problem, cause);
    }

    /** A problem at a 1-based line and column (0: the whole line) of a text file. */
    static DataFileException atLine(String file, long line, int column, String problem) {
        return Access.files().atLine(file, line, column, problem);
    }

    /** A problem with the file as a whole (e.g. it holds no data). */
    static DataFileException whole(String file, String problem) {
        return Access.files().whole(file, problem);
    }
}
