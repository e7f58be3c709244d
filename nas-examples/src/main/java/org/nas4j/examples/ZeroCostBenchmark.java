package org.nas4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.RankCorrelation;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.network.SpaceCompiler;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.estimators.zerocost.ZeroCostEstimator;
import org.nas4j.estimators.zerocost.ZeroCostProxies;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * How well each zero-cost proxy ranks the cells of a table built by {@link BuildTable} (NAS-Bench-201 on the
 * shipped Fashion-MNIST): for each proxy, the Spearman and Kendall rank correlations of its scores with the
 * table's validation accuracy, how many of the 10 best cells by accuracy are among its 10 best, and its cost.
 * A score that is NaN or infinite (an overflow, a degenerate Jacobian) ranks last.
 *
 * <p>Arguments: {@code --table target/nb201-fashion-mnist.csv --channels 8 --proxies synflow,snip,...
 * --batch 64 --seed 0}. Prints per proxy {@code RESULT proxy=<p> spearman=<r> kendall_tau=<t>
 * top10_overlap=<k> n=<cells> seconds_per_cell=<s>}.
 */
public final class ZeroCostBenchmark {

    private ZeroCostBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Arguments a = Arguments.parse(args, Map.of("--table", "target/nb201-fashion-mnist.csv", "--channels", "8",
                "--proxies", String.join(",", ZeroCostProxies.NAMES), "--batch", "64", "--seed", "0"));
        NasBench201Space nb201 = Spaces.nasBench201Builder()
                .channels(Arguments.positiveInt("--channels", a.get("--channels"))).cellsPerStage(1)
                .inputChannels(1).imageSize(28).build();
        ComposedSpace space = NasBench201Definition.of(nb201);
        List<Architecture> cells = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        read(Path.of(a.get("--table")), nb201, space, cells, accuracy);
        double[] acc = accuracy.stream().mapToDouble(Double::doubleValue).toArray();
        for (String proxy : a.get("--proxies").split(",")) {
            ZeroCostEstimator estimator = ZeroCostEstimator.builder(FashionMnist.bundled()).proxies(proxy)
                    .batchSize(Arguments.positiveInt("--batch", a.get("--batch")))
                    .seed(Long.parseLong(a.get("--seed")))
                    .synflowNetworks(new SpaceCompiler(space).dataType(DataType.DOUBLE)).build();
            double[] scores = new double[cells.size()];
            long start = System.nanoTime();
            for (int i = 0; i < scores.length; i++) {
                double s = estimator.scores(cells.get(i), i).values().iterator().next();
                scores[i] = Double.isFinite(s) ? s : Double.NEGATIVE_INFINITY;
            }
            double seconds = (System.nanoTime() - start) / 1e9 / scores.length;
            System.out.printf(Locale.ROOT, "RESULT proxy=%s spearman=%.4f kendall_tau=%.4f top10_overlap=%d n=%d "
                            + "seconds_per_cell=%.3f%n", proxy, RankCorrelation.spearman(scores, acc),
                    RankCorrelation.kendallTau(scores, acc), topOverlap(scores, acc, 10), scores.length, seconds);
        }
    }

    /**
     * Reads the table ({@link TabularEstimator#fromCsv}: its header, rows and errors) and keeps each row's
     * architecture, as one of {@code space}, and validation accuracy, in the order of the arch strings.
     */
    static void read(Path table, NasBench201Space nb201, ComposedSpace space, List<Architecture> cells,
                     List<Double> accuracy) throws IOException {
        Map<Architecture, Map<Metric, Double>> rows = TabularEstimator.fromCsv(table, nb201).rows();
        List<Architecture> ordered = new ArrayList<>(rows.keySet());
        ordered.sort(Comparator.comparing(nb201::format));
        for (Architecture a : ordered) {
            cells.add(Architecture.of(space, a.vector()));
            accuracy.add(rows.get(a).get(Metric.VALIDATION_ACCURACY));
        }
        if (cells.size() < 2) {
            throw new IllegalArgumentException("table " + table + " must have at least 2 cells to rank, but had "
                    + cells.size());
        }
    }

    /** How many of the {@code k} best by {@code truth} are among the {@code k} best by {@code scores}. */
    static int topOverlap(double[] scores, double[] truth, int k) {
        int n = Math.min(k, scores.length);
        List<Integer> byScore = top(scores, n);
        return (int) top(truth, n).stream().filter(byScore::contains).count();
    }

    private static List<Integer> top(double[] values, int n) {
        return IntStream.range(0, values.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> values[i]).reversed().thenComparing(i -> i))
                .limit(n).toList();
    }
}
