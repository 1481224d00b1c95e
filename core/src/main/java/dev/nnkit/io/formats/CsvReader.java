package dev.nnkit.io.formats;

import dev.nnkit.data.Dataset;
import dev.nnkit.io.DataFileException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.ejml.data.DMatrixRMaj;

/**
 * Reads a numeric CSV file, one example per line, into a {@link Dataset} with one example per
 * column (MATH §1): the chosen label column(s) become {@code Y}, the other columns {@code X}.
 *
 * <pre>{@code
 * CsvReader.CsvTable table = CsvReader.defaults()
 *         .withLabelColumns("species")                   // a header name, or an index: "4", "-1"
 *         .withLabelEncoding(CsvReader.LabelEncoding.ONE_HOT)
 *         .read(Path.of("iris.csv"));
 * Dataset data = table.data();                           // X (4, 150), Y (3, 150)
 * List<String> classes = table.classes();                // [setosa, versicolor, virginica]
 * }</pre>
 *
 * <p><b>Format.</b> Cells are separated by the {@linkplain #withDelimiter delimiter} (default
 * {@code ,}); surrounding spaces are ignored; a cell may be quoted with {@code "..."} ({@code ""}
 * inside quotes is one quote). Blank lines are skipped; a UTF-8 byte-order mark is ignored. The
 * first line is a header when {@link Header#PRESENT}, never when {@link Header#ABSENT}, and with
 * {@link Header#AUTO} (the default) when none of its cells is a number. Every line must have as
 * many cells as the first. Feature cells must be finite decimal numbers ({@code -0.25},
 * {@code 3}, {@code 1e-3}); {@code NaN}, {@code Infinity}, hexadecimal, empty cells and values
 * that overflow a double are refused.
 *
 * <p><b>Columns</b> are named by a reference: an integer is a 0-based index, negative from the end
 * ({@code -1} is the last column, the default label column); anything else is a header name.
 * Columns that are neither labels nor {@linkplain #withIgnoredColumns ignored} are the features,
 * in file order.
 *
 * <p><b>Labels.</b> With {@link LabelEncoding#VALUES} (the default) the label columns are copied
 * as numbers into {@code Y} of shape {@code (labelColumns, m)}: 0/1 labels for a sigmoid output,
 * regression targets, or labels already one-hot encoded. With {@link LabelEncoding#ONE_HOT} the
 * single label column holds class labels, and {@code Y} is {@code (classes, m)} with a single 1
 * per column. Class labels are either all integers {@code >= 0} (class {@code k} is the label
 * {@code k}, {@code 1.0} counts as {@code 1}; the classes are {@code 0..max}) or all names (the
 * classes are the distinct names, sorted). {@link #withClasses} fixes the classes instead, e.g.
 * to read a test file with the classes of its training file; any other label is then refused.
 *
 * <p><b>Limits.</b> Lines longer than {@link #MAX_LINE_LENGTH} characters, more than
 * {@link #MAX_COLUMNS} columns, more than {@link #MAX_VALUES} cells in all and more than
 * {@link #MAX_CLASSES} classes are refused before they are stored. Problems with the file are
 * reported as a {@link DataFileException} naming the file, the line and column (1-based) and
 * the cell; problems with the reader's settings (an unknown column) as well, since they depend
 * on the file's header.
 *
 * <p>Immutable and thread-safe.
 */
public final class CsvReader {

    /** Whether the first line is a header of column names. */
    public enum Header {
        /** The first line is a header when none of its cells is a number. */
        AUTO,
        /** The first line is a header. */
        PRESENT,
        /** Every line is data; columns can only be referred to by index. */
        ABSENT
    }

    /** How label columns become {@code Y}. */
    public enum LabelEncoding {
        /** The label columns' numbers, as they are: {@code Y} is {@code (labelColumns, m)}. */
        VALUES,
        /** One class label column, one-hot encoded: {@code Y} is {@code (classes, m)}. */
        ONE_HOT
    }

