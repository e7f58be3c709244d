package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BuildTable writes a table TabularEstimator's format holds, resumably; ZeroCostBenchmark ranks proxies against it. */
class ZeroCostBenchmarkTest {

    @Test
    void buildsATableAndRanksProxiesAgainstIt(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("t.csv");
        String[] build = {"--cells", "5", "--seeds", "2", "--steps", "3", "--channels", "4",
                "--journal", dir.resolve("j").toString(), "--out", table.toString()};
        String built = StandardOutput.of(() -> BuildTable.main(build));
        assertTrue(built.contains("TABLE cells=5 seeds=2 rows=5 path="), built);
        List<String> lines = Files.readAllLines(table);
        assertEquals("arch_index,arch_str,train_acc,valid_acc,test_acc", lines.get(0));
        assertEquals(6, lines.size());
        assertEquals(5, lines.stream().skip(1).map(l -> l.split(",")[1]).distinct().count(), "distinct cells");

        // a second run finds every training in the journal and writes the same table
        byte[] first = Files.readAllBytes(table);
        StandardOutput.of(() -> BuildTable.main(build));
        assertEquals(new String(first), Files.readString(table), "resumed from the journal, same table");

        String ranked = StandardOutput.of(() -> ZeroCostBenchmark.main(new String[] {"--table", table.toString(),
                "--channels", "4", "--proxies", "params,synflow,fisher", "--batch", "8", "--freedarts", "none"}));
        Matcher m = Pattern.compile("RESULT proxy=(\\w+) spearman=(-?[0-9.]+|NaN) kendall_tau=(-?[0-9.]+|NaN) "
                + "top10_overlap=(\\d+) n=5 seconds_per_cell=[0-9.]+").matcher(ranked);
        int results = 0;
        while (m.find()) {
            results++;
            assertEquals(5, Integer.parseInt(m.group(4)), "with 5 cells the top 10 are all of them");
        }
        assertEquals(3, results, ranked);
    }

    @Test
    void trainsTheFreeDartsCellWithTheTablesRecipe(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("t.csv");
        StandardOutput.of(() -> BuildTable.main(new String[] {"--cells", "3", "--seeds", "1", "--steps", "3",
                "--channels", "4", "--journal", "", "--out", table.toString()}));
        String out = StandardOutput.of(() -> ZeroCostBenchmark.main(new String[] {"--table", table.toString(),
                "--channels", "4", "--proxies", "none", "--freedarts", "synflow-inference,snip", "--inits", "1", "--seeds", "2",
                "--steps", "3", "--batch", "8"}));
        Matcher m = Pattern.compile("RESULT freedarts=([\\w-]+) seed=(\\d) cell=(\\S+) valid_acc=([0-9.]+) "
                + "test_acc=([0-9.]+) table_median=([0-9.]+) table_best=([0-9.]+) above=([0-9.]+) "
                + "in_table=(none|[0-9.]+) search_seconds=[0-9.]+").matcher(out);
        List<String> lines = new java.util.ArrayList<>();
        while (m.find()) {
            lines.add(m.group(1) + m.group(2));
            assertTrue(m.group(3).startsWith("|"), "a NAS-Bench-201 arch string: " + m.group(3));
            double above = Double.parseDouble(m.group(8));
            assertTrue(above >= 0 && above <= 1, out);
            assertTrue(Double.parseDouble(m.group(6)) <= Double.parseDouble(m.group(7)), "median <= best: " + out);
        }
        assertEquals(List.of("synflow-inference0", "snip0"), lines, out);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZeroCostBenchmark.main(
                new String[] {"--table", table.toString(), "--channels", "4", "--proxies", "none",
                        "--freedarts", "magic"}));
        assertTrue(e.getMessage().contains("--freedarts") && e.getMessage().contains("magic"), e.getMessage());
    }

    @Test
    void topOverlapCountsSharedLeaders() {
        double[] truth = {5, 4, 3, 2, 1};
        assertEquals(1, ZeroCostBenchmark.topOverlap(new double[] {9, 1, 8, 2, 3}, truth, 2),
                "the two best by truth are 0 and 1; by score 0 and 2: one shared");
        assertEquals(2, ZeroCostBenchmark.topOverlap(new double[] {2, 1, 0, 0, 0}, truth, 2));
    }

    @Test
    void aTableWithoutItsColumnsIsRefused(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("bad.csv");
        Files.writeString(table, "arch,acc\nx,1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ZeroCostBenchmark.main(new String[] {"--table", table.toString(), "--proxies", "params"}));
        assertTrue(e.getMessage().contains("arch_str and valid_acc"), e.getMessage());
    }
}
