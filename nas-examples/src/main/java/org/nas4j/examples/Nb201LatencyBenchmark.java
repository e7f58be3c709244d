package org.nas4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Statistics;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.Architecture;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.strategies.Strategies;
import org.nas4j.strategies.rl.Reinforce;

/**
 * Strategies on objectives other than accuracy: find the NAS-Bench-201 cell with the lowest measured latency on a
 * device, from the HELP latency table ({@code shared/data/nasbench201/nb201-latency-ms.csv} in a folder above the
 * working directory, or {@code --latency PATH}: one column of
 * milliseconds per device setting). The score of a search is the share of the 15,625 cells that are strictly faster
 * than the best cell it found (0 = it found the fastest). These problems served as held-out problems to choose
 * REINFORCE's small-budget learning rates, so that they are not tuned on the accuracy table they are reported on.
 *
 * <p>Arguments: {@code --latency PATH}, {@code --devices raspi4_ms,titanx_256_ms,eyeriss_ms},
 * {@code --strategies rs,reinforce,reinforce-nb201}, {@code --learning-rates} (REINFORCE only: one row per rate;
 * empty = the defaults), {@code --trials 100}, {@code --seeds 100}. Prints
 * {@code RESULT device=.. strategy=.. lr=.. trials=.. seeds=.. faster_share_mean=..% std=.. se=..}.
 */
public final class Nb201LatencyBenchmark {
    /** Where the table lies below a {@code shared} folder beside the project (found by walking up). */
    private static final String SHARED_TABLE = "shared/data/nasbench201/nb201-latency-ms.csv";

    private Nb201LatencyBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Arguments a = Arguments.parse(args, Map.of("--latency", "",
                "--devices", "raspi4_ms,titanx_256_ms,eyeriss_ms", "--strategies", "rs,reinforce,reinforce-nb201",
                "--learning-rates", "", "--trials", "100", "--seeds", "100"));
        Path table = a.get("--latency").isEmpty() ? sharedTable() : Path.of(a.get("--latency"));
        if (!Files.isRegularFile(table)) {
            throw new IllegalArgumentException("--latency must name the latency table (a CSV with arch_str and one "
                    + "column per device), but " + table.toAbsolutePath() + " is not a file");
        }
        Nb201Benchmark.useOneNativeThread();
        int trials = Arguments.positiveInt("--trials", a.get("--trials"));
        int seeds = Arguments.positiveInt("--seeds", a.get("--seeds"));
        List<String> lines = Files.readAllLines(table);
        List<String> header = List.of(lines.get(0).split(","));
        NasBench201Space space = Spaces.nasBench201();
        for (String device : a.list("--devices")) {
            int column = header.indexOf(device);
            if (column < 0 || header.get(column).equals("arch_str")) {
                throw new IllegalArgumentException("--devices: no column '" + device + "' in " + table
                        + "; columns: " + header);
            }
            Map<Architecture, Double> latency = new HashMap<>();
            int archColumn = header.indexOf("arch_str");
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                latency.put(space.parse(cells[archColumn]), Double.parseDouble(cells[column]));
            }
            double[] sorted = latency.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            Estimator estimator = new LatencyLookup(device, latency);
            for (String name : a.list("--strategies")) {
                for (Double lr : learningRates(name, a.list("--learning-rates"))) {
                    StrategyFactory strategy = lr == null ? Strategies.byName(name)
                            : ((Reinforce) Strategies.byName(name)).learningRate(lr);
                    double[] share = new double[seeds];
                    for (int seed = 0; seed < seeds; seed++) {
                        SearchResult r = SearchRunner.builder(space, strategy).estimator(estimator)
                                .objective(Objective.minimize(Metric.LATENCY_MS)).budget(Budget.trials(trials))
                                .seed(seed).build().run();
                        double best = r.trials().stream().filter(Trial::isComplete)
                                .mapToDouble(t -> t.value(Metric.LATENCY_MS)).min().orElseThrow();
                        share[seed] = 100.0 * fasterThan(sorted, best) / sorted.length;
                    }
                    double mean = Statistics.mean(share);
                    double std = Nb201Benchmark.std(share);
                    System.out.printf(Locale.ROOT, "RESULT device=%s strategy=%s lr=%s trials=%d seeds=%d "
                                    + "faster_share_mean=%.3f%% std=%.3f se=%.3f%n", device, name,
                            lr == null ? "default" : lr.toString(), trials, seeds, mean, std, std / Math.sqrt(seeds));
                }
            }
        }
    }

    /** The shared latency table found by walking up from the working directory (or the path it would have). */
    static Path sharedTable() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path t = d.resolve(SHARED_TABLE);
            if (Files.isRegularFile(t)) {
                return t;
            }
        }
        return Path.of("..", SHARED_TABLE);
    }

    /** The learning rates to try for {@code strategy}: the given ones for REINFORCE, else the default only. */
    private static List<Double> learningRates(String strategy, List<String> rates) {
        List<Double> out = new ArrayList<>();
        if (!(Strategies.byName(strategy) instanceof Reinforce) || rates.isEmpty()) {
            out.add(null);
            return out;
        }
        for (String r : rates) {
            try {
                out.add(Double.parseDouble(r));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--learning-rates must be numbers, but had '" + r + "'");
            }
        }
        return out;
    }

    /** The number of values in ascending {@code sorted} strictly below {@code value}. */
    static int fasterThan(double[] sorted, double value) {
        int pos = Arrays.binarySearch(sorted, value);
        if (pos < 0) {
            return -pos - 1;
        }
        while (pos > 0 && sorted[pos - 1] == value) {
            pos--;
        }
        return pos;
    }

    /** Looks latencies up in memory. */
    private record LatencyLookup(String device, Map<Architecture, Double> latency) implements Estimator {
        @Override
        public String description() {
            return Configuration.of("latency-table").with("device", device).toString();
        }

        @Override
        public Evaluation evaluate(EvaluationRequest request) {
            Double ms = latency.get(request.architecture());
            if (ms == null) {
                throw new IllegalArgumentException("architecture " + request.architecture()
                        + " is not in the latency table");
            }
            return new Evaluation(Map.of(Metric.LATENCY_MS, ms), false);
        }
    }
}