    /**
     * What a CSV file held.
     *
     * @param data         the examples: {@code X} {@code (features, m)}, {@code Y} as the encoding says
     * @param featureNames the header names of the feature columns in the order of the rows of
     *                     {@code X}, or {@code column <index>} without a header
     * @param labelNames   the header names (or {@code column <index>}) of the label columns
     * @param classes      the class of each row of {@code Y} with {@link LabelEncoding#ONE_HOT}
     *                     (e.g. {@code [0, 1, 2]} or {@code [setosa, versicolor, virginica]}); empty
     *                     with {@link LabelEncoding#VALUES}
     */
    public record CsvTable(Dataset data, List<String> featureNames, List<String> labelNames, List<String> classes) {

        /** Refuses missing data and keeps unmodifiable copies of the name lists. */
        public CsvTable {
            Objects.requireNonNull(data, "data");
            featureNames = List.copyOf(featureNames);
            labelNames = List.copyOf(labelNames);
            classes = List.copyOf(classes);
        }
    }

    /** The longest line accepted, in characters. */
    public static final int MAX_LINE_LENGTH = 1 << 22;
    /** The most columns accepted. */
    public static final int MAX_COLUMNS = 100_000;
    /** The most cells accepted in all (features plus labels). */
    public static final long MAX_VALUES = 100_000_000L;
    /** The most classes accepted with one-hot labels. */
    public static final int MAX_CLASSES = 10_000;

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER_REFERENCE = Pattern.compile("-?\\d+");
    private static final CsvReader DEFAULTS = new CsvReader(',', Header.AUTO, List.of("-1"), List.of(),
            LabelEncoding.VALUES, null);

    private final char delimiter;
    private final Header header;
    private final List<String> labelColumns;
    private final List<String> ignoredColumns;
    private final LabelEncoding encoding;
    private final List<String> classes;
    /** The feature columns in order, or {@code null}: every column that is neither a label nor ignored. */
    private final List<String> featureColumns;

    private CsvReader(char delimiter, Header header, List<String> labelColumns, List<String> ignoredColumns,
                      LabelEncoding encoding, List<String> classes) {
        this(delimiter, header, labelColumns, ignoredColumns, encoding, classes, null);
    }

    private CsvReader(char delimiter, Header header, List<String> labelColumns, List<String> ignoredColumns,
                      LabelEncoding encoding, List<String> classes, List<String> featureColumns) {
        this.featureColumns = featureColumns;
        this.delimiter = delimiter;
        this.header = header;
        this.labelColumns = labelColumns;
        this.ignoredColumns = ignoredColumns;
        this.encoding = encoding;
        this.classes = classes;
    }

    /** Delimiter {@code ,}, header detected, the last column as label values, no column ignored. */
    public static CsvReader defaults() {
        return DEFAULTS;
    }

    /**
     * This reader with another cell delimiter, e.g. {@code ';'} or {@code '\t'}.
     *
     * @throws IllegalArgumentException for a quote, a line break, or a character that can be part of a number
     */
    public CsvReader withDelimiter(char value) {
        if (value == '"' || value == '\n' || value == '\r' || Character.isLetterOrDigit(value) || value == '.'
                || value == '-' || value == '+') {
            throw new IllegalArgumentException("delimiter '" + value + "' cannot separate numeric cells; use e.g. ',' ';' or '\\t'");
        }
        return new CsvReader(value, header, labelColumns, ignoredColumns, encoding, classes, featureColumns);
    }

    /** This reader with another header rule. */
    public CsvReader withHeader(Header value) {
        return new CsvReader(delimiter, Objects.requireNonNull(value, "header"), labelColumns, ignoredColumns, encoding,
                classes, featureColumns);
    }

    /**
     * This reader with these label columns, each a reference (a 0-based index, negative from the
     * end, or a header name); with {@link LabelEncoding#ONE_HOT} exactly one.
     *
     * @throws IllegalArgumentException when none is given, one is blank, or one is repeated
     */
    public CsvReader withLabelColumns(String... references) {
        return new CsvReader(delimiter, header, references("label column", references, false), ignoredColumns, encoding,
                classes, featureColumns);
    }

    /** This reader ignoring these columns (e.g. an id column); references as for labels. */
    public CsvReader withIgnoredColumns(String... references) {
        return new CsvReader(delimiter, header, labelColumns, references("ignored column", references, true), encoding,
                classes, featureColumns);
    }

