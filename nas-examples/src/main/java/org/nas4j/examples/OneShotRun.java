package org.nas4j.examples;

import static org.nas4j.examples.OneShotBenchmark.CONDITIONAL;
import static org.nas4j.core.search.Statistics.median;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
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
import org.nas4j.strategies.Strategies;
import org.nas4j.strategies.oneshot.GradientOneShot;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One seed of {@link OneShotBenchmark}: every method's search, the supernets' ranks of the rank cells against their
 * ground truth (stand-alone training, or a table), and each method's cell retrained. Each method (and the baseline
 * cells) is a part whose lines are printed and read by the {@link OneShotOutcomes}; with an {@code --out}
 * directory, a part that finished in an earlier run is replayed from it, and the running part keeps its journal
 * and checkpoints there ({@link BenchmarkDirectory}).
 */
final class OneShotRun {
    private final ComposedSpace space;
    private final TrainTest data;
    private final OneShotBenchmark.Settings s;
    private final int seed;
    private final double maxFlops;
    private final ImageDataset searchTrain;
    private final ImageDataset searchValid;
    private final TrainingEstimator retrain;
    /** The ground truth and the retraining recipe of table mode; null without {@code --table}. */
    private final TableComparison table;
    private final OneShotOutcomes outcomes;
    private final Optional<BenchmarkDirectory> out;
    /** The lines of the part running now. */
    private final List<String> lines = new ArrayList<>();
    private List<Architecture> rankCells;
    private double[] standAlone;

    OneShotRun(ComposedSpace space, TrainTest data, OneShotBenchmark.Settings s, int seed, double maxFlops,
            TableComparison table, OneShotOutcomes outcomes, Optional<BenchmarkDirectory> out) {
        this.table = table;
        this.outcomes = outcomes;
        this.out = out;
        this.space = space;
        this.data = data;
        this.s = s;
        this.seed = seed;
        this.maxFlops = maxFlops;
        ImageDataset[] split = data.train().split(0.2, Seeds.derive(seed, "benchmark split"));
        this.searchTrain = split[0];
        this.searchValid = split[1];
        this.retrain = Estimators.training(data).epochs(s.retrainEpochs()).stepsPerEpoch(s.retrainSteps())
                .batchSize(64).learningRate(0.1)
                .validationFraction(0).testAccuracy(true).latencyRuns(0).build();
    }

    void run(List<String> methods) {
        if (s.baselineCells() > 0) {
            part("baseline", this::baseline);
        }
        for (String m : methods) {
            part(m, () -> method(m));
        }
    }

    /**
     * Runs {@code name} on this seed, or, if the {@code --out} directory holds its lines from an earlier run, prints
     * and reads those instead.
     */
    private void part(String name, Runnable body) {
        String key = key(name);
        Optional<List<String>> done = out.flatMap(d -> d.finished(key));
        lines.clear();
        if (done.isPresent()) {
            done.get().forEach(this::emit);
            return;
        }
        body.run();
        out.ifPresent(d -> d.finish(key, lines));
    }

    /** A part's name on this seed: its file name in the {@code --out} directory. */
    private String key(String name) {
        return "seed" + seed + "-" + name;
    }

    /** The running part's folder for journals and checkpoints, with {@code --out}. */
    private Optional<Path> running(String name) {
        return out.map(d -> d.running(key(name)));
    }

    /** Prints a line of the running (or replayed) part, keeps it and hands it to the outcomes. */
    private void emit(String line) {
        System.out.println(line);
        lines.add(line);
        outcomes.read(line);
    }

