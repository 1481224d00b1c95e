package dev.nnkit.io.formats;

import dev.nnkit.data.Dataset;
import dev.nnkit.internal.Access;
import dev.nnkit.internal.FeatureStore;
import dev.nnkit.io.DataFileException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.ejml.data.DMatrixRMaj;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed (recognized by
 * the gzip magic bytes {@code 0x1f 0x8b}, whatever the file name).
 *
 * <p>The format: a 4-byte magic number {@code 0x00 0x00 type d}, then {@code d} dimension sizes as
 * big-endian 32-bit integers, then the {@code d0 * d1 * ... } values in row-major order, each
 * big-endian. Every type of the format is read:
 * <table>
 *   <caption>IDX value types</caption>
 *   <tr><th>type</th><th>values</th><th>bytes</th></tr>
 *   <tr><td>{@code 0x08}</td><td>unsigned byte (images and labels of MNIST)</td><td>1</td></tr>
 *   <tr><td>{@code 0x09}</td><td>signed byte</td><td>1</td></tr>
 *   <tr><td>{@code 0x0B}</td><td>short</td><td>2</td></tr>
 *   <tr><td>{@code 0x0C}</td><td>int</td><td>4</td></tr>
 *   <tr><td>{@code 0x0D}</td><td>float</td><td>4</td></tr>
 *   <tr><td>{@code 0x0E}</td><td>double</td><td>8</td></tr>
 * </table>
 * The first dimension counts the items (images, labels); an images file {@code (m, rows, cols)}
 * becomes features {@code X} of shape {@code (rows * cols, m)}, one image per column (MATH §1).
 *
 * <pre>{@code
 * IdxReader idx = IdxReader.defaults();
 * Dataset train = idx.dataset(dir.resolve("train-images-idx3-ubyte.gz"),
 *                             dir.resolve("train-labels-idx1-ubyte.gz"), 10, 0);   // 0: every item
 * }</pre>
 *
 * <p><b>Hostile input.</b> Every header field is checked before anything is allocated: the magic
 * bytes, the type, the number of dimensions (1 to {@link #MAX_DIMENSIONS}), every dimension
 * ({@code >= 1}), and the number of values, which must not exceed {@link #maxElements()} (default
 * {@link #DEFAULT_MAX_ELEMENTS}). For an uncompressed file the declared size must equal the file's
 * size exactly, so a truncated file or trailing bytes are refused before the data is read. The
 * length of a gzip stream is not known in advance: its content is read into a buffer that grows
 * only as data really arrives, so a header that declares more than the stream holds costs no more
 * memory than the stream's real content, and the file is refused as truncated when it ends early;
 * a declared size beyond what DEFLATE can expand the file to (about 1032 times its size) is refused
 * at once.
 * Problems are reported as {@link DataFileException} naming the file, the byte offset (in the
 * uncompressed content) and the value. With a {@code limit}, only the first {@code limit} items of a
 * gzip file are read and checked.
 *
 * <p>Immutable and thread-safe.
 */
public final class IdxReader {

    /** The most dimensions a file may declare. */
    public static final int MAX_DIMENSIONS = 8;
    /**
     * The default limit on the number of values in a file: 10^8, i.e. 800 MB as doubles; the
     * 60,000 Fashion-MNIST training images hold 4.7 * 10^7.
     */
    public static final long DEFAULT_MAX_ELEMENTS = 100_000_000L;

    /** Unsigned bytes (type 0x08) are read as {@code value * PIXEL_SCALE}, in {@code [0, 1]}. */
    private static final double PIXEL_SCALE = 1.0 / 255.0;

    /** The largest Java array the reader will allocate. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;
    private static final int CHUNK = 1 << 16;
    /** DEFLATE cannot expand one compressed byte into more than 1032 bytes; the margin covers headers. */
    private static final long MAX_DEFLATE_RATIO = 1100L;
    private static final IdxReader DEFAULTS = new IdxReader(DEFAULT_MAX_ELEMENTS);

    private final long maxElements;

    private IdxReader(long maxElements) {
        this.maxElements = maxElements;
    }

    /** A reader with the limit {@link #DEFAULT_MAX_ELEMENTS}. */
    public static IdxReader defaults() {
        return DEFAULTS;
    }

    /**
     * This reader with another limit on the number of values a file may declare.
     *
     * @param limit in {@code [1, 2^31 - 9]}
     * @throws IllegalArgumentException otherwise
     */
    public IdxReader withMaxElements(long limit) {
        if (limit < 1 || limit > MAX_ARRAY) {
            throw new IllegalArgumentException("maxElements=" + limit + "; it must be in [1, " + MAX_ARRAY
                    + "] (the values must fit one Java array)");
        }
        return new IdxReader(limit);
    }

    /** The most values a file may declare. */
    public long maxElements() {
        return maxElements;
    }

    /**
     * The contents of an IDX file: its value type, its dimensions and its values in row-major
     * order, as doubles (every IDX type converts exactly).
     */
    public static final class IdxArray {
        private final int type;
        private final int[] dimensions;
        private final double[] values;

        IdxArray(int type, int[] dimensions, double[] values) {
            this.type = type;
            this.dimensions = dimensions;
            this.values = values;
        }

        /** The type code of the file, e.g. {@code 0x08} for unsigned bytes. */
        public int type() {
            return type;
        }

        /**
         * The dimensions as read, e.g. {@code [60000, 28, 28]}; with a limit the first one is the
         * number of items actually read. A copy.
         */
        public int[] dimensions() {
            return dimensions.clone();
        }

        /** The number of values, the product of the dimensions. */
        public int size() {
            return values.length;
        }

        /** The value at flat row-major index {@code k}. */
        public double value(int k) {
            return values[k];
        }

        /** A copy of all values in row-major order. */
        public double[] values() {
            return values.clone();
        }

        @Override
        public String toString() {
            return "IdxArray(type " + typeName(type) + ", dimensions " + Arrays.toString(dimensions) + ")";
        }
    }

    /**
     * Reads a whole file, or its first {@code limit} items.
     *
     * @param file  an IDX file, plain or gzip-compressed
     * @param limit the number of items (along the first dimension) to read; 0 reads them all
     * @throws DataFileException when the file is malformed
     * @throws IOException       when it cannot be read
     */
    public IdxArray read(Path file, int limit) throws IOException {
        try (Source source = open(file)) {
            Header header = readHeader(source, limit);
            byte[] raw = readData(source, header);
            double[] values = new double[(int) header.readElements];
            decode(source, header, raw, (k, v) -> values[k] = v);
            int[] dims = header.dimensions.clone();
            dims[0] = header.items;
            return new IdxArray(header.type, dims, values);
        }
    }

    /**
     * Reads an images file {@code (m, d1, d2, ...)} as features {@code X} of shape
     * {@code (d1 * d2 * ..., m)}, one item per column. Unsigned bytes are multiplied by
     * {@code 1.0 / 255}, so pixels land in {@code [0, 1]}; values of other types are kept as they are.
     *
     * @param limit the number of items to read; 0 reads them all
     * @throws DataFileException when the file is malformed or has a single dimension
     * @throws IOException       when it cannot be read
     */
    public DMatrixRMaj features(Path imagesFile, int limit) throws IOException {
        return featureStore(imagesFile, limit).matrix();
    }

    /** Unsigned bytes stay bytes (one per value, scaled when read); other types become doubles. */
    private FeatureStore featureStore(Path imagesFile, int limit) throws IOException {
        try (Source source = open(imagesFile)) {
            Header header = readHeader(source, limit);
            if (header.dimensions.length < 2) {
                throw Errors.atOffset(source.name, 3, "the file has 1 dimension " + Arrays.toString(header.dimensions)
                        + "; features need at least 2, (items, values per item...), e.g. (60000, 28, 28) for images");
            }
            int m = header.items;
            int rows = (int) (header.readElements / m);
            byte[] raw = readData(source, header);
            if (header.type == 0x08) {
                return new FeatureStore.ByteRows(raw, 0, rows, m, PIXEL_SCALE);
            }
            DMatrixRMaj x = new DMatrixRMaj(rows, m);
            double[] data = x.data;
            decode(source, header, raw, (k, v) -> data[(k % rows) * m + k / rows] = v);
            return new FeatureStore.DoubleColumns(x);
        }
    }

    /**
     * Reads a labels file {@code (m)} as one-hot labels {@code Y} of shape {@code (classes, m)}:
     * {@code Y[k][j] = 1} when item {@code j} has label {@code k}.
     *
     * @param classes the number of classes, {@code >= 2}; every label must be an integer in
     *                {@code [0, classes)}
     * @param limit   the number of items to read; 0 reads them all
     * @throws DataFileException when the file is malformed, has more than one dimension, or a
     *                           label is not an integer in range
     * @throws IOException       when it cannot be read
     */
    public DMatrixRMaj oneHot(Path labelsFile, int classes, int limit) throws IOException {
        if (classes < 2) {
            throw new IllegalArgumentException("classes=" + classes + "; one-hot labels need at least 2 classes");
        }
        double[] labels = labels(labelsFile, classes, limit);
        int m = labels.length;
        DMatrixRMaj y = new DMatrixRMaj(classes, m);
        for (int j = 0; j < m; j++) {
            y.data[(int) labels[j] * m + j] = 1.0;
        }
        return y;
    }

    /**
     * Reads a labels file {@code (m)} as one row {@code (1, m)} of raw values: 0/1 labels for a
     * sigmoid output, or regression targets.
     *
     * @param limit the number of items to read; 0 reads them all
     * @throws DataFileException when the file is malformed or has more than one dimension
     * @throws IOException       when it cannot be read
     */
    public DMatrixRMaj labelRow(Path labelsFile, int limit) throws IOException {
        double[] labels = labels(labelsFile, 0, limit);
        DMatrixRMaj y = new DMatrixRMaj(1, labels.length);
        System.arraycopy(labels, 0, y.data, 0, labels.length);
        return y;
    }

    /**
     * Reads an images file and a labels file into a data set: features as {@link #features},
     * one-hot labels as {@link #oneHot}. Unsigned-byte images stay one byte per pixel in memory
     * (as {@link Dataset#ofUnsignedByteRows}), so 60,000 images of 784 pixels take 47 MB, not 376.
     *
     * @throws DataFileException when a file is malformed or the two files hold different numbers of items
     * @throws IOException       when a file cannot be read
     */
    public Dataset dataset(Path imagesFile, Path labelsFile, int classes, int limit) throws IOException {
        FeatureStore x = featureStore(imagesFile, limit);
        DMatrixRMaj y = oneHot(labelsFile, classes, limit);
        if (x.examples() != y.numCols) {
            throw Errors.whole(labelsFile.toString(), "holds " + y.numCols + " labels but " + imagesFile
                    + " holds " + x.examples() + " images" + (limit > 0 ? " (reading at most " + limit + ")" : "")
                    + "; the two files must describe the same items");
        }
        return Access.data().of(x, y);
    }

    /** Reads a 1-dimensional file; with {@code classes > 0} every value must be an integer in [0, classes). */
    private double[] labels(Path file, int classes, int limit) throws IOException {
        try (Source source = open(file)) {
            Header header = readHeader(source, limit);
            if (header.dimensions.length != 1) {
                throw Errors.atOffset(source.name, 3, "a labels file has 1 dimension, (items); this one has "
                        + header.dimensions.length + ", " + Arrays.toString(header.dimensions));
            }
            byte[] raw = readData(source, header);
            double[] labels = new double[header.items];
            int width = width(header.type);
            long start = header.dataOffset;
            decode(source, header, raw, (k, v) -> {
                if (classes > 0 && !(v >= 0 && v < classes && v == Math.rint(v))) {
                    throw new LabelOutOfRange(start + (long) k * width, k, v);
                }
                labels[k] = v;
            });
            return labels;
        } catch (LabelOutOfRange e) {
            throw Errors.atOffset(file.toString(), e.offset, "label " + format(e.value) + " of item "
                    + e.item + " is not an integer in [0, " + classes + "); with " + classes
                    + " classes the labels are 0.." + (classes - 1));
        }
    }

    /** Thrown out of the decoding lambda to carry the offending label to {@link #labels}. */
    private static final class LabelOutOfRange extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long offset;
        final int item;
        final double value;

        LabelOutOfRange(long offset, int item, double value) {
            super(null, null, false, false);
            this.offset = offset;
            this.item = item;
            this.value = value;
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    // ---------------------------------------------------------------- reading

    /** An open file: the (decompressed) stream, the position in it, and its length when known. */
    private static final class Source implements AutoCloseable {
        final String name;
        final InputStream in;
        final long length;
        final long fileSize;
        final boolean gzip;
        long position;

        Source(String name, InputStream in, long length, long fileSize, boolean gzip) {
            this.name = name;
            this.in = in;
            this.length = length;
            this.fileSize = fileSize;
            this.gzip = gzip;
        }

        /** Reads up to {@code n} bytes into {@code buffer}; returns how many (fewer only at the end). */
        int readFully(byte[] buffer, int offset, int n) throws IOException {
            int total = 0;
            try {
                while (total < n) {
                    int r = in.read(buffer, offset + total, n - total);
                    if (r < 0) {
                        break;
                    }
                    total += r;
                }
            } catch (EOFException | ZipException e) {
                position += total;
                throw Errors.atOffset(name, position, "the gzip stream is corrupt or truncated (" + e.getMessage()
                        + "); download the file again", e);
            }
            position += total;
            return total;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static Source open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        long length = Files.size(file);
        if (length == 0) {
            throw Errors.whole(name, "the file is empty; an IDX file starts with the magic bytes 0x00 0x00 type dims");
        }
        BufferedInputStream buffered = new BufferedInputStream(Files.newInputStream(file), CHUNK);
        try {
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                GZIPInputStream gzip;
                try {
                    gzip = new GZIPInputStream(buffered, CHUNK);
                } catch (EOFException | ZipException e) {
                    throw Errors.atOffset(name, 0, "the file starts like gzip (0x1f 0x8b) but its gzip header is "
                            + "corrupt or truncated (" + e.getMessage() + ")", e);
                }
                return new Source(name, gzip, -1, length, true);
            }
            return new Source(name, buffered, length, length, false);
        } catch (IOException | RuntimeException e) {
            buffered.close();
            throw e;
        }
    }

    /** What the header declares, and how much of it this call reads. */
    private static final class Header {
        int type;
        int[] dimensions;
        long declaredElements;
        long dataOffset;
        int items;
        long readElements;
    }

    private Header readHeader(Source source, int limit) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("limit=" + limit + "; it must be >= 0 (0 reads every item)");
        }
        String name = source.name;
        byte[] magic = new byte[4];
        int got = source.readFully(magic, 0, 4);
        if (got == 0) {
            throw Errors.whole(name, "the " + (source.gzip ? "uncompressed content" : "file")
                    + " is empty; an IDX file starts with the magic bytes 0x00 0x00 type dims");
        }
        if (got >= 2 && (magic[0] != 0 || magic[1] != 0) || got < 2 && magic[0] != 0) {
            throw Errors.atOffset(name, 0, "wrong magic number: the file starts with "
                    + hex(magic, Math.min(got, 4)) + "; an IDX file starts with 0x00 0x00, then the type (0x08 for "
                    + "unsigned bytes) and the number of dimensions");
        }
        if (got < 4) {
            throw truncatedHeader(name, got, 4);
        }
        int type = magic[2] & 0xff;
        if (width(type) == 0) {
            throw Errors.atOffset(name, 2, "unknown value type 0x" + String.format(Locale.ROOT, "%02X", type)
                    + "; IDX types are 0x08 unsigned byte, 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double");
        }
        int d = magic[3] & 0xff;
        if (d < 1 || d > MAX_DIMENSIONS) {
            throw Errors.atOffset(name, 3, "the file declares " + d + " dimensions; this reader accepts 1 to "
                    + MAX_DIMENSIONS);
        }
        byte[] sizes = new byte[4 * d];
        got = source.readFully(sizes, 0, sizes.length);
        if (got < sizes.length) {
            throw truncatedHeader(name, 4 + got, 4 + sizes.length);
        }
        ByteBuffer bb = ByteBuffer.wrap(sizes).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[d];
        long elements = 1;
        for (int i = 0; i < d; i++) {
            long size = bb.getInt() & 0xffffffffL;
            long offset = 4 + 4L * i;
            if (size == 0) {
                throw Errors.atOffset(name, offset, "dimension " + i + " is 0; the file holds no data");
            }
            if (size > Integer.MAX_VALUE) {
                throw Errors.atOffset(name, offset, "dimension " + i + " is " + size + ", more than 2^31 - 1");
            }
            dims[i] = (int) size;
            elements *= size; // each factor < 2^31 and the running product <= maxElements < 2^31: no overflow
            if (elements > maxElements) {
                throw Errors.atOffset(name, offset, "the dimensions " + describe(sizes, d)
                        + " declare more values than this reader's limit of " + maxElements
                        + " (raise it with IdxReader.withMaxElements if the file is genuine)");
            }
        }
        Header header = new Header();
        header.type = type;
        header.dimensions = dims;
        header.declaredElements = elements;
        header.dataOffset = 4 + 4L * d;
        long declaredBytes = header.dataOffset + elements * width(type);
        if (source.length >= 0 && source.length != declaredBytes) {
            if (source.length < declaredBytes) {
                throw Errors.atOffset(name, source.length, "the file is truncated: the header declares "
                        + Arrays.toString(dims) + " = " + elements + " values of " + width(type) + " byte(s), "
                        + declaredBytes + " bytes in all, but the file has " + source.length);
            }
            throw Errors.atOffset(name, declaredBytes, "the file has " + (source.length - declaredBytes)
                    + " byte(s) after the " + elements + " values its header declares " + Arrays.toString(dims)
                    + "; it is not a well-formed IDX file");
        }
        if (source.gzip && declaredBytes > MAX_DEFLATE_RATIO * source.fileSize) {
            throw Errors.atOffset(name, header.dataOffset, "the header declares " + Arrays.toString(dims)
                    + " = " + declaredBytes + " bytes, but a gzip file of " + source.fileSize + " bytes can hold at most "
                    + MAX_DEFLATE_RATIO + " times that (the limit of DEFLATE); the file is truncated or not what it claims");
        }
        header.items = limit == 0 ? dims[0] : Math.min(limit, dims[0]);
        header.readElements = elements / dims[0] * header.items;
        if (header.readElements * width(type) > MAX_ARRAY) {
            throw Errors.atOffset(name, 4, "the file declares " + header.readElements + " values of "
                    + width(type) + " bytes, too many for one Java array; read fewer items with a limit");
        }
        return header;
    }

    private static String describe(byte[] sizes, int d) {
        ByteBuffer bb = ByteBuffer.wrap(sizes).order(ByteOrder.BIG_ENDIAN);
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < d; i++) {
            out.append(i == 0 ? "" : ", ").append(bb.getInt() & 0xffffffffL);
        }
        return out.append(']').toString();
    }

    private static DataFileException truncatedHeader(String name, long at, int needed) {
        return Errors.atOffset(name, at, "the file is truncated inside its header: it ends after " + at
                + " bytes and the header needs " + needed);
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes[i] & 0xff));
        }
        return out.toString();
    }

    /**
     * Reads the data bytes of the items to read. For a plain file the length was checked against
     * the header, so the buffer is allocated at once; for a gzip stream it grows with the data
     * that really arrives.
     */
    private static byte[] readData(Source source, Header header) throws IOException {
        int need = (int) (header.readElements * width(header.type));
        byte[] buffer = new byte[source.gzip ? Math.min(need, CHUNK) : need];
        int filled = 0;
        while (filled < need) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(need, 2L * buffer.length));
            }
            int got = source.readFully(buffer, filled, buffer.length - filled);
            filled += got;
            if (filled < buffer.length) {
                long declaredBytes = header.declaredElements * width(header.type);
                throw Errors.atOffset(source.name, source.position, "the file is truncated: it ends after "
                        + filled + " of the " + declaredBytes + " data bytes its header " + Arrays.toString(header.dimensions)
                        + " declares (" + filled / width(header.type) + " of " + header.declaredElements + " values)");
            }
        }
        if (source.gzip && header.items == header.dimensions[0]) {
            int extra = source.readFully(new byte[1], 0, 1);
            if (extra > 0) {
                throw Errors.atOffset(source.name, source.position - 1, "the uncompressed content goes on after the "
                        + header.declaredElements + " values its header declares " + Arrays.toString(header.dimensions)
                        + "; it is not a well-formed IDX file");
            }
        }
        return buffer;
    }

    private interface ValueSink {
        void accept(int index, double value);
    }

    /** Converts big-endian raw values of the header's type and hands each, with its index, to {@code sink}. */
    private static void decode(Source source, Header header, byte[] raw, ValueSink sink) throws DataFileException {
        int n = (int) header.readElements;
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
        switch (header.type) {
            case 0x08 -> {
                for (int k = 0; k < n; k++) {
                    sink.accept(k, raw[k] & 0xff);
                }
            }
            case 0x09 -> {
                for (int k = 0; k < n; k++) {
                    sink.accept(k, raw[k]);
                }
            }
            case 0x0B -> {
                for (int k = 0; k < n; k++) {
                    sink.accept(k, bb.getShort());
                }
            }
            case 0x0C -> {
                for (int k = 0; k < n; k++) {
                    sink.accept(k, bb.getInt());
                }
            }
            case 0x0D, 0x0E -> {
                for (int k = 0; k < n; k++) {
                    double v = header.type == 0x0D ? bb.getFloat() : bb.getDouble();
                    if (!Double.isFinite(v)) {
                        throw Errors.atOffset(source.name, header.dataOffset + (long) k * width(header.type),
                                "value " + k + " is " + v + "; every value must be a finite number");
                    }
                    sink.accept(k, v);
                }
            }
            default -> throw new IllegalStateException("type " + header.type);
        }
    }

    /** The size in bytes of one value of an IDX type, or 0 for an unknown type. */
    private static int width(int type) {
        return switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> 0;
        };
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> String.format(Locale.ROOT, "0x%02X", type);
        };
    }
}
