package org.nas4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/**
 * {@code OneShotBenchmark --table}: the shipped table as the ground truth of the ranks and as the yardstick of the
 * retrained cells ({@link TableComparison}), the closing OUTCOME lines ({@link OneShotOutcomes}), and the bad
 * inputs it names.
 */
class OneShotTableTest {
    private static final String TABLE = ShippedTableTest.TABLE.toString();
    private static final NasBench201Space NB201 = Spaces.nasBench201Builder().channels(8).cellsPerStage(1)
            .inputChannels(1).imageSize(28).build();
    private static final ComposedSpace SPACE = NasBench201Definition.of(NB201);
    private static final String NUMBER = "(-?[0-9.]+|NaN)";

    @Test
    void tableModeRanksAgainstTheTableAndPrintsTheTableFieldsAndTheOutcomes() throws Exception {
        // one seed, to keep the test short: OUTCOME's standard error is NaN then (the formula over several seeds
        // is checked in theOutcomeIsAboveTheMedianOnlyByMoreThanTheStandardError)
        String out = StandardOutput.of(() -> OneShotBenchmark.main(new String[] {"--table", TABLE, "--methods",
                "rsws,enas,spos", "--seeds", "1", "--epochs", "1", "--steps", "2", "--batch", "16", "--candidates", "2",
                "--rank-cells", "5", "--table-steps", "2"}));
        double[] truth = csvAccuracies().values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = truth.length;
        double exactMedian = n % 2 == 1 ? truth[n / 2] : (truth[n / 2 - 1] + truth[n / 2]) / 2;
        String median = String.format(Locale.ROOT, "%.2f", exactMedian);
        String best = String.format(Locale.ROOT, "%.2f", truth[n - 1]);
        for (String method : new String[] {"rsws", "enas"}) {
            assertTrue(Pattern.compile("(?m)^RANK method=" + method + " seed=1 kendall_tau=" + NUMBER
                    + " spearman=" + NUMBER + " n=5 ground_truth=table$").matcher(out).find(), out);
            Matcher r = Pattern.compile("(?m)^RESULT method=" + method + " seed=1 arch=\\S.* "
                    + "search_seconds=[0-9.]+ epoch_seconds=[0-9.]+ retrain_test=[0-9.]+ params=[0-9]+ "
                    + "param_free_ops=[0-9]+ retrain_valid=([0-9.]+) table_median=([0-9.]+) "
                    + "table_best=([0-9.]+) above=([0-9.]+) in_table=(true|false)$").matcher(out);
            assertTrue(r.find(), out);
            assertEquals(median, r.group(2), "the table's median");
            assertEquals(best, r.group(3), "the table's best");
            double v = Double.parseDouble(r.group(1));
            double share = Arrays.stream(truth).filter(t -> t < v).count() / (double) n;
            // above is printed to 3 decimals; retrain_valid to 2, so a table value within 0.005 of it may fall on
            // either side: at most the cells within that distance, each 1/n
            long near = Arrays.stream(truth).filter(t -> Math.abs(t - v) <= 0.005).count();
            assertEquals(share, Double.parseDouble(r.group(4)), 0.0005 + near / (double) n, out);
            assertTrue(Pattern.compile("(?m)^OUTCOME method=" + method + " seeds=1 mean_valid="
                    + Pattern.quote(r.group(1)) + " stderr=NaN table_median=" + Pattern.quote(median)
                    + " above_median_by_stderr=false$").matcher(out).find(), out);
            assertTrue(Pattern.compile("(?m)^OUTCOME_RANK method=" + method + " seeds=1 mean_kendall_tau=" + NUMBER
                    + " stderr=NaN mean_spearman=" + NUMBER + " n=5$").matcher(out).find(), out);
        }
        // SPOS, searched under a multiply-add bound, is also compared with the table's cells within that bound
        Matcher b = Pattern.compile("(?m)^OUTCOME_BOUND method=spos seeds=1 mean_valid=[0-9.]+ stderr=NaN "
                + "bound=flops<=([0-9]+) table_cells_within=([0-9]+) table_median_within=([0-9.]+) "
                + "above_bound_median_by_stderr=false$").matcher(out);
        assertTrue(b.find(), out);
        long bound = Long.parseLong(b.group(1));
        TableComparison table = TableComparison.read(ShippedTableTest.TABLE, NB201, SPACE);
        Map<String, Double> csv = csvAccuracies();
        double[] within = table.cells().stream().filter(c -> SPACE.multiplyAdds(c) <= bound)
                .mapToDouble(c -> csv.get(table.format(c))).sorted().toArray();
        assertTrue(within.length > 0 && within.length < n, "a bound that splits the table: " + within.length);
        assertEquals(within.length, Integer.parseInt(b.group(2)));
        int k = within.length;
        double withinMedian = k % 2 == 1 ? within[k / 2] : (within[k / 2 - 1] + within[k / 2]) / 2;
        assertEquals(String.format(Locale.ROOT, "%.2f", withinMedian), b.group(3));
        assertFalse(out.contains("OUTCOME_BOUND method=rsws"), "only the constrained method");
    }

