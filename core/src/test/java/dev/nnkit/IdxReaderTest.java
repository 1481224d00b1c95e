package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.data.Dataset;
import dev.nnkit.io.DataFileException;
import dev.nnkit.io.formats.IdxReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files written by the test itself: valid ones of every type, plain and gzip, and broken ones. */
class IdxReaderTest {

    @TempDir
    Path dir;

    private static final IdxReader IDX = IdxReader.defaults();

    /** The bytes of an IDX file: magic 0 0 type d, the big-endian dimensions, then {@code data} as given. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] ubytes(int... values) {
        byte[] out = new byte[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = (byte) values[k];
        }
        return out;
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    /** Three 2x2 "images" with pixels 0..255, item k's pixel p = 10 k + p except two extremes. */
    private static byte[] images() {
        return idx(0x08, new int[] {3, 2, 2}, ubytes(0, 1, 2, 255, 10, 11, 12, 13, 20, 21, 22, 23));
    }

    @Test
    void imagesBecomeColumnsScaledToZeroOneFromPlainAndGzipFilesAlike() throws IOException {
        for (Path file : new Path[] {write("images.idx", images()), write("images-no-extension", gzip(images()))}) {
            DMatrixRMaj x = IDX.features(file, 0);
            assertEquals(4, x.numRows, file.toString());
            assertEquals(3, x.numCols);
            // column j is image j; row p is pixel p in row-major order of the image
            assertEquals(0.0, x.get(0, 0), 0.0);
            assertEquals(1.0, x.get(3, 0), 0.0);
            assertEquals(2 / 255.0, x.get(2, 0), 1e-15);
            assertEquals(11 / 255.0, x.get(1, 1), 1e-15);
            assertEquals(23 / 255.0, x.get(3, 2), 1e-15);
        }
    }

    @Test
    void aLimitReadsOnlyTheFirstItems() throws IOException {
        Path file = write("images.gz", gzip(images()));
        DMatrixRMaj x = IDX.features(file, 2);
        assertEquals(2, x.numCols);
        assertEquals(11 / 255.0, x.get(1, 1), 1e-15);
        IdxReader.IdxArray array = IDX.read(file, 2);
        assertArrayEquals(new int[] {2, 2, 2}, array.dimensions());
        assertEquals(8, array.size());
        // a limit above the item count reads every item
        assertEquals(3, IDX.features(file, 1000).numCols);
    }

