package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/**
 * The NAS-Bench-201 table for the shipped Fashion-MNIST that {@code BuildTable} wrote and the project ships
 * ({@code nas-examples/tables/nb201-fashion-mnist.csv}, docs/benchmarks.md): at least 500 cells, every one a
 * different network (canonical key), accuracies in range, and readable by {@code TabularEstimator}.
 */
class ShippedTableTest {
    /** The table, relative to this module (the directory tests run in). */
    static final Path TABLE = Path.of("tables", "nb201-fashion-mnist.csv");

    @Test
    void holdsAtLeast500DistinctCellsThatTheTabularEstimatorReads() throws Exception {
        assertTrue(Files.exists(TABLE), "the shipped table " + TABLE.toAbsolutePath());
        NasBench201Space space = Spaces.nasBench201Builder().channels(8).cellsPerStage(1).inputChannels(1)
                .imageSize(28).build();
        List<String> lines = Files.readAllLines(TABLE);
        assertEquals("arch_index,arch_str,train_acc,valid_acc,test_acc", lines.get(0));
        TabularEstimator table = Estimators.tabular(TABLE, space);
        assertEquals(lines.size() - 1, table.size(), "one row per line");
        assertTrue(table.size() >= 500, "at least 500 cells, but had " + table.size());
        Set<String> keys = new HashSet<>();
        for (Map.Entry<Architecture, Map<Metric, Double>> row : table.rows().entrySet()) {
            assertTrue(keys.add(space.canonicalKey(row.getKey())), "a second cell of the same network: "
                    + space.format(row.getKey()));
            for (Metric m : List.of(Metric.TRAIN_ACCURACY, Metric.VALIDATION_ACCURACY, Metric.TEST_ACCURACY)) {
                double v = row.getValue().get(m);
                assertTrue(v >= 0 && v <= 100, m + " of " + space.format(row.getKey()) + " in [0, 100]: " + v);
            }
        }
    }
}
