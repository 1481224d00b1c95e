package dev.nnkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.io.DataFileException;
import dev.nnkit.io.formats.CsvReader.CsvTable;
import dev.nnkit.io.formats.CsvReader.Header;
import dev.nnkit.io.formats.CsvReader.LabelEncoding;
import dev.nnkit.io.formats.CsvReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV text written by the test: the layouts a user's file may have, and the ways it can be broken. */
class CsvReaderTest {

    @TempDir
    Path dir;

    private static CsvTable read(CsvReader reader, String text) throws IOException {
        return reader.read(new StringReader(text), "data.csv");
    }

    private static DataFileException fails(CsvReader reader, String text) {
        return assertThrows(DataFileException.class, () -> read(reader, text));
    }

    @Test
    void aHeaderIsDetectedAndTheLastColumnIsTheLabelByDefault() throws IOException {
        CsvTable t = read(CsvReader.defaults(), "x1,x2,y\n1,2,0\n-0.5,3e-1,1\n.25,+4,1\n");
        DMatrixRMaj x = t.data().features();
        assertEquals(2, x.numRows);
        assertEquals(3, x.numCols);
        // one example per column: the first line is column 0
        assertArrayEquals(new double[] {1, -0.5, 0.25, 2, 0.3, 4}, x.data, 1e-15);
        assertArrayEquals(new double[] {0, 1, 1}, t.data().labels().data, 0.0);
        assertEquals(List.of("x1", "x2"), t.featureNames());
        assertEquals(List.of("y"), t.labelNames());
        assertEquals(List.of(), t.classes());
    }

    @Test
    void withoutAHeaderTheFirstLineIsDataAndColumnsAreNamedByIndex() throws IOException {
        CsvTable t = read(CsvReader.defaults(), "1,2,0\n3,4,1\n");
        assertEquals(2, t.data().size());
        assertEquals(List.of("column 0", "column 1"), t.featureNames());
        // ABSENT forces data even when the first line is all text, which then is no number
        DataFileException e = fails(CsvReader.defaults().withHeader(Header.ABSENT), "a,b,c\n1,2,3\n");
        assertEquals("data.csv: line 1, column 1: feature \"a\" is not a number; every feature cell must be a decimal "
                + "number such as -0.25, 3 or 1e-3", e.getMessage());
        assertEquals(1, e.line());
        assertEquals(-1, e.offset());
        // PRESENT takes a numeric first line as names
        CsvTable named = read(CsvReader.defaults().withHeader(Header.PRESENT), "1,2,3\n4,5,6\n");
        assertEquals(List.of("1", "2"), named.featureNames());
        assertEquals(1, named.data().size());
    }