    @Test
    void labelsBecomeOneHotColumnsOrARawRow() throws IOException {
        Path file = write("labels.gz", gzip(idx(0x08, new int[] {4}, ubytes(2, 0, 1, 2))));
        DMatrixRMaj y = IDX.oneHot(file, 3, 0);
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1}, y.data, 0.0);
        DMatrixRMaj row = IDX.labelRow(file, 0);
        assertArrayEquals(new double[] {2, 0, 1, 2}, row.data, 0.0);
        assertEquals(1, row.numRows);
    }

    @Test
    void aDatasetPairsImagesAndLabelsAndRefusesDifferentCounts() throws IOException {
        Path images = write("images", images());
        Path labels = write("labels", idx(0x08, new int[] {3}, ubytes(1, 0, 1)));
        Dataset data = IDX.dataset(images, labels, 2, 0);
        assertEquals(3, data.size());
        assertEquals(4, data.inputSize());
        assertEquals(2, data.outputSize());
        // unsigned-byte pixels stay bytes in memory and read as the very values features() gives
        assertTrue(data.toString().contains("unsigned byte rows"), data.toString());
        assertArrayEquals(IDX.features(images, 0).data, data.features().data, 0.0);
        assertEquals(22 / 255.0, data.slice(2, 3).features().get(2, 0), 1e-15);
        Path four = write("labels4", idx(0x08, new int[] {4}, ubytes(1, 0, 1, 1)));
        DataFileException e = assertThrows(DataFileException.class, () -> IDX.dataset(images, four, 2, 0));
        assertTrue(e.getMessage().contains("holds 4 labels but") && e.getMessage().contains("holds 3 images"), e.getMessage());
    }

    @Test
    void everyValueTypeIsReadBigEndian() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(3 * 8).order(ByteOrder.BIG_ENDIAN);
        b.putDouble(-1.5).putDouble(1e300).putDouble(0.1);
        assertArrayEquals(new double[] {-1.5, 1e300, 0.1}, IDX.read(write("d", idx(0x0E, new int[] {3}, b.array())), 0).values(), 0.0);
        b = ByteBuffer.allocate(3 * 4).order(ByteOrder.BIG_ENDIAN);
        b.putFloat(-1.5f).putFloat(0.25f).putFloat(3e10f);
        assertArrayEquals(new double[] {-1.5, 0.25, 3e10f}, IDX.read(write("f", idx(0x0D, new int[] {3}, b.array())), 0).values(), 0.0);
        b = ByteBuffer.allocate(3 * 4).order(ByteOrder.BIG_ENDIAN);
        b.putInt(-70000).putInt(0).putInt(Integer.MAX_VALUE);
        assertArrayEquals(new double[] {-70000, 0, Integer.MAX_VALUE}, IDX.read(write("i", idx(0x0C, new int[] {3}, b.array())), 0).values(), 0.0);
        b = ByteBuffer.allocate(3 * 2).order(ByteOrder.BIG_ENDIAN);
        b.putShort((short) -300).putShort((short) 1).putShort((short) 32767);
        assertArrayEquals(new double[] {-300, 1, 32767}, IDX.read(write("s", idx(0x0B, new int[] {3}, b.array())), 0).values(), 0.0);
        assertArrayEquals(new double[] {-1, 127, -128}, IDX.read(write("b", idx(0x09, new int[] {3}, ubytes(255, 127, 128))), 0).values(), 0.0);
        IdxReader.IdxArray u = IDX.read(write("u", idx(0x08, new int[] {1, 3}, ubytes(255, 127, 128))), 0);
        assertArrayEquals(new double[] {255, 127, 128}, u.values(), 0.0);
        assertEquals(0x08, u.type());
        assertArrayEquals(new int[] {1, 3}, u.dimensions());
        // features keep values of types other than unsigned byte as they are
        DMatrixRMaj floats = IDX.features(write("f2", idx(0x0D, new int[] {1, 3}, ByteBuffer.allocate(12).putFloat(-1.5f)
                .putFloat(0.25f).putFloat(2f).array())), 0);
        assertArrayEquals(new double[] {-1.5, 0.25, 2}, floats.data, 0.0);
    }

    @Test
    void truncatedFilesAreRefusedAtEveryCutPlainOrGzip() throws IOException {
        byte[] whole = images(); // 16-byte header + 12 data bytes
        for (int cut : new int[] {1, 2, 3, 4, 7, 15, 16, 17, 27}) {
            byte[] part = Arrays.copyOf(whole, cut);
            for (boolean compressed : new boolean[] {false, true}) {
                Path file = write("cut" + cut + compressed, compressed ? gzip(part) : part);
                DataFileException e = assertThrows(DataFileException.class, () -> IDX.features(file, 0), "cut at " + cut);
                assertTrue(e.getMessage().contains("truncated"), e.getMessage());
                assertTrue(e.getMessage().startsWith(file.toString() + ": at byte "), e.getMessage());
                assertEquals(file.toString(), e.file());
                assertTrue(e.offset() >= 0 && e.offset() <= cut, "offset " + e.offset() + " for a cut at " + cut);
            }
        }
        // a gzip stream cut in the middle of its compressed data
        byte[] compressed = gzip(images());
        Path file = write("cut-gzip", Arrays.copyOf(compressed, compressed.length - 12));
        DataFileException e = assertThrows(DataFileException.class, () -> IDX.features(file, 0));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aTruncatedPlainFileIsRefusedFromItsSizeWithTheNumbers() throws IOException {
        Path file = write("short", Arrays.copyOf(images(), 20));
        DataFileException e = assertThrows(DataFileException.class, () -> IDX.read(file, 0));
        assertEquals(file + ": at byte 20: the file is truncated: the header declares [3, 2, 2] = 12 values of 1 byte(s), "
                + "28 bytes in all, but the file has 20", e.getMessage());
    }

    @Test
    void wrongMagicUnknownTypesAndBadDimensionCountsAreRefused() throws IOException {
        DataFileException e = assertThrows(DataFileException.class,
                () -> IDX.read(write("text", "hello, world".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0));
        assertTrue(e.getMessage().contains("at byte 0: wrong magic number: the file starts with 0x68 0x65 0x6C 0x6C"), e.getMessage());
        byte[] bad = images();
        bad[2] = 0x07;
        e = assertThrows(DataFileException.class, () -> IDX.read(write("type", bad), 0));
        assertTrue(e.getMessage().contains("at byte 2: unknown value type 0x07"), e.getMessage());
        e = assertThrows(DataFileException.class, () -> IDX.read(write("d0", new byte[] {0, 0, 8, 0}), 0));
        assertTrue(e.getMessage().contains("at byte 3: the file declares 0 dimensions"), e.getMessage());
        e = assertThrows(DataFileException.class, () -> IDX.read(write("d9", idx(8, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, ubytes(7))), 0));
        assertTrue(e.getMessage().contains("declares 9 dimensions; this reader accepts 1 to 8"), e.getMessage());
    }

    @Test
    void emptyFilesAndEmptyDimensionsAreRefused() throws IOException {
        DataFileException e = assertThrows(DataFileException.class, () -> IDX.read(write("empty", new byte[0]), 0));
        assertTrue(e.getMessage().contains("the file is empty"), e.getMessage());
        e = assertThrows(DataFileException.class, () -> IDX.read(write("empty.gz", gzip(new byte[0])), 0));
        assertTrue(e.getMessage().contains("uncompressed content is empty"), e.getMessage());
        e = assertThrows(DataFileException.class, () -> IDX.read(write("zero", idx(8, new int[] {0, 28, 28}, new byte[0])), 0));
        assertTrue(e.getMessage().contains("at byte 4: dimension 0 is 0; the file holds no data"), e.getMessage());
    }

    @Test
    void hugeDeclaredSizesAreRefusedBeforeAnythingIsAllocated() throws IOException {
        // 60000^3 values: beyond the limit, found while reading the dimensions
        Path cube = write("cube", idx(8, new int[] {60000, 60000, 60000}, ubytes(1, 2, 3)));
        DataFileException e = assertThrows(DataFileException.class, () -> IDX.read(cube, 0));
        assertTrue(e.getMessage().contains("declare more values than this reader's limit of 100000000"), e.getMessage());
        // 2^32 - 1 does not fit an int
        Path negative = write("negative", idx(8, new int[] {-1}, ubytes(1)));
        e = assertThrows(DataFileException.class, () -> IDX.read(negative, 0));
        assertTrue(e.getMessage().contains("dimension 0 is 4294967295, more than 2^31 - 1"), e.getMessage());
        // within the limit, but a plain file of 19 bytes cannot hold 9 * 10^7 values: refused from its size
        Path big = write("big", idx(8, new int[] {90_000_000}, ubytes(1, 2, 3)));
        e = assertThrows(DataFileException.class, () -> IDX.read(big, 0));
        assertTrue(e.getMessage().contains("the file is truncated: the header declares [90000000]"), e.getMessage());
        // the same as gzip: DEFLATE cannot expand a few dozen bytes to 90 MB
        Path bigGz = write("big.gz", gzip(idx(8, new int[] {90_000_000}, ubytes(1, 2, 3))));
        e = assertThrows(DataFileException.class, () -> IDX.read(bigGz, 0));
        assertTrue(e.getMessage().contains("a gzip file of " + Files.size(bigGz) + " bytes can hold at most 1100 times"),
                e.getMessage());
        // a gzip file of ~100 kB could plausibly hold the declared 5 MB but holds 100 kB of (incompressible)
        // data: the buffer grows with the data that arrives, and the file is refused as truncated
        byte[] noise = new byte[100_000];
        new java.util.Random(3).nextBytes(noise);
        Path partial = write("partial.gz", gzip(idx(8, new int[] {5_000_000}, noise)));
        e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(DataFileException.class, () -> IDX.read(partial, 0)));
        assertTrue(e.getMessage().contains("it ends after 100000 of the 5000000 data bytes"), e.getMessage());
        assertEquals(8 + 100_000, e.offset());
        // a lower limit refuses what the default accepts
        e = assertThrows(DataFileException.class, () -> IdxReader.defaults().withMaxElements(11).read(write("img", images()), 0));
        assertTrue(e.getMessage().contains("limit of 11"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdxReader.defaults().withMaxElements(0));
        assertThrows(IllegalArgumentException.class, () -> IdxReader.defaults().withMaxElements(Integer.MAX_VALUE));
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        byte[] longer = Arrays.copyOf(images(), images().length + 3);
        DataFileException e = assertThrows(DataFileException.class, () -> IDX.read(write("long", longer), 0));
        assertTrue(e.getMessage().contains("at byte 28: the file has 3 byte(s) after the 12 values"), e.getMessage());
        e = assertThrows(DataFileException.class, () -> IDX.read(write("long.gz", gzip(longer)), 0));
        assertTrue(e.getMessage().contains("at byte 28: the uncompressed content goes on"), e.getMessage());
    }

    @Test
    void labelsOutsideTheClassRangeAreRefusedWithTheirOffset() throws IOException {
        Path file = write("labels", idx(8, new int[] {4}, ubytes(0, 9, 10, 3)));
        DataFileException e = assertThrows(DataFileException.class, () -> IDX.oneHot(file, 10, 0));
        assertEquals(file + ": at byte 10: label 10 of item 2 is not an integer in [0, 10); with 10 classes the labels are 0..9",
                e.getMessage());
        assertEquals(10, e.offset());
        // the first two items are fine
        assertEquals(2, IDX.oneHot(file, 10, 2).numCols);
        Path fractional = write("fractional", idx(0x0D, new int[] {2}, ByteBuffer.allocate(8).putFloat(1f).putFloat(0.5f).array()));
        e = assertThrows(DataFileException.class, () -> IDX.oneHot(fractional, 2, 0));
        assertTrue(e.getMessage().contains("label 0.5 of item 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IDX.oneHot(file, 1, 0));
    }

    @Test
    void nonFiniteFloatsCorruptGzipAndWrongDimensionalityAreRefused() throws IOException {
        Path nan = write("nan", idx(0x0D, new int[] {2}, ByteBuffer.allocate(8).putFloat(1f).putFloat(Float.NaN).array()));
        DataFileException e = assertThrows(DataFileException.class, () -> IDX.read(nan, 0));
        assertTrue(e.getMessage().contains("at byte 12: value 1 is NaN"), e.getMessage());

        byte[] compressed = gzip(images());
        compressed[12] ^= (byte) 0xff; // inside the deflate data
        compressed[13] ^= (byte) 0x5a;
        e = assertThrows(DataFileException.class, () -> IDX.read(write("corrupt.gz", compressed), 0));
        assertTrue(e.getMessage().contains("gzip") || e.getMessage().contains("magic") || e.getMessage().contains("truncated"),
                e.getMessage());

        e = assertThrows(DataFileException.class, () -> IDX.oneHot(write("images", images()), 10, 0));
        assertTrue(e.getMessage().contains("a labels file has 1 dimension, (items); this one has 3"), e.getMessage());
        e = assertThrows(DataFileException.class, () -> IDX.features(write("labels", idx(8, new int[] {2}, ubytes(1, 0))), 0));
        assertTrue(e.getMessage().contains("features need at least 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IDX.read(write("ok", images()), -1));
    }
}
