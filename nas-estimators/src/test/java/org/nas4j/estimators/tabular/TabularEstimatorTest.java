package org.nas4j.estimators.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.nasbench201.NasBench201Space;

class TabularEstimatorTest {
    private static final NasBench201Space SPACE = Spaces.nasBench201();
    private static final String HEADER = "arch_index,arch_str,train_acc,valid_acc,test_acc\n";

    @Test
    void theShippedTableHasEveryCellWithTheBenchmarkValues() {
        TabularEstimator t = TabularEstimator.nasBench201Cifar10();
        assertEquals(15_625, t.size());
        Architecture arch1 = SPACE.parse(
                "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|");
        Evaluation e = t.evaluate(new EvaluationRequest(0, arch1, 0, 1));
        assertEquals(90.76933332438152, e.metrics().get(Metric.VALIDATION_ACCURACY), 1e-12);
        assertEquals(90.51333333333332, e.metrics().get(Metric.TEST_ACCURACY), 1e-12);
        assertEquals(99.98533333333334, e.metrics().get(Metric.TRAIN_ACCURACY), 1e-12);
        assertEquals(SPACE.network().parameters(arch1), e.metrics().get(Metric.PARAMETERS));
        double best = t.rows().values().stream().mapToDouble(m -> m.get(Metric.VALIDATION_ACCURACY)).max()
                .orElseThrow();
        assertEquals(91.6067, best, 1e-4);
    }

    @Test
    void anyTableInTheSameFormatWorksIncludingExtraColumns(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("small.csv");
        Files.writeString(csv, "arch_str,valid_acc,latency_ms\n"
                + "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,10.0,1.5\n"
                + "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|nor_conv_3x3~2|,80.5,3.25\n");
        TabularEstimator t = TabularEstimator.fromCsv(csv, SPACE);
        assertEquals(2, t.size());
        Map<Metric, Double> m = t.lookup(SPACE.parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|nor_conv_3x3~2|"));
        assertEquals(80.5, m.get(Metric.VALIDATION_ACCURACY));
        assertEquals(3.25, m.get(Metric.LATENCY_MS));
        assertTrue(t.description().contains("2 rows"), t.description());
    }

    @Test
    void fidelityColumnsAnswerLowFidelityRequestsWithTheSmallestSufficientLevel(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("fidelity.csv");
        String a = "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|nor_conv_3x3~2|";
        Files.writeString(csv, "arch_str,valid_acc@4,valid_acc@12,valid_acc,test_acc\n"
                + a + ",40.0,60.0,85.0,84.0\n");
        TabularEstimator t = TabularEstimator.fromCsv(csv, SPACE);
        assertTrue(t.hasFidelity());
        assertEquals(java.util.List.of(4, 12), java.util.List.copyOf(t.epochLevels()));
        assertEquals(12, t.fullEpochs());
        Architecture arch = SPACE.parse(a);
        // full budget 12 epochs: 1/3 of it is 4 epochs, 1/2 is 6 -> the 12-epoch level, 1 -> 12 epochs
        assertEquals(40.0, t.lookup(arch, 1.0 / 3).get(Metric.VALIDATION_ACCURACY));
        assertEquals(4.0, t.lookup(arch, 1.0 / 3).get(Metric.EPOCHS));
        assertEquals(60.0, t.lookup(arch, 0.5).get(Metric.VALIDATION_ACCURACY));
        assertEquals(60.0, t.lookup(arch, 1).get(Metric.VALIDATION_ACCURACY));
        assertEquals(84.0, t.lookup(arch, 0.1).get(Metric.TEST_ACCURACY), "columns without levels stay as they are");
        // with the plain column as the 200-epoch value: 1/27 of 200 -> 12 epochs (the smallest level >= 7.4)
        TabularEstimator t200 = t.withFullEpochs(200);
        assertEquals(60.0, t200.lookup(arch, 1.0 / 27).get(Metric.VALIDATION_ACCURACY));
        assertEquals(40.0, t200.lookup(arch, 0.02).get(Metric.VALIDATION_ACCURACY));
        assertEquals(85.0, t200.lookup(arch, 1.0 / 3).get(Metric.VALIDATION_ACCURACY));
        assertEquals(200.0, t200.lookup(arch, 1).get(Metric.EPOCHS));
        assertEquals(40.0, t200.evaluate(new EvaluationRequest(0, arch, 0, 0.02)).metrics()
                .get(Metric.VALIDATION_ACCURACY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.withFullEpochs(6));
        assertTrue(e.getMessage().contains("epochs must be >= the largest level of the table (12), but was 6"),
                e.getMessage());
        assertTrue(!TabularEstimator.nasBench201Cifar10().hasFidelity(), "the shipped table has no fidelity columns");
        assertError(dir, "arch_str,valid_acc,valid_acc@x\n", "fidelity column must be named metric@epochs with epochs >= 1,"
                + " but was 'valid_acc@x'");
    }

    @Test
    void malformedTablesNameTheFileAndLine(@TempDir Path dir) throws Exception {
        assertError(dir, HEADER + "0,|conv_9x9~0|+|none~0|none~1|+|none~0|none~1|none~2|,1,2,3\n",
                "line 2: unknown op 'conv_9x9'");
        assertError(dir, HEADER + "0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,1,abc,3\n",
                "line 2: column valid_acc must be a number, but was 'abc'");
        assertError(dir, HEADER + "0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,1,2\n",
                "line 2: expected 5 columns, but found 4");
        assertError(dir, "index,arch,acc\n", "line 1: the header must have columns arch_str and valid_acc");
        assertError(dir, HEADER + "0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,1,2,3\n"
                + "1,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,1,2,3\n", "line 3: architecture");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TabularEstimator.fromCsv(dir.resolve("missing.csv"), SPACE));
        assertTrue(e.getMessage().contains("missing.csv"), e.getMessage());
    }

    @Test
    void anArchitectureMissingFromTheTableIsAClearError(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("one.csv");
        Files.writeString(csv, HEADER + "0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,1,2,3\n");
        TabularEstimator t = TabularEstimator.fromCsv(csv, SPACE);
        Architecture other = SPACE.parse("|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.evaluate(new EvaluationRequest(0, other, 0, 1)));
        assertTrue(e.getMessage().contains("is not in the table") && e.getMessage().contains("one.csv"),
                e.getMessage());
    }

    private static void assertError(Path dir, String content, String expected) throws Exception {
        Path csv = Files.createTempFile(dir, "bad", ".csv");
        Files.writeString(csv, content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TabularEstimator.fromCsv(csv, SPACE));
        assertTrue(e.getMessage().contains(csv.toString()) && e.getMessage().contains(expected), e.getMessage());
    }
}
