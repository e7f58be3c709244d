package org.nas4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.Statistics;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.estimators.training.TrainingEstimator;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/**
 * A table built by {@link BuildTable} as a benchmark's ground truth, read once: its cells and their validation
 * accuracy; where a validation accuracy stands in it (median, best, share of the cells it beats); rank cells drawn
 * from it; and a cell retrained with the table's recipe, the mean over its seeds. {@link ZeroCostBenchmark} and
 * {@link OneShotBenchmark} compare their cells with the table through it.
 *
 * <pre>{@code
 * TableComparison t = TableComparison.read(Path.of("nas-examples/tables/nb201-fashion-mnist.csv"), nb201, space);
 * TableComparison.Retrained r = t.retrain(cell, BuildTable.recipe(1, 60), 2, seed);
 * double share = t.shareBeaten(r.validAccuracy());
 * }</pre>
 */
final class TableComparison {
    private final NasBench201Space nb201;
    private final List<Architecture> cells;
    private final double[] validAccuracy;
    private final double[] sorted;
    /** The row of each cell, by its canonical key in NAS-Bench-201. */
    private final Map<String, Integer> rows = new HashMap<>();

    private TableComparison(NasBench201Space nb201, List<Architecture> cells, double[] validAccuracy) {
        this.nb201 = nb201;
        this.cells = List.copyOf(cells);
        this.validAccuracy = validAccuracy;
        this.sorted = validAccuracy.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < cells.size(); i++) {
            rows.putIfAbsent(key(cells.get(i)), i);
        }
    }

    /**
     * Reads the table ({@link TabularEstimator#fromCsv}: its header, rows and errors, which name {@code --table})
     * and keeps each row's architecture, as one of {@code space}, and validation accuracy, in the order of the arch
     * strings.
     *
     * @throws IllegalArgumentException for a missing file, a table of another format or space, or one of fewer
     *         than 2 cells
     */
    static TableComparison read(Path table, NasBench201Space nb201, ComposedSpace space) throws IOException {
        Map<Architecture, Map<Metric, Double>> rows;
        try {
            rows = TabularEstimator.fromCsv(table, nb201).rows();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--table: " + e.getMessage(), e);
        }
        List<Architecture> ordered = new ArrayList<>(rows.keySet());
        ordered.sort(Comparator.comparing(nb201::format));
        List<Architecture> cells = new ArrayList<>();
        double[] accuracy = new double[ordered.size()];
        for (int i = 0; i < ordered.size(); i++) {
            cells.add(Architecture.of(space, ordered.get(i).vector()));
            accuracy[i] = rows.get(ordered.get(i)).get(Metric.VALIDATION_ACCURACY);
        }
        if (cells.size() < 2) {
            throw new IllegalArgumentException("table " + table + " must have at least 2 cells to rank, but had "
                    + cells.size());
        }
        return new TableComparison(nb201, cells, accuracy);
    }

    /** The table's cells, as architectures of the space it was read for, in the order of their arch strings. */
    List<Architecture> cells() {
        return cells;
    }

    /** The table's validation accuracy of each of {@link #cells}. */
    double[] validAccuracy() {
        return validAccuracy.clone();
    }

    /** The validation accuracies of the table's cells that {@code keep} accepts, e.g. those within a bound. */
    double[] validAccuracyWhere(Predicate<Architecture> keep) {
        return IntStream.range(0, cells.size()).filter(i -> keep.test(cells.get(i)))
                .mapToDouble(i -> validAccuracy[i]).toArray();
    }

    int size() {
        return cells.size();
    }

    /** The median of the table's validation accuracies. */
    double median() {
        return Statistics.median(sorted);
    }

    /** The table's best validation accuracy. */
    double best() {
        return sorted[sorted.length - 1];
    }

    /** The share of the table's cells whose validation accuracy is below {@code valid}. */
    double shareBeaten(double valid) {
        return Arrays.stream(sorted).filter(v -> v < valid).count() / (double) sorted.length;
    }

    /** The table's validation accuracy of {@code cell} (or of a cell of its canonical class), if it holds one. */
    OptionalDouble accuracyOf(Architecture cell) {
        Integer row = rows.get(key(cell));
        return row == null ? OptionalDouble.empty() : OptionalDouble.of(validAccuracy[row]);
    }

    /** {@code cell}'s NAS-Bench-201 arch string. */
    String format(Architecture cell) {
        return nb201.format(Architecture.of(nb201, cell.vector()));
    }

    private String key(Architecture cell) {
        return nb201.canonicalKey(Architecture.of(nb201, cell.vector()));
    }

    /**
     * {@code n} distinct cells of the table drawn with {@code seed} (a seeded shuffle of its rows, the first
     * {@code n}), with the table's validation accuracy of each: ground truth for a rank correlation.
     */
    Sample sample(int n, long seed) {
        if (n < 1 || n > cells.size()) {
            throw new IllegalArgumentException("--rank-cells must be in [1, the table's " + cells.size()
                    + " cells], but was " + n);
        }
        int[] order = new int[cells.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Architecture> drawn = new ArrayList<>();
        double[] truth = new double[n];
        for (int i = 0; i < n; i++) {
            drawn.add(cells.get(order[i]));
            truth[i] = validAccuracy[order[i]];
        }
        return new Sample(List.copyOf(drawn), truth);
    }

    /**
     * {@code cell} trained {@code seeds} times with {@code recipe} (the table's: {@link BuildTable#recipe}), as
     * trials of a search of {@code seed}: the means of the completed trainings' validation and test accuracy.
     */
    static Retrained retrain(ComposedSpace space, Architecture cell, TrainingEstimator recipe, int seeds,
            long seed) {
        SearchResult trained = SearchRunner.builder(space, new StrategyFactory() {
            @Override
            public String name() {
                return "table-recipe";
            }

            @Override
            public String configuration() {
                return "table-recipe(" + space.format(cell) + ", seeds=" + seeds + ")";
            }

            @Override
            public Strategy create(SearchContext context) {
                return BuildTable.proposeEach(List.of(cell), seeds);
            }
        }).estimator(recipe).budget(Budget.trials(seeds)).parallelism(1).seed(seed).build().run();
        return new Retrained(BuildTable.completedMean(trained.trials(), Metric.VALIDATION_ACCURACY),
                BuildTable.completedMean(trained.trials(), Metric.TEST_ACCURACY));
    }

    /** Cells drawn from the table and the table's validation accuracy of each. */
    record Sample(List<Architecture> cells, double[] validAccuracy) {
    }

    /** A cell's mean validation and test accuracy over its retrainings with the table's recipe. */
    record Retrained(double validAccuracy, double testAccuracy) {
    }
}
