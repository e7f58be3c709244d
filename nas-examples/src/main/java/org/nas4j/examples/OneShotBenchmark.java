package org.nas4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.network.WeightSharing;
import org.nas4j.estimators.oneshot.SupernetEstimator;
import org.nas4j.estimators.oneshot.SupernetTrainer;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;

/**
 * Runs the one-shot methods on the NAS-Bench-201 cell (small network: C=8, one cell per stage, 1x28x28) on the
 * Fashion-MNIST subset shipped with nas4j, retrains each method's architecture with one recipe, and measures how
 * well the weight-sharing supernets rank architectures.
 *
 * <p>Methods ({@code --methods}, comma-separated; default all): {@code darts1}, {@code darts2}, {@code gdas},
 * {@code proxyless}, {@code enas} (strategies through {@code SearchRunner}), and {@code spos}, {@code rsws},
 * {@code path-dropout} (a supernet trained by {@link SupernetTrainer}, then a multi-trial search scored on it by
 * {@link SupernetEstimator}: SPOS' evolution under a multiply-add bound, random search, random search on a
 * path-dropout supernet), {@code spos-cw}, {@code rsws-cw} and {@code enas-cw} (the same on a supernet with
 * conditional weights, {@link WeightSharing#CONDITIONAL}, drawing the same seeds as their plain method; the other
 * methods take no {@code -cw}: their policies run several ops of an edge or learn architecture weights). The search uses 80% of the 10,000 training images (the sampling methods score on the
 * other 20%); the retraining recipe trains on all 10,000 and reports the accuracy on the 2,000 test images.
 *
 * <p>Prints, per method and seed, {@code RESULT method=<m> seed=<s> arch=<str> search_seconds=<t>
 * epoch_seconds=<median> retrain_test=<acc> params=<n> param_free_ops=<k>}; per epoch of the gradient methods
 * {@code EPOCH method=<m> seed=<s> epoch=<e> param_free_ops=<k> valid_acc=<a>}; for the sampling methods
 * {@code RANK method=<m> seed=<s> kendall_tau=<t> spearman=<r> n=<cells>} (the supernet's estimates of
 * {@code --rank-cells} random cells against their stand-alone training with the search recipe); with
 * {@code --baseline-cells N}, {@code BASELINE seed=<s> cells=<N> median_retrain_test=<acc>} (random cells under the
 * same retraining). Other arguments: {@code --seeds 1} {@code --epochs 6} {@code --steps 40} (supernet steps per
 * epoch) {@code --batch 64} {@code --candidates 30} (sampling methods' search) {@code --rank-cells 20}
 * {@code --rank-steps 60} {@code --retrain-epochs 1} {@code --retrain-steps 0} (0: full epochs) {@code --channels 8} {@code --cells 1}
 * {@code --spos-max-flops} (default: the median multiply-adds of 200 random cells) {@code --cw-split-epoch}
 * (the {@code -cw} methods' copies are shared before it and split from it on; default half the epochs, 0: split
 * from the start).
 *
 * <p>With {@code --table <csv>} (a table of {@link BuildTable}, e.g. the shipped
 * {@code nas-examples/tables/nb201-fashion-mnist.csv}; its cells must have been trained at this {@code --channels}
 * and {@code --cells}) the table is the ground truth, through {@link TableComparison}: the rank cells are
 * {@code --rank-cells} cells drawn from it (default 100; {@code all} for every cell), each ranked against the table's
 * validation accuracy instead of a stand-alone training, and ENAS ranks them too (on its trained shared weights,
 * {@link org.nas4j.strategies.oneshot.Enas#whenTrained}); the RANK lines end in {@code ground_truth=table}. Each
 * method's cell is retrained with the table's recipe ({@link BuildTable#recipe}: 1 epoch of {@code --table-steps 60}
 * steps, {@code --table-seeds 2} trainings), and its RESULT line reports their mean test accuracy as
 * {@code retrain_test} and ends in {@code retrain_valid=<mean> table_median=<m> table_best=<b> above=<share of the
 * table's cells whose validation accuracy is below retrain_valid> in_table=<true|false>}. After the last seed,
 * {@link OneShotOutcomes}' {@code OUTCOME} and {@code OUTCOME_RANK} lines, over the seeds.
 *
 * <p>With {@code --out <dir>} the benchmark can be stopped and run again ({@link BenchmarkDirectory}): each method
 * and seed that finished is kept there with its lines, the one running keeps its search journal or supernet
 * checkpoint there after every epoch, and the same command run again replays the finished ones' lines (the OUTCOME
 * lines count them) and resumes the running one from its last epoch, with the same result as an uninterrupted run.
 * A later run may add methods or seeds; any other option must be as the directory's first run had it.
 */
