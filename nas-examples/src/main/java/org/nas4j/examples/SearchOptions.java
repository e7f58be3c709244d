package org.nas4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Estimator;
import org.nas4j.core.search.Listeners;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.zerocost.ZeroCostEstimator;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.Strategies;
import picocli.CommandLine.Option;

/**
 * What a search runs with, shared by {@code nas4j search} and the rounds of {@code nas4j dashboard}: strategy,
 * estimator, budget, seed and parallelism (the space is each command's own).
 */
final class SearchOptions {

    @Option(names = "--strategy", defaultValue = "rea",
            description = "strategy name (nas4j strategies lists them); default ${DEFAULT-VALUE}")
    String strategy;

    @Option(names = "--estimator", defaultValue = "table",
            description = "table (NAS-Bench-201 CIFAR-10, shipped; or --table PATH), training (real training on "
                    + "the shipped Fashion-MNIST) or zero-cost (synflow at initialisation); default ${DEFAULT-VALUE}")
    String estimator;

    @Option(names = "--table", description = "a table in the NAS-Bench-201 CSV format, for --estimator table")
    Path table;

    @Option(names = "--trials", defaultValue = "100", description = "trial budget; default ${DEFAULT-VALUE}")
    int trials;

    @Option(names = "--minutes", description = "wall-clock budget in minutes, besides the trials")
    Double minutes;

    @Option(names = "--seed", defaultValue = "42", description = "root seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--parallelism", defaultValue = "2", description = "trials at once; default ${DEFAULT-VALUE}")
    int parallelism;

    /**
     * The space named {@code name}, set up for the chosen estimator's data: a table scores the registry's space as
     * it is; training and zero-cost read the shipped Fashion-MNIST (1x28x28 images), for which NAS-Bench-201 is
     * built as the quickstart builds it (C=8, one cell per stage, one input channel, 28x28). Other spaces take the
     * registry's 3x32x32 images, so those estimators refuse them by name.
     */
    SearchSpace space(String name) {
        SearchSpace registered = Spaces.byName(name);
        if (estimator.equals("table")) {
            return registered;
        }
        if (!name.equals("nas-bench-201")) {
            throw new IllegalArgumentException("--estimator " + estimator + " trains on the shipped Fashion-MNIST "
                    + "(1x28x28 images), for which only --space nas-bench-201 is set up, but --space was '" + name
                    + "'; use --estimator table, or a space of your own from Java (docs/spaces/custom.md)");
        }
        return Spaces.nasBench201Builder().channels(8).cellsPerStage(1).inputChannels(1).imageSize(28).build();
    }

    /** The objective of the chosen estimator: synflow for zero-cost, validation accuracy otherwise. */
    Objective objective() {
        return estimator.equals("zero-cost") ? Objective.maximize(ZeroCostEstimator.metric("synflow"))
                : Objective.maximize(Metric.VALIDATION_ACCURACY);
    }

    /**
     * A runner's builder for {@code space} with these options and the given seed; an exception naming the option
     * for a bad value.
     */
    SearchRunner.Builder builder(SearchSpace space, long rootSeed) throws IOException {
        return builder(space, rootSeed, estimator(space), objective());
    }

    /**
     * A runner's builder for {@code space} with these options' strategy, budget and parallelism, but the given
     * estimator and objective (a one-shot round's supernet estimator).
     */
    SearchRunner.Builder builder(SearchSpace space, long rootSeed, Estimator estimator, Objective objective) {
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be >= 1, but was " + trials);
        }
        Budget budget = Budget.trials(trials);
        if (minutes != null) {
            budget = budget.orWallClock(Duration.ofMillis((long) (minutes * 60_000)));
        }
        return SearchRunner.builder(space, Strategies.byName(strategy)).estimator(estimator)
                .objective(objective).budget(budget).parallelism(parallelism).seed(rootSeed)
                .listener(Listeners.progressBar());
    }

    private Estimator estimator(SearchSpace space) throws IOException {
        return switch (estimator) {
            case "table" -> table == null ? Estimators.nasBench201Cifar10() : Estimators.tabular(table, space);
            case "training" -> Estimators.training(FashionMnist.bundled()).epochs(1).stepsPerEpoch(60)
                    .batchSize(64).learningRate(0.1).build();
            case "zero-cost" -> Estimators.zeroCost(FashionMnist.bundled()).proxies("synflow").build();
            default -> throw new IllegalArgumentException(
                    "--estimator must be table, training or zero-cost, but was '" + estimator + "'");
        };
    }
}
