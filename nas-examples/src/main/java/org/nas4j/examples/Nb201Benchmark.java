package org.nas4j.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Statistics;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.estimators.backend.NativeThreads;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.Strategies;

/**
 * Compares strategies on a NAS-Bench-201 table: each strategy runs for the largest trial budget on K seeds, and for
 * every budget T the best trial by validation accuracy among the first T is scored (its validation and test
 * accuracy). Prints one line per strategy and budget:
 * {@code RESULT strategy=rea trials=100 seeds=100 valid_mean=.. valid_std=.. test_mean=.. test_std=..}.
 *
 * <p>Arguments: {@code --table PATH} (default: the shipped CIFAR-10 table; any CSV of the same format, e.g. the
 * CIFAR-100 or ImageNet16-120 tables), {@code --strategies} (default: every full-fidelity strategy,
 * {@code rs,rea,evolution-no-aging,evolution,reinforce,reinforce-nb201,pnas,popnas}), {@code --trials 50,100,200},
 * {@code --seeds 100}, {@code --full-epochs N} (the epochs of the plain columns of a table with fidelity columns,
 * see {@link TabularEstimator}).
 *
 * <p>Budgets count full-training equivalents: a trial at fidelity {@code f} costs {@code f}, so for full-fidelity
 * strategies budget T is T trials. Multi-fidelity strategies (hyperband) need a table with fidelity columns
 * ({@code valid_acc@12} etc.): for them, budget T is the trials whose summed fidelity stays within T, and only
 * full-fidelity trials can be the answer. The shipped table has no fidelity columns, so hyperband is refused there
 * (every fidelity would get the full-training value).
 * A {@code TIME} line per strategy gives the wall-clock seconds of all its searches (strategy overhead and table
 * lookups; the strategy's model training included).
 */
public final class Nb201Benchmark {
    /** Strategies that propose trials below full fidelity. */
    static final java.util.Set<String> MULTI_FIDELITY = java.util.Set.of("hyperband");

    /**
     * The strategies compared by default: every name of {@link Strategies#names()} that proposes at full fidelity,
     * without the {@code -paper} variants of REINFORCE (name them to compare).
     */
    static final String DEFAULT_STRATEGIES = String.join(",", Strategies.names().stream()
            .filter(n -> !MULTI_FIDELITY.contains(n) && !n.endsWith("-paper")).toList());

    /** Trials a multi-fidelity search may run per unit of cost (Hyperband's smallest fidelity is 1/27 by default). */
    private static final int MAX_TRIALS_PER_COST = 40;

    private Nb201Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Arguments a = Arguments.parse(args, Map.of("--table", "", "--strategies", DEFAULT_STRATEGIES,
                "--trials", "50,100,200", "--seeds", "100", "--full-epochs", ""));
        useOneNativeThread();
        TabularEstimator table = a.get("--table").isEmpty() ? TabularEstimator.nasBench201Cifar10()
                : TabularEstimator.fromCsv(Path.of(a.get("--table")), Spaces.nasBench201());
        if (!a.get("--full-epochs").isEmpty()) {
            table = table.withFullEpochs(Arguments.positiveInt("--full-epochs", a.get("--full-epochs")));
        }
        List<String> strategies = a.list("--strategies");
        int[] budgets = a.list("--trials").stream().mapToInt(s -> Arguments.positiveInt("--trials", s)).sorted()
                .toArray();
        int seeds = Arguments.positiveInt("--seeds", a.get("--seeds"));
        double bestInTable = table.rows().values().stream()
                .mapToDouble(m -> m.get(Metric.VALIDATION_ACCURACY)).max().orElseThrow();
        System.out.printf(Locale.ROOT, "table %s: %d architectures, best valid_acc %.4f%n", table.source(),
                table.size(), bestInTable);
        for (String name : strategies) {
            Strategies.byName(name); // an unknown name fails here, listing the known ones, before any search runs
            if (MULTI_FIDELITY.contains(name) && !table.hasFidelity()) {
                throw new IllegalArgumentException("--strategies: " + name + " needs a table whose values depend on"
                        + " the fidelity (columns such as valid_acc@12), but " + table.source() + " has none; known"
                        + " full-fidelity strategies: " + DEFAULT_STRATEGIES);
            }
        }
        for (String name : strategies) {
            StrategyFactory strategy = Strategies.byName(name);
            long start = System.nanoTime();
            double[][] valid = new double[budgets.length][seeds];
            double[][] test = new double[budgets.length][seeds];
            int maxTrials = budgets[budgets.length - 1] * (MULTI_FIDELITY.contains(name) ? MAX_TRIALS_PER_COST : 1);
            for (int seed = 0; seed < seeds; seed++) {
                SearchResult r = SearchRunner.builder(table.space(), strategy).estimator(table)
                        .objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                        .budget(Budget.trials(maxTrials)).seed(seed).build().run();
                for (int b = 0; b < budgets.length; b++) {
                    Trial best = bestWithinCost(r.trials(), budgets[b]);
                    valid[b][seed] = best.value(Metric.VALIDATION_ACCURACY);
                    test[b][seed] = best.value(Metric.TEST_ACCURACY);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (int b = 0; b < budgets.length; b++) {
                System.out.printf(Locale.ROOT,
                        "RESULT strategy=%s trials=%d seeds=%d valid_mean=%.4f valid_std=%.4f test_mean=%.4f "
                                + "test_std=%.4f%n", name, budgets[b], seeds, Statistics.mean(valid[b]), std(valid[b]),
                        Statistics.mean(test[b]), std(test[b]));
            }
            System.out.printf(Locale.ROOT, "TIME strategy=%s seconds=%.2f%n", name, seconds);
        }
    }

    /**
     * Runs ND4J single-threaded. A table lookup trains nothing: the only native work is the strategies' tiny models
     * (controllers, surrogates), whose ops take microseconds, so handing them to a second thread costs more than it
     * saves (measured 2-4x slower on a busy 2-core machine).
     */
    static void useOneNativeThread() {
        NativeThreads.choose(OptionalInt.of(1), 1).applyToCurrentThread();
    }

    /**
     * The best complete full-fidelity trial by validation accuracy among the first trials whose summed fidelity is at
     * most {@code cost} (ties: the earlier one). For full-fidelity strategies: the best of the first {@code cost}.
     */
    static Trial bestWithinCost(List<Trial> trials, int cost) {
        Trial best = null;
        double spent = 0;
        for (Trial t : trials) {
            spent += t.fidelity();
            if (spent > cost + 1e-9) {
                break;
            }
            if (t.isComplete() && t.fidelity() == 1.0 && (best == null
                    || t.value(Metric.VALIDATION_ACCURACY) > best.value(Metric.VALIDATION_ACCURACY))) {
                best = t;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no complete full-fidelity trial within a cost of " + cost);
        }
        return best;
    }

    /** The sample standard deviation of {@code x}, and 0 for a single seed (as the RESULT lines have always shown). */
    static double std(double[] x) {
        return x.length < 2 ? 0 : Statistics.sampleStandardDeviation(x);
    }
}