public final class OneShotBenchmark {

    static final List<String> METHODS = List.of("darts1", "darts2", "gdas", "proxyless", "enas", "spos", "rsws",
            "path-dropout", "spos-cw", "rsws-cw", "enas-cw");

    /** The suffix of a method on a supernet with conditional weights ({@link WeightSharing#CONDITIONAL}). */
    static final String CONDITIONAL = "-cw";

    /** Why a method takes no {@link #CONDITIONAL} suffix. */
    private static final Map<String, String> NO_CONDITIONAL = Map.of(
            "darts1", "DARTS sums every op of an edge",
            "darts2", "DARTS sums every op of an edge",
            "gdas", "GDAS learns architecture weights",
            "proxyless", "ProxylessNAS runs two ops of an edge in its architecture passes",
            "path-dropout", "path dropout runs several ops of an edge");

    private OneShotBenchmark() {
    }

    public static void main(String[] args) {
        Arguments a = Arguments.parse(args, Map.ofEntries(
                Map.entry("--methods", String.join(",", METHODS)),
                Map.entry("--seeds", "1"),
                Map.entry("--epochs", "6"),
                Map.entry("--steps", "40"),
                Map.entry("--batch", "64"),
                Map.entry("--candidates", "30"),
                Map.entry("--rank-cells", ""),
                Map.entry("--table", ""),
                Map.entry("--table-seeds", "2"),
                Map.entry("--table-steps", "60"),
                Map.entry("--rank-steps", "60"),
                Map.entry("--retrain-epochs", "1"),
                Map.entry("--retrain-steps", "0"),
                Map.entry("--baseline-cells", "0"),
                Map.entry("--channels", "8"),
                Map.entry("--cells", "1"),
                Map.entry("--spos-max-flops", ""),
                Map.entry("--cw-split-epoch", ""),
                Map.entry("--out", "")));
        List<String> methods = Arrays.asList(a.get("--methods").split(","));
        for (String m : methods) {
            String base = m.endsWith(CONDITIONAL) ? m.substring(0, m.length() - CONDITIONAL.length()) : "";
            if (!METHODS.contains(m) && NO_CONDITIONAL.containsKey(base)) {
                throw new IllegalArgumentException("--methods: conditional weights (" + CONDITIONAL + ") need one op"
                        + " per edge and pass, from a policy without architecture weights; " + NO_CONDITIONAL.get(base)
                        + ", but held '" + m + "'");
            }
            if (!METHODS.contains(m)) {
                throw new IllegalArgumentException("--methods must name methods of " + METHODS + ", but held '" + m
                        + "'");
            }
        }
        NasBench201Space nb201 = NasBench201Space.builder()
                .channels(Arguments.positiveInt("--channels", a.get("--channels")))
                .cellsPerStage(Arguments.positiveInt("--cells", a.get("--cells")))
                .inputChannels(1).imageSize(28).build();
        ComposedSpace space = NasBench201Definition.of(nb201);
        TableComparison table = null;     // without --table: stand-alone training is the ground truth
        if (!a.get("--table").isEmpty()) {
            try {
                table = TableComparison.read(Path.of(a.get("--table")), nb201, space);
            } catch (IOException e) {
                throw new UncheckedIOException("--table: cannot read " + a.get("--table"), e);
            }
        }
        Settings s = new Settings(Arguments.positiveInt("--epochs", a.get("--epochs")),
                Arguments.positiveInt("--steps", a.get("--steps")),
                Arguments.positiveInt("--batch", a.get("--batch")),
                Arguments.positiveInt("--candidates", a.get("--candidates")),
                rankCells(a.get("--rank-cells"), table),
                Arguments.positiveInt("--rank-steps", a.get("--rank-steps")),
                Arguments.positiveInt("--retrain-epochs", a.get("--retrain-epochs")),
                Integer.parseInt(a.get("--retrain-steps")),
                Integer.parseInt(a.get("--baseline-cells")), splitEpoch(a),
                Arguments.positiveInt("--table-seeds", a.get("--table-seeds")),
                Arguments.positiveInt("--table-steps", a.get("--table-steps")));
        TrainTest data = FashionMnist.bundled();
        double maxFlops = a.get("--spos-max-flops").isEmpty() ? medianFlops(space)
                : Double.parseDouble(a.get("--spos-max-flops"));
        System.out.println("space: " + space.identity());
        Optional<BenchmarkDirectory> out = a.get("--out").isEmpty() ? Optional.empty()
                : Optional.of(BenchmarkDirectory.open(Path.of(a.get("--out")), resultSettings(a)));
        OneShotOutcomes outcomes = new OneShotOutcomes();
        for (int seed = 1; seed <= Arguments.positiveInt("--seeds", a.get("--seeds")); seed++) {
            new OneShotRun(space, data, s, seed, maxFlops, table, outcomes, out).run(methods);
        }
        if (table != null) {
            outcomes.lines(table.median()).forEach(System.out::println);
            double[] within = table.validAccuracyWhere(cell -> space.multiplyAdds(cell) <= maxFlops);
            String bound = flopsBound(maxFlops);
            for (String m : methods) {
                if (m.startsWith("spos")) {
                    outcomes.bounded(m, bound, within).ifPresent(System.out::println);
                }
            }
        }
    }

