package org.nas4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.RankCorrelation;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.engine.Mode;
import org.nas4j.estimators.network.SpaceCompiler;
import org.nas4j.estimators.training.TrainingEstimator;
import org.nas4j.estimators.zerocost.ArchitectureSaliency;
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
 * <p>Then the FreeDARTS cell by each criterion of {@code --freedarts} (synflow, synflow-inference: synflow with
 * batch norm in inference mode, snip, grasp) for {@code --inits}
 * search seeds (from {@code --seed} on), each trained {@code --seeds} times with the table's recipe ({@code
 * --epochs}, {@code --steps}: {@link BuildTable#recipe}), against the table's median and best.
 *
 * <p>Arguments: {@code --table target/nb201-fashion-mnist.csv --channels 8 --proxies synflow,snip,...
 * --batch 64 --seed 0 --freedarts synflow,synflow-inference,snip,grasp --inits 3 --seeds 2 --epochs 1
 * --steps 60} ({@code none} for no proxy or no FreeDARTS run). Prints per proxy {@code RESULT proxy=<p>
 * spearman=<r> kendall_tau=<t> top10_overlap=<k> n=<cells> seconds_per_cell=<s>}, and per FreeDARTS cell the
 * line {@link #freeDarts} gives.
 */
public final class ZeroCostBenchmark {

    private ZeroCostBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Arguments a = Arguments.parse(args, Map.of("--table", "target/nb201-fashion-mnist.csv", "--channels", "8",
                "--proxies", String.join(",", ZeroCostProxies.NAMES), "--batch", "64", "--seed", "0",
                "--freedarts", "synflow,synflow-inference,snip,grasp", "--inits", "3", "--seeds", "2",
                "--epochs", "1", "--steps", "60"));
        NasBench201Space nb201 = Spaces.nasBench201Builder()
                .channels(Arguments.positiveInt("--channels", a.get("--channels"))).cellsPerStage(1)
                .inputChannels(1).imageSize(28).build();
        ComposedSpace space = NasBench201Definition.of(nb201);
        TableComparison table = TableComparison.read(Path.of(a.get("--table")), nb201, space);
        List<Architecture> cells = table.cells();
        double[] acc = table.validAccuracy();
        for (String proxy : list(a.get("--proxies"))) {
            ZeroCostEstimator estimator = ZeroCostEstimator.builder(FashionMnist.bundled()).proxies(proxy)
                    .batchSize(Arguments.positiveInt("--batch", a.get("--batch")))
                    .seed(Long.parseLong(a.get("--seed")))
                    .synflowNetworks(new SpaceCompiler(space).dataType(DataType.DOUBLE)).build();
            double[] scores = new double[cells.size()];
            long start = System.nanoTime();
            for (int i = 0; i < scores.length; i++) {
                double s = estimator.scores(cells.get(i), i).values().iterator().next();
                scores[i] = Double.isFinite(s) ? s : Double.NEGATIVE_INFINITY;
                if ((i + 1) % 50 == 0) {
                    System.err.printf(Locale.ROOT, "PROGRESS proxy=%s cells=%d/%d seconds=%.0f%n", proxy, i + 1,
                            scores.length, (System.nanoTime() - start) / 1e9);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9 / scores.length;
            System.out.printf(Locale.ROOT, "RESULT proxy=%s spearman=%.4f kendall_tau=%.4f top10_overlap=%d n=%d "
                            + "seconds_per_cell=%.3f%n", proxy, RankCorrelation.spearman(scores, acc),
                    RankCorrelation.kendallTau(scores, acc), topOverlap(scores, acc, 10), scores.length, seconds);
        }
        for (String criterion : list(a.get("--freedarts"))) {
            for (int init = 0; init < Arguments.positiveInt("--inits", a.get("--inits")); init++) {
                freeDarts(criterion, Long.parseLong(a.get("--seed")) + init, space, table,
                        Arguments.positiveInt("--seeds", a.get("--seeds")),
                        BuildTable.recipe(Arguments.positiveInt("--epochs", a.get("--epochs")),
                                Arguments.positiveInt("--steps", a.get("--steps"))),
                        Arguments.positiveInt("--batch", a.get("--batch")));
            }
        }
    }

    /** The comma-separated names of {@code value}; none for {@code none}. */
    private static List<String> list(String value) {
        return value.equals("none") ? List.of() : List.of(value.split(","));
    }

    /**
     * The FreeDARTS cell by {@code criterion} for the search seed {@code seed} (the architecture {@code
     * Strategies.freeDarts()} proposes in a search of that seed), trained {@code seeds} times with the table's
     * recipe, against the table. Prints {@code RESULT freedarts=<criterion> seed=<s> cell=<arch> valid_acc=<a>
     * test_acc=<a> table_median=<m> table_best=<b> above=<fraction of the table's cells it beats>
     * in_table=<the table's accuracy of the cell, or none> search_seconds=<s>}.
     */
    private static void freeDarts(String criterion, long seed, ComposedSpace space, TableComparison table,
            int seeds, TrainingEstimator recipe, int batch) {
        long supernetSeed = Seeds.derive(seed, "freedarts supernet"); // as FreeDarts derives it from the search seed
        long start = System.nanoTime();
        ArchitectureSaliency.Result r = switch (criterion) {
            case "synflow" -> ArchitectureSaliency.synflow(space, supernetSeed, DataType.DOUBLE);
            case "synflow-inference" -> ArchitectureSaliency.synflow(space, supernetSeed, DataType.DOUBLE,
                    Mode.INFERENCE);
            case "snip" -> ArchitectureSaliency.snip(space, FashionMnist.bundled(), batch, supernetSeed,
                    DataType.DOUBLE);
            case "grasp" -> ArchitectureSaliency.grasp(space, FashionMnist.bundled(), batch, supernetSeed,
                    DataType.DOUBLE);
            default -> throw new IllegalArgumentException("--freedarts must list synflow, synflow-inference, snip "
                    + "or grasp (or be none), but had " + criterion);
        };
        double searchSeconds = (System.nanoTime() - start) / 1e9;
        Architecture cell = r.architecture();
        TableComparison.Retrained trained = TableComparison.retrain(space, cell, recipe, seeds, seed);
        double valid = trained.validAccuracy();
        String inTable = table.accuracyOf(cell).stream().mapToObj(v -> String.format(Locale.ROOT, "%.2f", v))
                .findFirst().orElse("none");
        System.out.printf(Locale.ROOT, "RESULT freedarts=%s seed=%d cell=%s valid_acc=%.2f test_acc=%.2f "
                        + "table_median=%.2f table_best=%.2f above=%.3f in_table=%s search_seconds=%.2f%n",
                criterion, seed, table.format(cell), valid, trained.testAccuracy(), table.median(), table.best(),
                table.shareBeaten(valid), inTable, searchSeconds);
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