    @Test
    void aBoundedOutcomeComparesWithTheTablesCellsWithinTheBound() {
        OneShotOutcomes o = new OneShotOutcomes();
        for (double v : new double[] {1, 2, 3}) {
            o.retrained("spos", v);
        }
        // mean 2, standard error 0.577: above a median of 1.2 by it, not above 1.5
        assertEquals("OUTCOME_BOUND method=spos seeds=3 mean_valid=2.00 stderr=0.58 bound=flops<=7 "
                + "table_cells_within=3 table_median_within=1.20 above_bound_median_by_stderr=true",
                o.bounded("spos", "flops<=7", new double[] {1.4, 1.0, 1.2}).orElseThrow());
        assertEquals("OUTCOME_BOUND method=spos seeds=3 mean_valid=2.00 stderr=0.58 bound=flops<=7 "
                + "table_cells_within=4 table_median_within=1.50 above_bound_median_by_stderr=false",
                o.bounded("spos", "flops<=7", new double[] {1.0, 2.5, 1.4, 1.6}).orElseThrow());
        assertTrue(o.bounded("spos-cw", "flops<=7", new double[] {1.0}).isEmpty(), "no seed retrained");
    }

    @Test
    void validAccuracyWhereKeepsTheAccuraciesOfTheCellsThePredicateAccepts() throws Exception {
        TableComparison table = TableComparison.read(ShippedTableTest.TABLE, NB201, SPACE);
        Map<String, Double> csv = csvAccuracies();
        double[] noConv = table.validAccuracyWhere(c -> !table.format(c).contains("conv"));
        double[] expected = csv.entrySet().stream().filter(e -> !e.getKey().contains("conv"))
                .mapToDouble(Map.Entry::getValue).sorted().toArray();
        assertTrue(expected.length > 0 && expected.length < csv.size(), "some cells, not all: " + expected.length);
        double[] got = noConv.clone();
        Arrays.sort(got);
        assertArrayEquals(expected, got);
        assertEquals(csv.size(), table.validAccuracyWhere(c -> true).length);
    }

    @Test
    void rankCellsAreDistinctTableCellsWithTheTablesValidationAccuracy() throws Exception {
        TableComparison table = TableComparison.read(ShippedTableTest.TABLE, NB201, SPACE);
        Map<String, Double> csv = csvAccuracies();
        assertEquals(csv.size(), table.size());
        TableComparison.Sample drawn = table.sample(5, 11);
        assertEquals(5, drawn.cells().size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Architecture cell = drawn.cells().get(i);
            assertEquals(SPACE, cell.space(), "a cell of the benchmark's space");
            String arch = table.format(cell);
            assertTrue(csv.containsKey(arch), "a cell of the table: " + arch);
            assertEquals(csv.get(arch), drawn.validAccuracy()[i], "the table's valid_acc of " + arch);
            assertTrue(seen.add(arch), "distinct");
        }
        assertEquals(drawn.cells(), table.sample(5, 11).cells(), "the same seed draws the same cells");
        assertNotEquals(drawn.cells(), table.sample(5, 12).cells(), "another seed draws other cells");
        TableComparison.Sample all = table.sample(table.size(), 11);
        assertEquals(csv.keySet(), new HashSet<>(all.cells().stream().map(table::format).toList()), "all of it");
    }