    @Test
    void integerClassLabelsBecomeOneHotColumnsZeroToMax() throws IOException {
        CsvTable t = read(CsvReader.defaults().withLabelColumns("0").withLabelEncoding(LabelEncoding.ONE_HOT),
                "2,0.5\n0,1.5\n1.0,2.5\n2,3.5\n");
        assertEquals(List.of("0", "1", "2"), t.classes());
        DMatrixRMaj y = t.data().labels();
        assertEquals(3, y.numRows);
        assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1}, y.data, 0.0);
        assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5}, t.data().features().data, 0.0);
    }

    @Test
    void namedClassLabelsAreSortedAndFixedClassesMapATestFileLikeItsTrainingFile() throws IOException {
        String iris = "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.4,setosa\n";
        CsvReader reader = CsvReader.defaults().withLabelColumns("species").withLabelEncoding(LabelEncoding.ONE_HOT);
        CsvTable t = read(reader, iris);
        assertEquals(List.of("setosa", "versicolor", "virginica"), t.classes());
        assertArrayEquals(new double[] {1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}, t.data().labels().data, 0.0);
        // a test file with only virginica keeps three rows of Y, in the training order
        CsvTable test = read(reader.withClasses(t.classes()), "sepal,petal,species\n6.5,5.5,virginica\n");
        assertArrayEquals(new double[] {0, 0, 1}, test.data().labels().data, 0.0);
        DataFileException e = fails(reader.withClasses(t.classes()), "sepal,petal,species\n6.5,5.5,rose\n");
        assertEquals("data.csv: line 2, column 3: class label \"rose\" is not one of the 3 classes [setosa, versicolor, virginica]",
                e.getMessage());
        // fixed integer classes accept 1.0 for 1
        CsvTable ints = read(CsvReader.defaults().withLabelEncoding(LabelEncoding.ONE_HOT).withClasses(List.of("0", "1", "2")),
                "0.5,1.0\n");
        assertArrayEquals(new double[] {0, 1, 0}, ints.data().labels().data, 0.0);
    }

    @Test
    void labelAndIgnoredColumnsAreChosenByNameOrIndexAndSeveralLabelColumnsKeepTheirValues() throws IOException {
        String text = "id,a,t1,b,t2\n7,1,10,2,20\n8,3,30,4,40\n";
        CsvTable t = read(CsvReader.defaults().withIgnoredColumns("id").withLabelColumns("t1", "-1"), text);
        assertEquals(List.of("a", "b"), t.featureNames());
        assertEquals(List.of("t1", "t2"), t.labelNames());
        assertArrayEquals(new double[] {1, 3, 2, 4}, t.data().features().data, 0.0);
        assertArrayEquals(new double[] {10, 30, 20, 40}, t.data().labels().data, 0.0);
        DataFileException e = fails(CsvReader.defaults().withLabelColumns("target"), text);
        assertEquals("data.csv: line 1: label column 'target' is not in the header; the columns are [id, a, t1, b, t2]",
                e.getMessage());
        e = fails(CsvReader.defaults().withLabelColumns("5"), text);
        assertTrue(e.getMessage().contains("label column 5 does not exist: the file has 5 columns, 0..4"), e.getMessage());
        e = fails(CsvReader.defaults().withLabelColumns("-6"), text);
        assertTrue(e.getMessage().contains("label column -6 does not exist"), e.getMessage());
        e = fails(CsvReader.defaults().withLabelColumns("y"), "1,2\n");
        assertTrue(e.getMessage().contains("label column 'y' is a name but the file has no header line"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> read(CsvReader.defaults().withLabelColumns("a").withIgnoredColumns("1"), text));
        assertThrows(IllegalArgumentException.class, () -> read(CsvReader.defaults().withLabelColumns("t1", "2"), text));
        assertThrows(IllegalArgumentException.class,
                () -> read(CsvReader.defaults().withLabelColumns("t1", "t2").withLabelEncoding(LabelEncoding.ONE_HOT), text));
        e = fails(CsvReader.defaults().withIgnoredColumns("0", "1"), "1,2,3\n");
        assertTrue(e.getMessage().contains("no feature column is left"), e.getMessage());
    }

    @Test
    void quotesDelimitersLineEndingsBlankLinesAndAByteOrderMarkAreHandled() throws IOException {
        String text = "\uFEFF\"x;1\" ; \"y\"\"q\"\r\n\r\n 1.5 ; \"2\" \r\n\n3;4\r";
        CsvTable t = read(CsvReader.defaults().withDelimiter(';'), text);
        assertEquals(List.of("x;1"), t.featureNames());
        assertEquals(List.of("y\"q"), t.labelNames());
        assertArrayEquals(new double[] {1.5, 3}, t.data().features().data, 0.0);
        assertArrayEquals(new double[] {2, 4}, t.data().labels().data, 0.0);
        CsvTable tabs = read(CsvReader.defaults().withDelimiter('\t'), "1\t2\n");
        assertEquals(1, tabs.data().size());
        assertThrows(IllegalArgumentException.class, () -> CsvReader.defaults().withDelimiter('.'));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.defaults().withDelimiter('"'));
    }

    @Test
    void aFileIsReadAsUtf8FromDisk() throws IOException {
        Path file = dir.resolve("d.csv");
        Files.writeString(file, "größe,klasse\n1,0\n2,1\n", StandardCharsets.UTF_8);
        CsvTable t = CsvReader.defaults().read(file);
        assertEquals(List.of("größe"), t.featureNames());
        Files.writeString(file, "a,b\n1,x\n", StandardCharsets.UTF_8);
        DataFileException e = assertThrows(DataFileException.class, () -> CsvReader.defaults().read(file));
        assertEquals(file.toString(), e.file());
        assertTrue(e.getMessage().startsWith(file + ": line 2, column 2: label \"x\" is not a number"), e.getMessage());
    }

    @Test
    void nonNumericNonFiniteAndEmptyCellsAreRefusedWithTheirLineAndColumn() {
        CsvReader reader = CsvReader.defaults();
        assertEquals("data.csv: line 3, column 2: feature \"NaN\" is not finite; every feature cell must be a finite "
                + "number (fill in or drop missing values first)", fails(reader, "a,b,c\n1,2,3\n4,NaN,6\n").getMessage());
        assertTrue(fails(reader, "a,b\n-Infinity,1\n").getMessage().contains("line 2, column 1: feature \"-Infinity\" is not finite"));
        assertTrue(fails(reader, "a,b\n1e999,1\n").getMessage().contains("feature 1e999 overflows a double"));
        assertTrue(fails(reader, "a,b\n0x10,1\n").getMessage().contains("feature \"0x10\" is not a number"));
        assertTrue(fails(reader, "a,b\n1d,1\n").getMessage().contains("feature \"1d\" is not a number"));
        assertTrue(fails(reader, "a,b,c\n1,,3\n").getMessage().contains("line 2, column 2: feature cell is empty"));
        assertTrue(fails(reader, "a,b\n1,nan\n").getMessage().contains("line 2, column 2: label \"nan\" is not finite"));
        assertTrue(fails(reader, "a,b\n\"1,2\n").getMessage().contains("line 2, column 1: the quote opened at character 1 is not closed"));
        assertTrue(fails(reader, "a,b\n\"1\"x,2\n").getMessage().contains("unexpected 'x' after a closing quote"));
    }

    @Test
    void raggedRowsEmptyFilesAndHeaderOnlyFilesAreRefused() {
        CsvReader reader = CsvReader.defaults();
        DataFileException e = fails(reader, "a,b,c\n1,2,3\n4,5\n");
        assertEquals("data.csv: line 3: the line has 2 cells but line 1 has 3; every line needs the same number of cells",
                e.getMessage());
        assertEquals(3, e.line());
        assertTrue(fails(reader, "1,2\n3,4,5\n").getMessage().contains("line 2: the line has 3 cells but line 1 has 2"));
        assertEquals("data.csv: the file holds no data: it is empty or has only blank lines", fails(reader, "").getMessage());
        assertEquals("data.csv: the file holds no data: it is empty or has only blank lines", fails(reader, "\n \r\n\t\n").getMessage());
        assertEquals("data.csv: the file has a header but no data lines", fails(reader, "a,b\n\n").getMessage());
        assertTrue(fails(reader, "a,b\n1,\u00002\n").getMessage().contains("NUL character"));
    }

    @Test
    void badClassLabelsAreRefused() {
        CsvReader oneHot = CsvReader.defaults().withLabelEncoding(LabelEncoding.ONE_HOT);
        assertEquals("data.csv: line 3, column 2: class label -1 is not an integer >= 0; integer class labels are 0, 1, 2, ...",
                fails(oneHot, "x,y\n1,0\n2,-1\n").getMessage());
        assertTrue(fails(oneHot, "x,y\n1,0.5\n2,1\n").getMessage().contains("line 2, column 2: class label 0.5 is not an integer"));
        assertTrue(fails(oneHot, "x,y\n1,0\n2,cat\n").getMessage()
                .contains("line 3, column 2: class label \"cat\" is a name but line 2 has the integer label 0"));
        assertTrue(fails(oneHot, "x,y\n1,cat\n2,3\n").getMessage()
                .contains("line 3, column 2: class label 3 is a number but line 2 has the name \"cat\""));
        assertEquals("data.csv: every class label is cat; one-hot labels need at least 2 classes",
                fails(oneHot, "x,y\n1,cat\n2,cat\n").getMessage());
        assertEquals("data.csv: every class label is 0; one-hot labels need at least 2 classes",
                fails(oneHot, "x,y\n1,0\n2,0\n").getMessage());
        assertTrue(fails(oneHot, "x,y\n1,0\n2,99999999\n").getMessage().contains("would make 100000000 classes, more than 10000"));
        assertTrue(fails(oneHot, "x,y\n1,\"\"\n").getMessage().contains("line 2, column 2: the class label is empty"));
        assertThrows(IllegalArgumentException.class, () -> oneHot.withClasses(List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> oneHot.withClasses(List.of("1", "1.0")));
    }

    @Test
    void oversizedLinesAreRefusedBeforeTheyAreStored() {
        String longLine = "1," + "2".repeat(CsvReader.MAX_LINE_LENGTH);
        DataFileException e = fails(CsvReader.defaults(), "a,b\n" + longLine + "\n");
        assertTrue(e.getMessage().contains("line 2: the line is longer than " + CsvReader.MAX_LINE_LENGTH), e.getMessage());
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> CsvReader.defaults().withLabelColumns());
        assertThrows(IllegalArgumentException.class, () -> CsvReader.defaults().withLabelColumns(" "));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.defaults().withLabelColumns("a", "a"));
    }
}