    /** This reader with another label encoding. */
    public CsvReader withLabelEncoding(LabelEncoding value) {
        return new CsvReader(delimiter, header, labelColumns, ignoredColumns, Objects.requireNonNull(value, "encoding"),
                classes, featureColumns);
    }

    /**
     * This reader with fixed classes for {@link LabelEncoding#ONE_HOT}: row {@code k} of {@code Y}
     * is {@code names.get(k)}. Integer labels are matched in canonical form ({@code 1.0} matches
     * {@code "1"}); a label not in the list is refused. {@code null} infers the classes again.
     *
     * @throws IllegalArgumentException for fewer than 2 names, more than {@link #MAX_CLASSES}, or a
     *                                  blank or repeated name
     */
    public CsvReader withClasses(List<String> names) {
        List<String> copy = null;
        if (names != null) {
            copy = new ArrayList<>();
            for (String name : names) {
                copy.add(canonicalLabel(Objects.requireNonNull(name, "class name")));
            }
            if (copy.size() < 2 || copy.size() > MAX_CLASSES) {
                throw new IllegalArgumentException(copy.size() + " classes " + names + "; one-hot labels need 2 to "
                        + MAX_CLASSES);
            }
            if (new HashSet<>(copy).size() != copy.size() || copy.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("classes " + names + " contain a blank or repeated name");
            }
            copy = List.copyOf(copy);
        }
        return new CsvReader(delimiter, header, labelColumns, ignoredColumns, encoding, copy, featureColumns);
    }

    private static List<String> references(String what, String[] references, boolean mayBeEmpty) {
        if (references.length == 0 && !mayBeEmpty) {
            throw new IllegalArgumentException("at least one " + what + " is needed, e.g. \"-1\" for the last column");
        }
        List<String> out = new ArrayList<>();
        for (String r : references) {
            if (r == null || r.isBlank()) {
                throw new IllegalArgumentException(what + " reference is " + (r == null ? "null" : "blank")
                        + "; give an index (0-based, -1 for the last) or a header name");
            }
            if (out.contains(r.trim())) {
                throw new IllegalArgumentException(what + " '" + r + "' is given twice");
            }
            out.add(r.trim());
        }
        return List.copyOf(out);
    }

