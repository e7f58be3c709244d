package org.nas4j.estimators.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsFormatTest {

    private static final String HEADER = "# a comment\n@problemName Toy\n@timeStamps false\n@missing false\n"
            + "@univariate false\n@dimensions 2\n@equalLength false\n@classLabel true a b\n@data\n";

    @TempDir
    Path dir;

    @Test
    void readsChannelsLabelsAndUnequalLengths() throws IOException {
        TsDataset d = TsFormat.read(write("ok.ts", HEADER + "1,2,3:4,5,6:b\n\n0.5,-1:2,3e-1:a\n"));
        assertEquals("Toy", d.problemName());
        assertEquals(List.of("a", "b"), d.classLabels());
        assertEquals(2, d.channels());
        assertEquals(2, d.size());
        assertEquals(3, d.length(0));
        assertEquals(2, d.length(1));
        assertEquals(1, d.label(0));
        assertEquals(0, d.label(1));
        assertEquals(6f, d.value(0, 1, 2));
        assertEquals(0.3f, d.value(1, 1, 1));

        ImageDataset padded = d.toImageDataset(4);
        assertEquals(2, padded.channels());
        assertEquals(1, padded.height());
        assertEquals(4, padded.width());
        float[] sample = new float[8];
        padded.copySample(1, sample, 0);
        assertEquals(List.of(0.5f, -1f, 0f, 0f, 2f, 0.3f, 0f, 0f), boxed(sample), "zeros after the end");
    }

    @Test
    void normalisationUsesOnlyRealValuesSoThePaddingIsTheChannelMean() throws IOException {
        TsDataset d = TsFormat.read(write("ok.ts", HEADER + "1,2,3:4,5,6:b\n3,4:8,9:a\n"));
        float[][] stats = d.channelStatistics();
        assertEquals(2.6f, stats[0][0], 1e-6f, "mean of 1,2,3,3,4");
        ImageDataset n = d.normalized(stats[0], stats[1]).toImageDataset(3);
        float[] sample = new float[6];
        n.copySample(1, sample, 0);
        assertEquals(0f, sample[2], "padding after normalisation");
        assertEquals((3 - 2.6f) / stats[1][0], sample[0], 1e-6f);
    }

    @Test
    void missingValuesAreZeroWhenDeclared() throws IOException {
        TsDataset d = TsFormat.read(write("m.ts", HEADER.replace("@missing false", "@missing true")
                + "1,?,3:4,5,?:a\n"));
        assertEquals(0f, d.value(0, 0, 1));
        assertEquals(0f, d.value(0, 1, 2));
    }

    @Test
    void malformedFilesNameTheLineAndTheField() throws IOException {
        expect("1,x2,3:4,5,6:a\n", 10, "series 0, channel 0, value 1", "'x2' is not a number");
        expect("1,2:3,4:a\n1,2:c\n", 11, "series 1", "has 1 channels, but @dimensions says 2");
        expect("1,2:3,4:z\n", 10, "series 0, label", "'z' is not one of @classLabel [a, b]");
        expect("1,2,3:4,5:a\n", 10, "series 0, channel 1", "has 2 values, but channel 0 has 3");
        expect("1,?:3,4:a\n", 10, "series 0, channel 0, value 1", "@missing is not true");
        expect("1,,3:3,4,5:a\n", 10, "series 0, channel 0, value 1", "'' is not a number");
        expect("1,2:3,4\n", 10, "series 0", "has 1 channels, but @dimensions says 2");
        expect("1,2:3,NaN:a\n", 10, "series 0, channel 1, value 1", "not a finite float");
        expectHeader("@dimensions 2", "@dimensions two", 6, "@dimensions", "must be a positive integer, but was 'two'");
        expectHeader("@missing false", "@missing maybe", 4, "@missing", "must be true or false, but was 'maybe'");
        expectHeader("@classLabel true a b", "@classLabel false", 8, "@classLabel", "unlabelled data");
        expectHeader("@classLabel true a b", "@classLabel true a", 8, "@classLabel", "at least 2 class labels");
        expectHeader("@timeStamps false", "@timeStamps true", 3, "@timeStamps", "not supported");
        expectHeader("@equalLength false", "@sampleRate 5", 7, "@sampleRate", "unknown header");
        expectHeader("@problemName Toy\n", "", 8, "@problemName", "missing before @data");
        expectHeader("@data\n", "", 9, "header", "expected a header starting with '@' or '@data'");
        Path headersOnly = write("h.ts", HEADER.replace("@data\n", ""));
        TsFormatException e = assertThrows(TsFormatException.class, () -> TsFormat.read(headersOnly));
        assertEquals("h.ts, @data: the file has no @data line", e.getMessage());
        Path noSeries = write("n.ts", HEADER);
        e = assertThrows(TsFormatException.class, () -> TsFormat.read(noSeries));
        assertEquals("n.ts, @data: no series after @data", e.getMessage());
    }

    @Test
    void lengthHeadersAreChecked() throws IOException {
        String equal = HEADER.replace("@equalLength false", "@equalLength true\n@seriesLength 3");
        TsFormatException e = assertThrows(TsFormatException.class,
                () -> TsFormat.read(write("e.ts", equal + "1,2,3:4,5,6:a\n1,2:3,4:b\n")));
        assertEquals(12, e.line());
        assertTrue(e.getMessage().contains("has length 2, but @seriesLength is 3"), e.getMessage());
        String univariate = HEADER.replace("@univariate false", "@univariate true");
        e = assertThrows(TsFormatException.class, () -> TsFormat.read(write("u.ts", univariate + "1:a\n")));
        assertEquals("@dimensions", e.field());
        assertTrue(e.getMessage().startsWith("u.ts line 6, @dimensions: is 2, but @univariate is true"),
                e.getMessage());
    }

    @Test
    void theSharedArchiveFilesLoadWithTheirDocumentedSizes() throws IOException {
        Path ucr = sharedUcr();
        Assumptions.assumeTrue(ucr != null, "shared/data/ucr is not beside the project");
        TrainTest italy = UcrArchive.load(ucr, "ItalyPowerDemand");
        assertEquals(67, italy.train().size());
        assertEquals(1029, italy.test().size());
        assertEquals(24, italy.train().width());
        assertEquals(2, italy.train().classes());
        TsDataset vowels = TsFormat.read(ucr.resolve("JapaneseVowels_TRAIN.ts"));
        assertEquals(270, vowels.size());
        assertEquals(12, vowels.channels());
        assertEquals(9, vowels.classLabels().size());
        assertTrue(vowels.maxLength() > vowels.length(0) || vowels.maxLength() == 26,
                "lengths differ between series");
        TrainTest motions = UcrArchive.load(ucr, "BasicMotions");
        assertEquals(6, motions.train().channels());
        assertEquals(100, motions.test().width());
        assertEquals(4, motions.test().classes());
    }

    @Test
    void aMissingProblemIsNamed() {
        IOException e = assertThrows(IOException.class, () -> UcrArchive.load(dir, "Nope"));
        assertTrue(e.getMessage().contains("no train file for problem 'Nope'"), e.getMessage());
    }

    /** The shared UCR folder, found by walking up from the working directory. */
    static Path sharedUcr() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path t = d.resolve("shared/data/ucr");
            if (Files.isDirectory(t)) {
                return t;
            }
        }
        return null;
    }

    private void expect(String body, int line, String field, String reason) throws IOException {
        Path f = write("bad.ts", HEADER + body);
        TsFormatException e = assertThrows(TsFormatException.class, () -> TsFormat.read(f), body);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.ts line " + line + ", " + field + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private void expectHeader(String from, String to, int line, String field, String reason) throws IOException {
        Path f = write("bad.ts", HEADER.replace(from, to) + "1,2:3,4:a\n");
        TsFormatException e = assertThrows(TsFormatException.class, () -> TsFormat.read(f), to);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static List<Float> boxed(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return List.of(b);
    }
}