    /** Method {@code m}'s search, and its cell retrained. */
    private void method(String m) {
        long start = System.nanoTime();
        Outcome o = switch (m) {
            case "darts1" -> gradient(m, Strategies.darts(searchTrain));
            case "darts2" -> gradient(m, Strategies.darts(searchTrain).secondOrder());
            case "gdas" -> gradient(m, Strategies.gdas(searchTrain));
            case "proxyless" -> gradient(m, Strategies.proxylessNas(searchTrain));
            case "enas", "enas-cw" -> enas(m);
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
        TableComparison.Retrained r = table == null ? null : TableComparison.retrain(space, o.architecture,
                BuildTable.recipe(1, s.tableSteps()), s.tableSeeds(), seed);
        double test = r == null ? retrain.train(o.architecture, seed).evaluation().value(Metric.TEST_ACCURACY)
                : r.testAccuracy();
        emit(String.format(Locale.ROOT, "RESULT method=%s seed=%d arch=%s search_seconds=%.1f "
                        + "epoch_seconds=%.2f retrain_test=%.2f params=%d param_free_ops=%d%s", m, seed,
                space.format(o.architecture), searchSeconds, o.epochSeconds, test,
                space.parameters(o.architecture), GradientOneShot.parameterFreeOps(o.architecture),
                r == null ? "" : String.format(Locale.ROOT, " retrain_valid=%.2f table_median=%.2f "
                        + "table_best=%.2f above=%.3f in_table=%b", r.validAccuracy(), table.median(),
                        table.best(), table.shareBeaten(r.validAccuracy()),
                        table.accuracyOf(o.architecture).isPresent())));
    }

    /** A search of this seed, journaled in the part's running folder with {@code --out}. */
    private SearchResult search(String method, SearchRunner.Builder runner) {
        running(method).ifPresent(runner::journal);
        return runner.seed(seed).build().run();
    }

    /** A gradient method: its derived architecture after the last epoch, the collapse count per epoch. */
    private Outcome gradient(String method, GradientOneShot strategy) {
        SearchResult r = search(method, SearchRunner.builder(space, strategy.epochs(s.epochs())
                .stepsPerEpoch(s.steps()).batchSize(s.batch()).validationSamples(2000))
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)));
        double[] epochSeconds = new double[r.trials().size()];
        for (Trial t : r.trials()) {
            epochSeconds[t.id()] = t.value(GradientOneShot.EPOCH_SECONDS);
            emit(String.format(Locale.ROOT, "EPOCH method=%s seed=%d epoch=%d param_free_ops=%d valid_acc=%.2f"
                            + " epoch_seconds=%.2f", method, seed, t.id() + 1,
                    (int) t.value(GradientOneShot.PARAM_FREE_OPS), t.value(Metric.VALIDATION_ACCURACY),
                    epochSeconds[t.id()]));
        }
        return new Outcome(r.trials().get(r.trials().size() - 1).architecture(), median(epochSeconds));
    }

    /** ENAS ({@code enas}), or on conditional weights ({@code enas-cw}, same seeds). */
    private Outcome enas(String method) {
        boolean conditional = method.endsWith(CONDITIONAL);
        long start = System.nanoTime();
        List<ComposedSupernet> trained = new ArrayList<>();
        SearchResult r = search(method, SearchRunner.builder(space, Strategies.enas(searchTrain).epochs(s.epochs())
                .stepsPerEpoch(s.steps()).batchSize(s.batch()).controllerSteps(s.candidates())
                .weightSharing(conditional ? WeightSharing.CONDITIONAL : WeightSharing.PLAIN)
                .conditionalSplitEpoch(conditional ? s.splitEpoch() : 0).whenTrained(trained::add))
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)));
        if (table != null) {
            // against the table ENAS' shared weights rank the cells as the sampling methods' supernets do
            rank(method, supernetEstimator(trained.get(0)));
        }
        return new Outcome(r.best().architecture(), (System.nanoTime() - start) / 1e9 / s.epochs());
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
                .epochs(s.epochs()).stepsPerEpoch(s.steps()).batchSize(s.batch()).seed(Seeds.derive(seed, base));
        if (dropout > 0) {
            b.linearPathDropout(dropout);
        }
        if (conditional && s.splitEpoch() > 0) {
            // UniNAS' schedule: the copies train shared, and split at the milestone epoch
            net.shareConditionalWeights();
            b.onEpochStart(e -> {
                if (e >= s.splitEpoch()) {
                    net.splitConditionalWeights();
                }
            });
        }
        SupernetTrainer trainer = b.build();
        // the supernet's checkpoint under the name the gradient methods give theirs, beside the candidates' journal
        double[] epochSeconds = train(trainer, running(method).map(d -> d.resolve(GradientOneShot.CHECKPOINT)));
        SupernetEstimator estimator = supernetEstimator(net);
        SearchResult r = search(method, SearchRunner.builder(space, strategy).estimator(estimator)
                .objective(objective).budget(Budget.trials(s.candidates())));
        if (r.rejected() > 0) {
            emit(String.format(Locale.ROOT, "REJECTED method=%s seed=%d rejected=%d bound=%s", method,
                    seed, r.rejected(), OneShotBenchmark.flopsBound(maxFlops)));
        }
        rank(method, estimator);
        return new Outcome(r.best().architecture(), median(epochSeconds));
    }

    /**
     * Trains the supernet's epochs; with a {@code checkpoint}, from the epoch it holds (written after each epoch,
     * with the epochs' seconds as its extra text).
     *
     * @return each epoch's seconds
     */
    private double[] train(SupernetTrainer trainer, Optional<Path> checkpoint) {
        double[] seconds = new double[s.epochs()];
        try {
            if (checkpoint.isPresent() && Files.exists(checkpoint.get())) {
                String saved = trainer.restore(checkpoint.get());
                double[] done = saved.isEmpty() ? new double[0]
                        : Arrays.stream(saved.split(",")).mapToDouble(Double::parseDouble).toArray();
                System.arraycopy(done, 0, seconds, 0, Math.min(done.length, seconds.length));
            }
            while (trainer.epochsDone() < s.epochs()) {
                int e = trainer.epochsDone();
                seconds[e] = trainer.trainEpoch(() -> false).orElseThrow().seconds();
                if (checkpoint.isPresent()) {
                    trainer.save(checkpoint.get(), Arrays.stream(seconds, 0, e + 1).mapToObj(Double::toString)
                            .collect(Collectors.joining(",")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("supernet checkpoint " + checkpoint.orElseThrow(), e);
        }
        return seconds;
    }

    /** Scores architectures on {@code net}'s trained weights, for the search and the ranks alike. */
    private SupernetEstimator supernetEstimator(ComposedSupernet net) {
        return Estimators.supernet(net, searchTrain, searchValid).recalibrationBatches(10).batchSize(s.batch())
                .validationSamples(1000).build();
    }

    /** The supernet's estimates of the rank cells against their ground truth (stand-alone or the table). */
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
        double tau = RankCorrelation.kendallTau(estimates, standAlone);
        double rho = RankCorrelation.spearman(estimates, standAlone);
        emit(String.format(Locale.ROOT, "RANK method=%s seed=%d kendall_tau=%.3f spearman=%.3f n=%d%s", method,
                seed, tau, rho, estimates.length, table == null ? "" : " ground_truth=table"));
    }

    /**
     * Random distinct cells, trained stand-alone with the search recipe (the ground truth of the ranks); with a
     * table, cells drawn from it and its validation accuracies.
     */
    private void ensureRankCells() {
        if (rankCells != null) {
            return;
        }
        if (table != null) {
            TableComparison.Sample drawn = table.sample(s.rankCells(), Seeds.derive(seed, "rank cells"));
            rankCells = drawn.cells();
            standAlone = drawn.validAccuracy();
            return;
        }
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "rank cells"));
        Map<String, Architecture> cells = new LinkedHashMap<>();
        while (cells.size() < s.rankCells()) {
            Architecture c = space.sample(rng);
            cells.putIfAbsent(space.canonicalKey(c), c);
        }
        rankCells = new ArrayList<>(cells.values());
        TrainingEstimator recipe = Estimators.training(new TrainTest(data.train(), data.test())).epochs(1)
                .stepsPerEpoch(s.rankSteps()).batchSize(64).learningRate(0.1).latencyRuns(0).build();
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
        emit(String.format(Locale.ROOT, "GROUND_TRUTH seed=%d cells=%d seconds=%.1f", seed, standAlone.length,
                (System.nanoTime() - start) / 1e9));
    }

    /** Random cells under the retraining recipe: the median the methods are compared with. */
    private void baseline() {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, "baseline cells"));
        double[] tests = new double[s.baselineCells()];
        for (int i = 0; i < tests.length; i++) {
            tests[i] = retrain.train(space.sample(rng), seed).evaluation().value(Metric.TEST_ACCURACY);
        }
        emit(String.format(Locale.ROOT, "BASELINE seed=%d cells=%d median_retrain_test=%.2f", seed,
                tests.length, median(tests)));
    }

    /** A method's architecture and its supernet's median seconds per epoch. */
    private record Outcome(Architecture architecture, double epochSeconds) {
    }
}