    /**
     * Reads a file, UTF-8.
     *
     * @throws DataFileException when the file is malformed or does not have the columns asked for
     * @throws IOException       when it cannot be read
     */
    public CsvTable read(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        } catch (CharacterCodingException e) {
            throw notText(file, e);
        }
    }

    private static DataFileException notText(Path file, CharacterCodingException e) {
        return Errors.whole(file.toString(), "the file is not UTF-8 text (" + e.getMessage() + "): is it a binary file? A CSV "
                + "file is text, one example per line");
    }

    /**
     * Reads CSV text from a reader, which is not closed.
     *
     * @param name the name of the source for error messages, e.g. the file name
     * @throws DataFileException when the text is malformed or does not have the columns asked for
     * @throws IOException       when the reader fails
     */
    public CsvTable read(Reader reader, String name) throws IOException {
        if (labelColumns.isEmpty()) {
            throw new IllegalArgumentException("this reader has no label columns (withoutLabels); read the features with "
                    + "readFeatures, or give the label columns with withLabelColumns");
        }
        Parsed parsed = parse(reader, name);
        return new CsvTable(Dataset.wrapping(parsed.x, parsed.y), parsed.featureNames, parsed.labelNames, parsed.classes);
    }

    /**
     * The features of a file without labels, e.g. new examples to predict: every column that is
     * not {@linkplain #withIgnoredColumns ignored} and not a label column of this reader (none
     * after {@link #withoutLabels()}).
     *
     * @return the features {@code (n[0], m)}, one column per line, and their names (the header's
     *         cells, or {@code column k} without a header)
     * @throws DataFileException when the file is malformed or does not have the columns asked for
     * @throws IOException       when it cannot be read
     */
    public FeatureTable readFeatures(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readFeatures(in, file.toString());
        } catch (CharacterCodingException e) {
            throw notText(file, e);
        }
    }

    /** As {@link #readFeatures(Path)}, from a reader, which is not closed; {@code name} appears in errors. */
    public FeatureTable readFeatures(Reader reader, String name) throws IOException {
        Parsed parsed = parse(reader, name);
        return new FeatureTable(parsed.x, parsed.featureNames);
    }

    /**
     * Features read without labels.
     *
     * @param features     {@code (n[0], m)}, one example per column; owned by the caller
     * @param featureNames the name of each row, in order
     */
    public record FeatureTable(DMatrixRMaj features, List<String> featureNames) {

        /** Copies the names. */
        public FeatureTable {
            Objects.requireNonNull(features, "features");
            featureNames = List.copyOf(featureNames);
        }
    }

    /** This reader with no label columns, for {@link #readFeatures}: every column not ignored is a feature. */
    public CsvReader withoutLabels() {
        return new CsvReader(delimiter, header, List.of(), ignoredColumns, LabelEncoding.VALUES, null, featureColumns);
    }

    /**
     * This reader taking exactly these feature columns, in this order (e.g. those a saved model
     * was trained on), each a reference as for labels; every other column that is not a label is
     * ignored. A missing column is refused with the columns the file has.
     *
     * @throws IllegalArgumentException when none is given, one is blank, or one is repeated
     */
    public CsvReader withFeatureColumns(String... references) {
        return new CsvReader(delimiter, header, labelColumns, ignoredColumns, encoding, classes,
                references("feature column", references, false));
    }

    private record Parsed(DMatrixRMaj x, DMatrixRMaj y, List<String> featureNames, List<String> labelNames,
                          List<String> classes) {
    }

    private Parsed parse(Reader reader, String name) throws IOException {
        Lines lines = new Lines(reader instanceof BufferedReader b ? b : new BufferedReader(reader), name);
        String first = lines.next();
        if (first == null) {
            throw Errors.whole(name, "the file holds no data: it is empty or has only blank lines");
        }
        long firstLine = lines.number;
        List<String> firstCells = split(first, name, firstLine);
        int columns = firstCells.size();
        boolean hasHeader = switch (header) {
            case PRESENT -> true;
            case ABSENT -> false;
            case AUTO -> firstCells.stream().noneMatch(c -> NUMBER.matcher(c).matches());
        };
        List<String> names = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            names.add(hasHeader ? firstCells.get(c) : "column " + c);
        }
        int[] labels = resolve(labelColumns, names, hasHeader, name, firstLine, "label");
        int[] ignored = resolve(ignoredColumns, names, hasHeader, name, firstLine, "ignored");
        for (int l : labels) {
            for (int i : ignored) {
                if (l == i) {
                    throw new IllegalArgumentException("column " + l + " (" + names.get(l) + ") is both a label and ignored");
                }
            }
        }
        if (encoding == LabelEncoding.ONE_HOT && labels.length != 1) {
            throw new IllegalArgumentException("one-hot labels come from exactly one column; " + labels.length
                    + " label columns are given " + labelColumns + " (use LabelEncoding.VALUES for several)");
        }
        boolean[] special = new boolean[columns];
        for (int l : labels) {
            special[l] = true;
        }
        for (int i : ignored) {
            special[i] = true;
        }
        int[] features;
        int nf;
        if (featureColumns != null) {
            features = resolve(featureColumns, names, hasHeader, name, firstLine, "feature");
            nf = features.length;
            for (int f : features) {
                for (int l : labels) {
                    if (f == l) {
                        throw new IllegalArgumentException("column " + l + " (" + names.get(l) + ") is both a label and a feature");
                    }
                }
            }
        } else {
            features = new int[columns];
            nf = 0;
            for (int c = 0; c < columns; c++) {
                if (!special[c]) {
                    features[nf++] = c;
                }
            }
            features = Arrays.copyOf(features, nf);
        }
        if (nf == 0) {
            throw Errors.atLine(name, firstLine, 0, "no feature column is left: the file has " + columns
                    + " column(s), of which " + labels.length + " label and " + ignored.length + " ignored"
                    + delimiterHint(first));
        }

        int valuesPerRow = nf + labels.length;
        double[] x = new double[16 * nf];
        double[] yValues = encoding == LabelEncoding.VALUES ? new double[16 * labels.length] : null;
        List<String> classLabels = encoding == LabelEncoding.ONE_HOT ? new ArrayList<>() : null;
        long[] labelLines = encoding == LabelEncoding.ONE_HOT ? new long[16] : null;
        int m = 0;
        String line = hasHeader ? lines.next() : first;
        List<String> cells = hasHeader ? null : firstCells;
        while (line != null) {
            long number = lines.number;
            if (cells == null) {
                cells = split(line, name, number);
            }
            if (cells.size() != columns) {
                throw Errors.atLine(name, number, 0, "the line has " + cells.size() + " cells but line "
                        + firstLine + " has " + columns + "; every line needs the same number of cells");
            }
            if ((long) (m + 1) * valuesPerRow > MAX_VALUES) {
                throw Errors.atLine(name, number, 0, "the file holds more than " + MAX_VALUES
                        + " cells, the most this reader accepts");
            }
            if ((m + 1) * nf > x.length) {
                x = Arrays.copyOf(x, (int) Math.min(MAX_VALUES, 2L * x.length));
            }
            for (int f = 0; f < nf; f++) {
                x[m * nf + f] = number(cells.get(features[f]), name, number, features[f], "feature");
            }
            if (yValues != null) {
                if ((m + 1) * labels.length > yValues.length) {
                    yValues = Arrays.copyOf(yValues, (int) Math.min(MAX_VALUES, 2L * yValues.length));
                }
                for (int k = 0; k < labels.length; k++) {
                    yValues[m * labels.length + k] = number(cells.get(labels[k]), name, number, labels[k], "label");
                }
            } else {
                String label = cells.get(labels[0]);
                if (label.isEmpty()) {
                    throw Errors.atLine(name, number, labels[0] + 1, "the class label is empty");
                }
                classLabels.add(canonicalLabel(label));
                if (m == labelLines.length) {
                    labelLines = Arrays.copyOf(labelLines, 2 * m);
                }
                labelLines[m] = number;
            }
            m++;
            line = lines.next();
            cells = null;
        }
        if (m == 0) {
            throw Errors.whole(name, "the file has a header but no data lines");
        }

        DMatrixRMaj xm = new DMatrixRMaj(nf, m);
        for (int j = 0; j < m; j++) {
            for (int f = 0; f < nf; f++) {
                xm.data[f * m + j] = x[j * nf + f];
            }
        }
        DMatrixRMaj ym;
        List<String> classNames = List.of();
        if (yValues != null) {
            ym = new DMatrixRMaj(labels.length, m);
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < labels.length; k++) {
                    ym.data[k * m + j] = yValues[j * labels.length + k];
                }
            }
        } else {
            classNames = classes != null ? classes : inferClasses(classLabels, labelLines, name, labels[0]);
            Map<String, Integer> index = new HashMap<>();
            for (int k = 0; k < classNames.size(); k++) {
                index.put(classNames.get(k), k);
            }
            ym = new DMatrixRMaj(classNames.size(), m);
            for (int j = 0; j < m; j++) {
                Integer k = index.get(classLabels.get(j));
                if (k == null) {
                    throw Errors.atLine(name, labelLines[j], labels[0] + 1, "class label \"" + classLabels.get(j)
                            + "\" is not one of the " + classNames.size() + " classes " + abbreviate(classNames));
                }
                ym.data[k * m + j] = 1.0;
            }
        }
        List<String> featureNames = new ArrayList<>();
        for (int f : features) {
            featureNames.add(names.get(f));
        }
        List<String> labelNames = new ArrayList<>();
        for (int l : labels) {
            labelNames.add(names.get(l));
        }
        return new Parsed(xm, ym, featureNames, labelNames, classNames);
    }

    /** A hint when a line that split into one cell holds another common delimiter. */
    private String delimiterHint(String line) {
        for (char c : new char[] {';', '\t', '|', ','}) {
            if (c != delimiter && line.indexOf(c) >= 0) {
                return "; the line holds '" + (c == '\t' ? "\\t" : String.valueOf(c)) + "' but the delimiter is '"
                        + (delimiter == '\t' ? "\\t" : String.valueOf(delimiter)) + "': is '"
                        + (c == '\t' ? "\\t" : String.valueOf(c)) + "' the delimiter (--delimiter in the examples)?";
            }
        }
        return "";
    }

    /** Classes 0..max when every label is an integer >= 0, the sorted names when none is a number. */
    private static List<String> inferClasses(List<String> labels, long[] lines, String name, int column)
            throws DataFileException {
        boolean numeric = isNonNegativeInteger(labels.get(0));
        boolean firstIsNumber = NUMBER.matcher(labels.get(0)).matches();
        if (firstIsNumber && !numeric) {
            throw badClassLabel(name, lines[0], column, labels.get(0));
        }
        long max = -1;
        Set<String> distinct = new TreeSet<>();
        for (int j = 0; j < labels.size(); j++) {
            String label = labels.get(j);
            boolean isNumber = NUMBER.matcher(label).matches();
            if (numeric) {
                if (!isNonNegativeInteger(label)) {
                    throw isNumber ? badClassLabel(name, lines[j], column, label)
                            : Errors.atLine(name, lines[j], column + 1, "class label \"" + label
                            + "\" is a name but line " + lines[0] + " has the integer label " + labels.get(0)
                            + "; class labels are either all integers or all names");
                }
                long value = Long.parseLong(label);
                if (value >= MAX_CLASSES) {
                    throw Errors.atLine(name, lines[j], column + 1, "class label " + label + " would make "
                            + (value + 1) + " classes, more than " + MAX_CLASSES + "; integer class labels are 0, 1, 2, ...");
                }
                max = Math.max(max, value);
            } else {
                if (isNumber) {
                    throw Errors.atLine(name, lines[j], column + 1, "class label " + label
                            + " is a number but line " + lines[0] + " has the name \"" + labels.get(0)
                            + "\"; class labels are either all integers or all names");
                }
                distinct.add(label);
                if (distinct.size() > MAX_CLASSES) {
                    throw Errors.atLine(name, lines[j], column + 1, "more than " + MAX_CLASSES
                            + " distinct class names; is the label column the right one?");
                }
            }
        }
        List<String> out = new ArrayList<>();
        if (numeric) {
            for (long k = 0; k <= max; k++) {
                out.add(Long.toString(k));
            }
        } else {
            out.addAll(distinct);
        }
        if (out.size() < 2) {
            throw Errors.whole(name, "every class label is " + labels.get(0)
                    + "; one-hot labels need at least 2 classes");
        }
        return out;
    }

    private static DataFileException badClassLabel(String name, long line, int column, String label) {
        return Errors.atLine(name, line, column + 1, "class label " + label
                + " is not an integer >= 0; integer class labels are 0, 1, 2, ...");
    }

    private static boolean isNonNegativeInteger(String label) {
        return label.chars().allMatch(ch -> ch >= '0' && ch <= '9') && !label.isEmpty() && label.length() < 10;
    }

    /** Integer-valued numbers in canonical form ({@code 1.0} and {@code +1} become {@code 1}); anything else unchanged. */
    private static String canonicalLabel(String label) {
        String s = label.trim();
        if (NUMBER.matcher(s).matches()) {
            double v = Double.parseDouble(s);
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                return Long.toString((long) v);
            }
        }
        return s;
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 20 ? names.toString() : names.subList(0, 20) + " (and " + (names.size() - 20) + " more)";
    }

    private static int[] resolve(List<String> references, List<String> names, boolean hasHeader, String file, long line,
                                 String role) throws DataFileException {
        int columns = names.size();
        int[] out = new int[references.size()];
        for (int r = 0; r < out.length; r++) {
            String ref = references.get(r);
            int index;
            if (INTEGER_REFERENCE.matcher(ref).matches() && ref.length() < 10) {
                int i = Integer.parseInt(ref);
                index = i < 0 ? columns + i : i;
                if (index < 0 || index >= columns) {
                    throw Errors.atLine(file, line, 0, role + " column " + ref + " does not exist: the file has "
                            + columns + " columns, 0.." + (columns - 1) + " (or -1..-" + columns + " from the end)");
                }
            } else {
                if (!hasHeader) {
                    throw Errors.atLine(file, line, 0, role + " column '" + ref + "' is a name but the file has "
                            + "no header line; refer to columns by index (0-based, -1 for the last)");
                }
                index = names.indexOf(ref);
                if (index < 0) {
                    throw Errors.atLine(file, line, 0, role + " column '" + ref + "' is not in the header; "
                            + "the columns are " + abbreviate(names));
                }
            }
            for (int q = 0; q < r; q++) {
                if (out[q] == index) {
                    throw new IllegalArgumentException(role + " columns " + references.get(q) + " and " + ref
                            + " are the same column " + index);
                }
            }
            out[r] = index;
        }
        return out;
    }

    private static double number(String cell, String file, long line, int column, String role) throws DataFileException {
        if (NUMBER.matcher(cell).matches()) {
            double v = Double.parseDouble(cell);
            if (Double.isFinite(v)) {
                return v;
            }
            throw Errors.atLine(file, line, column + 1, role + " " + cell + " overflows a double; every "
                    + role + " cell must be a finite number");
        }
        String lower = cell.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("nan") || lower.contains("inf")) {
            throw Errors.atLine(file, line, column + 1, role + " \"" + cell + "\" is not finite; every "
                    + role + " cell must be a finite number (fill in or drop missing values first)");
        }
        throw Errors.atLine(file, line, column + 1, role + " " + (cell.isEmpty() ? "cell is empty"
                : "\"" + cell + "\" is not a number") + "; every " + role
                + " cell must be a decimal number such as -0.25, 3 or 1e-3");
    }

    /** Splits a line into trimmed, unquoted cells. */
    private List<String> split(String line, String file, long number) throws DataFileException {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) != delimiter && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            cell.setLength(0);
            if (i < n && line.charAt(i) == '"') {
                int start = i;
                i++;
                while (true) {
                    if (i >= n) {
                        throw Errors.atLine(file, number, cells.size() + 1, "the quote opened at character "
                                + (start + 1) + " is not closed on this line");
                    }
                    char c = line.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && line.charAt(i + 1) == '"') {
                            cell.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    cell.append(c);
                    i++;
                }
                while (i < n && line.charAt(i) != delimiter) {
                    if (!Character.isWhitespace(line.charAt(i))) {
                        throw Errors.atLine(file, number, cells.size() + 1, "unexpected '" + line.charAt(i)
                                + "' after a closing quote; a quoted cell ends at the quote");
                    }
                    i++;
                }
                cells.add(cell.toString().trim());
            } else {
                int start = i;
                while (i < n && line.charAt(i) != delimiter) {
                    i++;
                }
                cells.add(line.substring(start, i).trim());
            }
            if (cells.size() > MAX_COLUMNS) {
                throw Errors.atLine(file, number, 0, "the line has more than " + MAX_COLUMNS + " cells");
            }
            if (i >= n) {
                return cells;
            }
            i++; // the delimiter
        }
    }

    /** Non-blank lines with their 1-based numbers, each at most {@link #MAX_LINE_LENGTH} characters. */
    private static final class Lines {
        private final BufferedReader in;
        private final String name;
        private final StringBuilder line = new StringBuilder();
        private long read;
        long number;

        Lines(BufferedReader in, String name) {
            this.in = in;
            this.name = name;
        }

        /** The next non-blank line, or null at the end. */
        String next() throws IOException {
            while (true) {
                line.setLength(0);
                int c = in.read();
                if (c < 0) {
                    return null;
                }
                read++;
                while (c >= 0 && c != '\n' && c != '\r') {
                    if (line.length() == MAX_LINE_LENGTH) {
                        throw Errors.atLine(name, read, 0, "the line is longer than " + MAX_LINE_LENGTH
                                + " characters; is this a CSV file?");
                    }
                    if (c == 0) {
                        throw Errors.atLine(name, read, line.length() + 1, "the line contains a NUL character;"
                                + " this looks like a binary file, not CSV text");
                    }
                    line.append((char) c);
                    c = in.read();
                }
                if (c == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                }
                if (read == 1 && line.length() > 0 && line.charAt(0) == '\uFEFF') {
                    line.deleteCharAt(0);
                }
                if (!line.toString().isBlank()) {
                    number = read;
                    return line.toString();
                }
            }
        }
    }
}