    @Test
    void theOutcomeIsAboveTheMedianOnlyByMoreThanTheStandardError() {
        // values 1, 2, 3: mean 2, sample standard deviation 1, standard error 1 / sqrt(3) = 0.577 (StatisticsTest);
        // one seed has none (NaN)
        OneShotOutcomes o = new OneShotOutcomes();
        for (double v : new double[] {1, 2, 3}) {
            o.retrained("spos", v);
        }
        o.retrained("rsws", 99);
        o.ranked("spos", 0.5, 0.6, 10);
        o.ranked("spos", 0.3, 0.4, 10);
        assertEquals(List.of("OUTCOME method=spos seeds=3 mean_valid=2.00 stderr=0.58 table_median=1.40 "
                        + "above_median_by_stderr=true",
                "OUTCOME method=rsws seeds=1 mean_valid=99.00 stderr=NaN table_median=1.40 "
                        + "above_median_by_stderr=false",
                "OUTCOME_RANK method=spos seeds=2 mean_kendall_tau=0.400 stderr=0.100 mean_spearman=0.500 n=10"),
                o.lines(1.4));
        assertEquals("OUTCOME method=spos seeds=3 mean_valid=2.00 stderr=0.58 table_median=1.50 "
                + "above_median_by_stderr=false", o.lines(1.5).get(0), "2 - 0.577 = 1.42 is below 1.5");
    }

    @Test
    void refusesAMissingTableATableOfAnotherFormatOrSpaceAndMoreRankCellsThanItHolds(@TempDir Path dir)
            throws Exception {
        String missing = dir.resolve("none.csv").toString();
        assertEquals("--table: table file must be an existing file, but " + missing + " does not exist",
                refused("--table", missing));
        Path format = dir.resolve("format.csv");
        Files.writeString(format, "arch,acc\nx,1\n");
        String e = refused("--table", format.toString());
        assertTrue(e.startsWith("--table: " + format + ", line 1: the header must have columns arch_str and "
                + "valid_acc"), e);
        Path space = dir.resolve("darts.csv");
        Files.writeString(space, "arch_index,arch_str,train_acc,valid_acc,test_acc\n0,|sep_conv_5x5~0|+|none~0|"
                + "none~1|+|none~0|none~1|none~2|,1,2,3\n");
        e = refused("--table", space.toString());
        assertTrue(e.startsWith("--table: " + space + ", line 2: "), e);
        assertEquals("--rank-cells must be at most the table's 500 cells (or all), but was 501",
                refused("--table", TABLE, "--rank-cells", "501"));
        assertEquals("--rank-cells must be a positive integer, but was 'all'", refused("--rank-cells", "all"));
    }

    private static String refused(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--methods";
        all[args.length + 1] = "rsws";
        return assertThrows(IllegalArgumentException.class, () -> OneShotBenchmark.main(all)).getMessage();
    }

    /** The shipped table's valid_acc by arch string, read from its CSV lines. */
    private static Map<String, Double> csvAccuracies() throws Exception {
        Map<String, Double> out = new HashMap<>();
        List<String> lines = Files.readAllLines(ShippedTableTest.TABLE);
        assertEquals("arch_index,arch_str,train_acc,valid_acc,test_acc", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            out.put(f[1], Double.parseDouble(f[3]));
        }
        return out;
    }
}
