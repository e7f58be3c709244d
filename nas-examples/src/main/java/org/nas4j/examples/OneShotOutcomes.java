package org.nas4j.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nas4j.core.search.Statistics;

/**
 * The closing lines of {@link OneShotBenchmark} against a table: per method, its retrained cells' validation
 * accuracy over the seeds against the table's median, and per method that ranks cells, its rank correlations over
 * the seeds.
 *
 * <p>{@code OUTCOME method=<m> seeds=<n> mean_valid=<mean> stderr=<standard error> table_median=<m>
 * above_median_by_stderr=<mean - stderr > median>} and {@code OUTCOME_RANK method=<m> seeds=<n>
 * mean_kendall_tau=<t> stderr=<s> mean_spearman=<r> n=<cells>}. The standard error is the sample standard
 * deviation (n - 1 in the denominator) over the square root of the seeds ({@link Statistics#standardError}); NaN
 * for one seed, which is never above the median by it. A method searched under a bound (SPOS' multiply-adds) has
 * a third line, against the table's cells within that bound ({@link #bounded}).
 */
final class OneShotOutcomes {
    private final Map<String, List<Double>> valid = new LinkedHashMap<>();
    private final Map<String, List<Double>> tau = new LinkedHashMap<>();
    private final Map<String, List<Double>> spearman = new LinkedHashMap<>();
    private final Map<String, Integer> rankCells = new LinkedHashMap<>();

    /**
     * Takes a benchmark line: a {@code RESULT} line with {@code retrain_valid} (table mode) counts as
     * {@link #retrained}, a {@code RANK} line as {@link #ranked}; other lines are ignored. The benchmark feeds every
     * line it prints or replays from its {@code --out} directory through here, so both count alike.
     */
    void read(String line) {
        if (line.startsWith("RESULT ") && line.contains(" retrain_valid=")) {
            retrained(field(line, "method"), Double.parseDouble(field(line, "retrain_valid")));
        } else if (line.startsWith("RANK ")) {
            ranked(field(line, "method"), Double.parseDouble(field(line, "kendall_tau")),
                    Double.parseDouble(field(line, "spearman")), Integer.parseInt(field(line, "n")));
        }
    }

    /** The value of {@code key=value} in {@code line}: the text up to the next space. */
    private static String field(String line, String key) {
        Matcher m = Pattern.compile("(?:^| )" + Pattern.quote(key) + "=(\\S+)").matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("the benchmark line must hold " + key + "=, but was '" + line + "'");
        }
        return m.group(1);
    }

    /** One seed's retrained validation accuracy of {@code method}'s cell. */
    void retrained(String method, double validAccuracy) {
        valid.computeIfAbsent(method, m -> new ArrayList<>()).add(validAccuracy);
    }

    /** One seed's rank correlations of {@code method}'s supernet on {@code n} cells. */
    void ranked(String method, double kendallTau, double spearmanRho, int n) {
        tau.computeIfAbsent(method, m -> new ArrayList<>()).add(kendallTau);
        spearman.computeIfAbsent(method, m -> new ArrayList<>()).add(spearmanRho);
        rankCells.put(method, n);
    }

    /** The lines, in the order the methods first reported, against a table of median {@code tableMedian}. */
    List<String> lines(double tableMedian) {
        List<String> out = new ArrayList<>();
        valid.forEach((m, v) -> {
            double mean = Statistics.mean(values(v));
            double se = Statistics.standardError(values(v));
            out.add(String.format(Locale.ROOT, "OUTCOME method=%s seeds=%d mean_valid=%.2f stderr=%.2f "
                    + "table_median=%.2f above_median_by_stderr=%b", m, v.size(), mean, se, tableMedian,
                    mean - se > tableMedian));
        });
        tau.forEach((m, t) -> out.add(String.format(Locale.ROOT, "OUTCOME_RANK method=%s seeds=%d "
                + "mean_kendall_tau=%.3f stderr=%.3f mean_spearman=%.3f n=%d", m, t.size(),
                Statistics.mean(values(t)), Statistics.standardError(values(t)),
                Statistics.mean(values(spearman.get(m))), rankCells.get(m))));
        return out;
    }

    /**
     * The line of {@code method}, searched under {@code bound}, against the table's cells within the same bound
     * ({@code tableWithin}, their validation accuracies), the fair baseline of a constrained search:
     * {@code OUTCOME_BOUND method=<m> seeds=<n> mean_valid=<mean> stderr=<s> bound=<bound>
     * table_cells_within=<k> table_median_within=<median> above_bound_median_by_stderr=<mean - stderr > median>};
     * empty if no seed of {@code method} retrained a cell.
     */
    Optional<String> bounded(String method, String bound, double[] tableWithin) {
        List<Double> v = valid.get(method);
        if (v == null) {
            return Optional.empty();
        }
        double mean = Statistics.mean(values(v));
        double se = Statistics.standardError(values(v));
        double median = Statistics.median(tableWithin);
        return Optional.of(String.format(Locale.ROOT, "OUTCOME_BOUND method=%s seeds=%d mean_valid=%.2f "
                + "stderr=%.2f bound=%s table_cells_within=%d table_median_within=%.2f "
                + "above_bound_median_by_stderr=%b", method, v.size(), mean, se, bound, tableWithin.length, median,
                mean - se > median));
    }

    private static double[] values(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
