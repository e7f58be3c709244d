package org.nas4j.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Constraint;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.RankCorrelation;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.engine.supernet.PathPolicies;
import org.nas4j.estimators.engine.supernet.PathPolicy;
import org.nas4j.estimators.network.ComposedSupernet;
import org.nas4j.estimators.network.ModuleCatalogue;
import org.nas4j.estimators.network.WeightSharing;
import org.nas4j.estimators.oneshot.SupernetEstimator;
import org.nas4j.estimators.oneshot.SupernetTrainer;
import org.nas4j.estimators.training.TrainingEstimator;
import org.nas4j.spaces.nasbench201.NasBench201Definition;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.strategies.Strategies;
import org.nas4j.strategies.oneshot.GradientOneShot;
import org.nd4j.linalg.api.buffer.DataType;

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
                Map.entry("--rank-cells", "20"),
                Map.entry("--rank-steps", "60"),
                Map.entry("--retrain-epochs", "1"),
                Map.entry("--retrain-steps", "0"),
                Map.entry("--baseline-cells", "0"),
                Map.entry("--channels", "8"),
                Map.entry("--cells", "1"),
                Map.entry("--spos-max-flops", ""),
                Map.entry("--cw-split-epoch", "")));
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
        Settings s = new Settings(Arguments.positiveInt("--epochs", a.get("--epochs")),
                Arguments.positiveInt("--steps", a.get("--steps")),
                Arguments.positiveInt("--batch", a.get("--batch")),
                Arguments.positiveInt("--candidates", a.get("--candidates")),
                Arguments.positiveInt("--rank-cells", a.get("--rank-cells")),
                Arguments.positiveInt("--rank-steps", a.get("--rank-steps")),
                Arguments.positiveInt("--retrain-epochs", a.get("--retrain-epochs")),
                Integer.parseInt(a.get("--retrain-steps")),
                Integer.parseInt(a.get("--baseline-cells")), splitEpoch(a));
        ComposedSpace space = NasBench201Definition.of(NasBench201Space.builder()
                .channels(Arguments.positiveInt("--channels", a.get("--channels")))
                .cellsPerStage(Arguments.positiveInt("--cells", a.get("--cells")))
                .inputChannels(1).imageSize(28).build());
        TrainTest data = FashionMnist.bundled();
        double maxFlops = a.get("--spos-max-flops").isEmpty() ? medianFlops(space)
                : Double.parseDouble(a.get("--spos-max-flops"));
        System.out.println("space: " + space.identity());
        for (int seed = 1; seed <= Arguments.positiveInt("--seeds", a.get("--seeds")); seed++) {
            new Run(space, data, s, seed, maxFlops).run(methods);
        }
    }

    /** The benchmark's sizes. */
    record Settings(int epochs, int steps, int batch, int candidates, int rankCells, int rankSteps,
                    int retrainEpochs, int retrainSteps, int baselineCells, int splitEpoch) {
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

    /** One seed of the benchmark. */
    private static final class Run {
        private final ComposedSpace space;
        private final TrainTest data;
        private final Settings s;
        private final int seed;
        private final double maxFlops;
        private final ImageDataset searchTrain;
        private final ImageDataset searchValid;
        private final TrainingEstimator retrain;
        private List<Architecture> rankCells;
        private double[] standAlone;

        Run(ComposedSpace space, TrainTest data, Settings s, int seed, double maxFlops) {
            this.space = space;
            this.data = data;
            this.s = s;
            this.seed = seed;
            this.maxFlops = maxFlops;
            ImageDataset[] split = data.train().split(0.2, Seeds.derive(seed, "benchmark split"));
            this.searchTrain = split[0];
            this.searchValid = split[1];
            this.retrain = Estimators.training(data).epochs(s.retrainEpochs).stepsPerEpoch(s.retrainSteps)
                    .batchSize(64).learningRate(0.1)
                    .validationFraction(0).testAccuracy(true).latencyRuns(0).build();
        }

        void run(List<String> methods) {
            if (s.baselineCells > 0) {
                baseline();
            }
            for (String m : methods) {
                long start = System.nanoTime();
                Outcome o = switch (m) {
                    case "darts1" -> gradient(m, Strategies.darts(searchTrain));
                    case "darts2" -> gradient(m, Strategies.darts(searchTrain).secondOrder());
                    case "gdas" -> gradient(m, Strategies.gdas(searchTrain));
                    case "proxyless" -> gradient(m, Strategies.proxylessNas(searchTrain));
                    case "enas", "enas-cw" -> enas(m.endsWith(CONDITIONAL));
                    case "spos", "spos-cw" -> sampling(m, PathPolicies.singlePath(Seeds.derive(seed, "spos")), 0,
                            Strategies.regularizedEvolution().populationSize(10).sampleSize(3),
                            Objective.maximize(Metric.VALIDATION_ACCURACY)
                                    .subjectTo(Constraint.atMost(Metric.FLOPS, maxFlops)));
                    case "rsws", "rsws-cw" -> sampling(m, PathPolicies.singlePath(Seeds.derive(seed, "rsws")), 0,
                            Strategies.randomSearch(), Objective.maximize(Metric.VALIDATION_ACCURACY));
                    case "path-dropout" -> sampling(m, PathPolicies.scheduledPathDropout(Seeds.derive(seed, "pd")),
                            0.5, Strategies.randomSearch(), Objective.maximize(Metric.VALIDATION_ACCURACY));
                    default -> throw new IllegalStateException(m);
                };
                double searchSeconds = (System.nanoTime() - start) / 1e9;
                double test = retrain.train(o.architecture, seed).evaluation().value(Metric.TEST_ACCURACY);
                System.out.printf(Locale.ROOT, "RESULT method=%s seed=%d arch=%s search_seconds=%.1f "
                                + "epoch_seconds=%.2f retrain_test=%.2f params=%d param_free_ops=%d%n", m, seed,
                        space.format(o.architecture), searchSeconds, o.epochSeconds, test,
                        space.parameters(o.architecture), GradientOneShot.parameterFreeOps(o.architecture));
            }
        }

        /** A gradient method: its derived architecture after the last epoch, the collapse count per epoch. */
        private Outcome gradient(String method, GradientOneShot strategy) {
            SearchResult r = SearchRunner.builder(space, strategy.epochs(s.epochs).stepsPerEpoch(s.steps)
                            .batchSize(s.batch).validationSamples(2000))
                    .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).seed(seed).build().run();
            double[] epochSeconds = new double[r.trials().size()];
            for (Trial t : r.trials()) {
                epochSeconds[t.id()] = t.value(GradientOneShot.EPOCH_SECONDS);
                System.out.printf(Locale.ROOT, "EPOCH method=%s seed=%d epoch=%d param_free_ops=%d valid_acc=%.2f"
                                + " epoch_seconds=%.2f%n", method, seed, t.id() + 1,
                        (int) t.value(GradientOneShot.PARAM_FREE_OPS), t.value(Metric.VALIDATION_ACCURACY),
                        epochSeconds[t.id()]);
            }
            return new Outcome(r.trials().get(r.trials().size() - 1).architecture(), median(epochSeconds));
        }

        /** ENAS, on plain shared weights or, {@code conditional}, on conditional ones (same seeds). */
        private Outcome enas(boolean conditional) {
            long start = System.nanoTime();
            SearchResult r = SearchRunner.builder(space, Strategies.enas(searchTrain).epochs(s.epochs)
                            .stepsPerEpoch(s.steps).batchSize(s.batch).controllerSteps(s.candidates)
                            .weightSharing(conditional ? WeightSharing.CONDITIONAL : WeightSharing.PLAIN)
                            .conditionalSplitEpoch(conditional ? s.splitEpoch : 0))
                    .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).seed(seed).build().run();
            return new Outcome(r.best().architecture(), (System.nanoTime() - start) / 1e9 / s.epochs);
        }

        /**
         * A sampling method: a supernet trained under {@code policy} (with Bender et al.'s linear dropout schedule to
         * {@code dropout} if it is > 0), then {@code strategy} searching {@code candidates} architectures scored on it;
         * and the supernet's ranking of the rank cells.
         */
        private Outcome sampling(String method, PathPolicy.Factory policy, double dropout, StrategyFactory strategy,
                Objective objective) {
            // a -cw method draws its seeds as its plain method does: the runs differ in the weight sharing only
            boolean conditional = method.endsWith(CONDITIONAL);
            String base = conditional ? method.substring(0, method.length() - CONDITIONAL.length()) : method;
            ComposedSupernet net = ComposedSupernet.compile(space, policy, ModuleCatalogue.standard(),
                    DataType.FLOAT, Seeds.derive(seed, base + " weights"),
                    conditional ? WeightSharing.CONDITIONAL : WeightSharing.PLAIN);
            SupernetTrainer.Builder b = SupernetTrainer.builder(net, searchTrain).architectureFraction(0)
                    .epochs(s.epochs).stepsPerEpoch(s.steps).batchSize(s.batch).seed(Seeds.derive(seed, base));
            if (dropout > 0) {
                b.linearPathDropout(dropout);
            }
            if (conditional && s.splitEpoch > 0) {
                // UniNAS' schedule: the copies train shared, and split at the milestone epoch
                net.shareConditionalWeights();
                b.onEpochStart(e -> {
                    if (e >= s.splitEpoch) {
                        net.splitConditionalWeights();
                    }
                });
            }
            SupernetTrainer trainer = b.build();
            double[] epochSeconds = new double[s.epochs];
            for (int e = 0; e < s.epochs; e++) {
                epochSeconds[e] = trainer.trainEpoch(() -> false).orElseThrow().seconds();
            }
            SupernetEstimator estimator = Estimators.supernet(net, searchTrain, searchValid).recalibrationBatches(10)
                    .batchSize(s.batch).validationSamples(1000).build();
            SearchResult r = SearchRunner.builder(space, strategy).estimator(estimator).objective(objective)
                    .budget(Budget.trials(s.candidates)).seed(seed).build().run();
            if (r.rejected() > 0) {
                System.out.printf(Locale.ROOT, "REJECTED method=%s seed=%d rejected=%d bound=flops<=%.0f%n", method,
                        seed, r.rejected(), maxFlops);
            }
            rank(method, estimator);
            return new Outcome(r.best().architecture(), median(epochSeconds));
        }

        /** The supernet's estimates of the rank cells against their stand-alone accuracies. */
        private void rank(String method, SupernetEstimator estimator) {
            ensureRankCells();
            double[] estimates = new double[rankCells.size()];
            for (int i = 0; i < estimates.length; i++) {
                try {
                    estimates[i] = estimator.evaluate(new EvaluationRequest(i, rankCells.get(i),
                            Seeds.derive(seed, "rank", i), 1.0)).value(Metric.VALIDATION_ACCURACY);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot score rank cell " + i, e);
                }
            }
            System.out.printf(Locale.ROOT, "RANK method=%s seed=%d kendall_tau=%.3f spearman=%.3f n=%d%n", method,
                    seed, RankCorrelation.kendallTau(estimates, standAlone),
                    RankCorrelation.spearman(estimates, standAlone), estimates.length);
        }

        /** Random distinct cells, trained stand-alone with the search recipe (the ground truth of the ranks). */
        private void ensureRankCells() {
            if (rankCells != null) {
                return;
            }
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "rank cells"));
            Map<String, Architecture> cells = new LinkedHashMap<>();
            while (cells.size() < s.rankCells) {
                Architecture c = space.sample(rng);
                cells.putIfAbsent(space.canonicalKey(c), c);
            }
            rankCells = new ArrayList<>(cells.values());
            TrainingEstimator recipe = Estimators.training(new TrainTest(data.train(), data.test())).epochs(1)
                    .stepsPerEpoch(s.rankSteps).batchSize(64).learningRate(0.1).latencyRuns(0).build();
            standAlone = new double[rankCells.size()];
            long start = System.nanoTime();
            for (int i = 0; i < standAlone.length; i++) {
                try {
                    standAlone[i] = recipe.evaluate(new EvaluationRequest(i, rankCells.get(i),
                            Seeds.derive(seed, "stand-alone", i), 1.0)).value(Metric.VALIDATION_ACCURACY);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot train rank cell " + i, e);
                }
            }
            System.out.printf(Locale.ROOT, "GROUND_TRUTH seed=%d cells=%d seconds=%.1f%n", seed, standAlone.length,
                    (System.nanoTime() - start) / 1e9);
        }

        /** Random cells under the retraining recipe: the median the methods are compared with. */
        private void baseline() {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "baseline cells"));
            double[] tests = new double[s.baselineCells];
            for (int i = 0; i < tests.length; i++) {
                tests[i] = retrain.train(space.sample(rng), seed).evaluation().value(Metric.TEST_ACCURACY);
            }
            System.out.printf(Locale.ROOT, "BASELINE seed=%d cells=%d median_retrain_test=%.2f%n", seed,
                    tests.length, median(tests));
        }
    }

    private record Outcome(Architecture architecture, double epochSeconds) {
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }
}
