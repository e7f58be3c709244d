package org.nas4j.examples;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Listeners;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.backend.NativeBackend;
import org.nas4j.estimators.tabular.TabularEstimator;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.strategies.Strategies;

/**
 * The table-based quickstart (seconds, no training): regularized evolution over the NAS-Bench-201 space, evaluated by the NAS-Bench-201 CIFAR-10
 * table that ships with nas4j, with a progress bar; prints the best architecture with its validation and test
 * accuracy, the top 5 and the accuracy/parameters Pareto front.
 *
 * <p>Arguments: {@code --trials 200} {@code --seed 42} {@code --parallelism 2} {@code --journal DIR} (resumable) {@code --report target/tabular-quickstart-report.html} (empty: none).
 */
public final class TabularQuickstart {
    private TabularQuickstart() {
    }

    public static void main(String[] args) {
        Arguments a = Arguments.parse(args, Map.of("--trials", "200", "--seed", "42", "--parallelism", "2",
                "--journal", "", "--report", "target/tabular-quickstart-report.html"));
        System.out.println("ND4J: " + NativeBackend.describe());
        NasBench201Space space = Spaces.nasBench201();
        TabularEstimator table = Estimators.nasBench201Cifar10();

        SearchRunner.Builder search = SearchRunner.builder(space, Strategies.regularizedEvolution())
                .estimator(table)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .budget(Budget.trials(Arguments.positiveInt("--trials", a.get("--trials"))))
                .parallelism(Arguments.positiveInt("--parallelism", a.get("--parallelism")))
                .seed(Long.parseLong(a.get("--seed")))
                .listener(Listeners.progressBar());
        if (!a.get("--journal").isEmpty()) {
            search.journal(Path.of(a.get("--journal")));
        }
        SearchResult result = search.build().run();

        Trial best = result.best();
        System.out.println("best architecture: " + best.architecture());
        System.out.printf(Locale.ROOT, "  validation accuracy %.2f%%, test accuracy %.2f%%, %,d parameters, "
                        + "%.1f M multiply-adds (trial %d of %d)%n", best.value(Metric.VALIDATION_ACCURACY),
                best.value(Metric.TEST_ACCURACY), (long) best.value(Metric.PARAMETERS),
                best.value(Metric.FLOPS) / 1e6, best.id(), result.trials().size());
        System.out.println("top 5 by validation accuracy:");
        for (Trial t : result.top(5)) {
            System.out.printf(Locale.ROOT, "  %.2f  %s%n", t.value(Metric.VALIDATION_ACCURACY), t.architecture());
        }
        System.out.println("Pareto front, validation accuracy vs parameters:");
        for (Trial t : result.paretoFront(Metric.VALIDATION_ACCURACY, Metric.PARAMETERS)) {
            System.out.printf(Locale.ROOT, "  %.2f  %,9d  %s%n", t.value(Metric.VALIDATION_ACCURACY),
                    (long) t.value(Metric.PARAMETERS), t.architecture());
        }
        ReportFile.write(result, a.get("--report"));
    }
}
