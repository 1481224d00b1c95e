package dev.nnkit.io;

import dev.nnkit.internal.Access;
import java.io.IOException;

/**
 * A file's content is malformed: a data file ({@link dev.nnkit.io.formats.IdxReader IDX}, {@link dev.nnkit.io.formats.CsvReader CSV}), a
 * {@link ModelFile model file} or a {@link NetworkConfigs JSON config}. For example a wrong magic
 * number, a truncated file, a size beyond the reader's limits, a checksum that does not match, a
 * label outside its range, a cell that is not a finite number, a row of the wrong length, JSON
 * that does not parse or breaks the schema, or no data at all.
 *
 * <p>The message names the file, where the problem is (a byte offset in the uncompressed IDX
 * stream, or a 1-based line and column of a CSV file) and what was wrong with the value, e.g.
 * {@code train.csv: line 7, column 3: "1.5x" is not a number; every feature cell must be a
 * decimal number such as -0.25 or 1e-3}. The same parts are available separately for programs.
 * A file that cannot be opened or read at all is reported with the plain {@link IOException} of
 * the file system, not with this type.
 */
public final class DataFileException extends IOException {

    private static final long serialVersionUID = 1L;

    static {
        Access.setFiles(new Access.Files() {
            @Override
            public DataFileException atOffset(String file, long offset, String problem, Throwable cause) {
                return DataFileException.atOffset(file, offset, problem, cause);
            }

            @Override
            public DataFileException atLine(String file, long line, int column, String problem) {
                return DataFileException.atLine(file, line, column, problem);
            }

            @Override
            public DataFileException whole(String file, String problem) {
                return DataFileException.whole(file, problem);
            }
        });
    }

    private final String file;
    private final long offset;
    private final long line;
    private final String problem;

    private DataFileException(String file, long offset, long line, int column, String problem, Throwable cause) {
        super(file + ": " + where(offset, line, column) + problem, cause);
        this.file = file;
        this.offset = offset;
        this.line = line;
        this.problem = problem;
    }

    private static String where(long offset, long line, int column) {
        if (offset >= 0) {
            return "at byte " + offset + ": ";
        }
        if (line >= 0) {
            return "line " + line + (column > 0 ? ", column " + column : "") + ": ";
        }
        return "";
    }

    /** A problem at a byte offset of a binary file (offset into the uncompressed content). */
    static DataFileException atOffset(String file, long offset, String problem) {
        return new DataFileException(file, offset, -1, 0, problem, null);
    }

    /** A problem at a byte offset, caused by a lower-level exception (e.g. a corrupt gzip stream). */
    static DataFileException atOffset(String file, long offset, String problem, Throwable cause) {
        return new DataFileException(file, offset, -1, 0, problem, cause);
    }

    /** A problem at a 1-based line and column (0: the whole line) of a text file. */
    static DataFileException atLine(String file, long line, int column, String problem) {
        return new DataFileException(file, -1, line, column, problem, null);
    }

    /** A problem with the file as a whole (e.g. it holds no data). */
    static DataFileException whole(String file, String problem) {
        return new DataFileException(file, -1, -1, 0, problem, null);
    }

    /** The file, as it was given to the reader. */
    public String file() {
        return file;
    }

    /**
     * The byte offset of the problem in the (uncompressed) content of a binary file, or -1 when
     * the problem is located by line or concerns the whole file.
     */
    public long offset() {
        return offset;
    }

    /** The 1-based line of the problem in a text file, or -1 when it is located by offset or concerns the whole file. */
    public long line() {
        return line;
    }

    /** What was wrong, without the file and position. */
    public String problem() {
        return problem;
    }
}