    /** SPOS' multiply-add bound as the benchmark's lines print it: {@code flops<=<bound>}. */
    static String flopsBound(double maxFlops) {
        return String.format(Locale.ROOT, "flops<=%.0f", maxFlops);
    }

    /**
     * {@code --rank-cells}: by default 20, or 100 against a table; against a table {@code all} or at most its
     * cells.
     */
    static int rankCells(String value, TableComparison table) {
        if (table == null) {
            return value.isEmpty() ? 20 : Arguments.positiveInt("--rank-cells", value);
        }
        if (value.isEmpty()) {
            return Math.min(100, table.size());
        }
        if (value.equals("all")) {
            return table.size();
        }
        int n = Arguments.positiveInt("--rank-cells", value);
        if (n > table.size()) {
            throw new IllegalArgumentException("--rank-cells must be at most the table's " + table.size()
                    + " cells (or all), but was " + n);
        }
        return n;
    }

    /** The benchmark's sizes. */
    record Settings(int epochs, int steps, int batch, int candidates, int rankCells, int rankSteps,
                    int retrainEpochs, int retrainSteps, int baselineCells, int splitEpoch, int tableSeeds,
                    int tableSteps) {
    }

    /**
     * The settings a {@code --out} directory's run must share with a run that resumes it: all options but
     * {@code --out}, {@code --methods} and {@code --seeds} (a later run may add methods and seeds), and with
     * {@code --table} the SHA-256 of the table's bytes as {@code table-sha256}, so that another file at the same path
     * is refused too.
     */
    private static Map<String, String> resultSettings(Arguments a) {
        Map<String, String> settings = new TreeMap<>(a.values());
        settings.keySet().removeAll(List.of("--out", "--methods", "--seeds"));
        if (!a.get("--table").isEmpty()) {
            Path table = Path.of(a.get("--table"));
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(table));
                settings.put("table-sha256", HexFormat.of().formatHex(digest));
            } catch (IOException e) {
                throw new UncheckedIOException("--table: cannot read " + table, e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is a digest every Java platform must have", e);
            }
        }
        return settings;
    }

    /**
     * The epoch at which the {@code -cw} methods split their conditional weights (shared before it, as UniNAS
     * trains them before its milestone): {@code --cw-split-epoch}, by default half the epochs (UniNAS'
     * NAS-Bench-201 demo splits after 2 of 4); 0 splits from the first step.
     */
    private static int splitEpoch(Arguments a) {
        int epochs = Arguments.positiveInt("--epochs", a.get("--epochs"));
        if (a.get("--cw-split-epoch").isEmpty()) {
            return epochs / 2;
        }
        int split = Integer.parseInt(a.get("--cw-split-epoch"));
        if (split < 0 || split >= epochs) {
            throw new IllegalArgumentException("--cw-split-epoch must be in [0, --epochs=" + epochs + "), but was "
                    + split);
        }
        return split;
    }

    private static double medianFlops(ComposedSpace space) {
        SplittableRandom rng = new SplittableRandom(0);
        double[] flops = new double[200];
        for (int i = 0; i < flops.length; i++) {
            flops[i] = space.multiplyAdds(space.sample(rng));
        }
        Arrays.sort(flops);
        return flops[flops.length / 2];
    }
}
