package org.nas4j.examples;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Statistics;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.training.TrainingEstimator;
import org.nas4j.spaces.Spaces;

/**
 * Builds a table of trained accuracies for the shipped Fashion-MNIST in the NAS-Bench-201 CSV format
 * ({@code arch_index,arch_str,train_acc,valid_acc,test_acc}, means over the seeds), which {@code TabularEstimator}
 * reads and {@link ZeroCostBenchmark} ranks proxies against: {@code --cells} distinct cells of NAS-Bench-201 (one
 * per canonical class, drawn with the seed), each trained {@code --seeds} times with one recipe. Every training
 * is a trial of a journaled search, so a killed build resumes where it was ({@code --journal}).
 *
 * <p>Arguments: {@code --cells 500 --seeds 2 --epochs 1 --steps 60 --channels 8 --seed 0 --parallelism 2
 * --journal runs/table --out target/nb201-fashion-mnist.csv}. Prints {@code TABLE cells=<n> seeds=<s> rows=<n>
 * path=<file> seconds=<t>}.
 */
public final class BuildTable {

    private BuildTable() {
    }

    public static void main(String[] args) throws IOException {
        Arguments a = Arguments.parse(args, Map.of("--cells", "500", "--seeds", "2", "--epochs", "1",
                "--steps", "60", "--channels", "8", "--seed", "0", "--parallelism", "2",
                "--journal", "runs/table", "--out", "target/nb201-fashion-mnist.csv"));
        int cells = Arguments.positiveInt("--cells", a.get("--cells"));
        int seeds = Arguments.positiveInt("--seeds", a.get("--seeds"));
        SearchSpace space = Spaces.nasBench201Builder()
                .channels(Arguments.positiveInt("--channels", a.get("--channels"))).cellsPerStage(1)
                .inputChannels(1).imageSize(28).build();
        TrainingEstimator training = recipe(Arguments.positiveInt("--epochs", a.get("--epochs")),
                Integer.parseInt(a.get("--steps")));
        long start = System.nanoTime();
        SearchRunner.Builder b = SearchRunner.builder(space, new EachCell(cells, seeds)).estimator(training)
                .budget(Budget.trials(cells * seeds)).parallelism(Arguments.positiveInt("--parallelism",
                        a.get("--parallelism"))).seed(Long.parseLong(a.get("--seed")));
        if (!a.get("--journal").isEmpty()) {
            b.journal(Path.of(a.get("--journal")));
        }
        SearchResult result = b.build().run();
        Path out = Path.of(a.get("--out"));
        int rows = write(result.trials(), out);
        System.out.printf(Locale.ROOT, "TABLE cells=%d seeds=%d rows=%d path=%s seconds=%.0f%n", cells, seeds, rows,
                out.toAbsolutePath(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * The table's training recipe: {@code epochs} epochs of {@code steps} steps of batch 64 on the shipped
     * Fashion-MNIST, SGD 0.1 (the training estimator's Nesterov momentum and cosine schedule), test accuracy too.
     */
    static TrainingEstimator recipe(int epochs, int steps) {
        return Estimators.training(FashionMnist.bundled()).epochs(epochs).stepsPerEpoch(steps).batchSize(64)
                .learningRate(0.1).testAccuracy(true).build();
    }

    /** Proposes each of {@code cells} {@code seeds} times in a row, then is done. */
    static Strategy proposeEach(List<Architecture> cells, int seeds) {
        return new Strategy() {
            private int next;

            @Override
            public Ask ask() {
                if (next >= cells.size() * seeds) {
                    return Ask.done();
                }
                return Ask.propose(cells.get(next++ / seeds));
            }

            @Override
            public void tell(Trial trial) {
            }
        };
    }

    /**
     * Writes the table: one row per cell whose trainings all completed, the accuracies averaged over them, in the
     * order the cells were drawn.
     *
     * @return the rows written
     */
    static int write(List<Trial> trials, Path out) throws IOException {
        Map<String, List<Trial>> byCell = new LinkedHashMap<>();
        for (Trial t : trials) {
            byCell.computeIfAbsent(t.architecture().space().format(t.architecture()), k -> new ArrayList<>()).add(t);
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        int rows = 0;
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("arch_index,arch_str,train_acc,valid_acc,test_acc\n");
            for (Map.Entry<String, List<Trial>> cell : byCell.entrySet()) {
                if (cell.getValue().stream().anyMatch(t -> t.state() != TrialState.COMPLETE)) {
                    continue;
                }
                w.write(String.format(Locale.ROOT, "%d,%s,%.4f,%.4f,%.4f%n", rows, cell.getKey(),
                        completedMean(cell.getValue(), Metric.TRAIN_ACCURACY),
                        completedMean(cell.getValue(), Metric.VALIDATION_ACCURACY),
                        completedMean(cell.getValue(), Metric.TEST_ACCURACY)));
                rows++;
            }
        }
        return rows;
    }

    /**
     * The mean of metric {@code m} over the completed ones of {@code trials} (the means of a table row, and of a
     * cell retrained with the table's recipe); NaN if none completed.
     */
    static double completedMean(List<Trial> trials, Metric m) {
        return Statistics.mean(trials.stream().filter(t -> t.state() == TrialState.COMPLETE)
                .mapToDouble(t -> t.value(m)).toArray());
    }

    /**
     * Proposes {@code cells} architectures of distinct canonical classes (drawn uniformly with the search's seed),
     * each {@code seeds} times in a row, so that each cell is trained with {@code seeds} trial seeds.
     */
    static final class EachCell implements StrategyFactory {
        private final int cells;
        private final int seeds;

        EachCell(int cells, int seeds) {
            this.cells = cells;
            this.seeds = seeds;
        }

        @Override
        public String name() {
            return "each-cell";
        }

        @Override
        public String configuration() {
            return "each-cell(cells=" + cells + ", seeds=" + seeds + ")";
        }

        @Override
        public Strategy create(SearchContext context) {
            SearchSpace space = context.space();
            SplittableRandom rng = new SplittableRandom(Seeds.derive(context.seed(), "cells"));
            Set<String> keys = new LinkedHashSet<>();
            List<Architecture> drawn = new ArrayList<>();
            int attempts = 0;
            while (drawn.size() < cells) {
                if (++attempts > 1000 * cells) {
                    throw new IllegalArgumentException("cells must be at most the space's distinct cells, but "
                            + cells + " were not found in " + attempts + " draws (found " + drawn.size() + ")");
                }
                Architecture arch = space.sample(rng);
                if (space.isValid(arch) && keys.add(space.canonicalKey(arch))) {
                    drawn.add(arch);
                }
            }
            return proposeEach(drawn, seeds);
        }
    }
}
