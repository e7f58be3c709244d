package org.nas4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.data.UcrArchive;
import org.nas4j.estimators.network.SpaceCompiler;
import org.nas4j.estimators.network.TimeSeriesModules;
import org.nas4j.estimators.training.TrainingEstimator;
import org.nas4j.spaces.timeseries.TimeSeriesSpace;
import org.nas4j.strategies.Strategies;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * POPNASv3 on UEA-UCR time-series classification: for each dataset, the time-series cell space
 * ({@link TimeSeriesSpace}) is searched by {@code popnas} with training time as the cost, every candidate trained
 * from scratch (Adam) on the training file (part held out for validation) and scored on the test file; prints
 * {@code RESULT dataset=<name> best_test_acc=<a> trials=<n> search_seconds=<s> params=<n>}, where
 * {@code best_test_acc} is the test accuracy (percent) of the trial with the best validation accuracy.
 * The data is read from {@code --data-dir} (default: {@code shared/data/ucr} found beside the project); nothing is
 * downloaded. docs/spaces/timeseries.md describes the space; docs/benchmarks.md has results.
 */
@Command(name = "time-series-benchmark", mixinStandardHelpOptions = true,
        description = "POPNASv3 time-series cell search on UEA-UCR .ts datasets")
public final class TimeSeriesBenchmark implements Callable<Integer> {
    /** Where the data lies below a {@code shared} folder beside the project (found by walking up). */
    static final String SHARED_UCR = "shared/data/ucr";

    @Option(names = "--datasets", split = ",", defaultValue = "ItalyPowerDemand,GunPoint,ArrowHead,OSULeaf,"
            + "BasicMotions,JapaneseVowels", description = "datasets (<name>_TRAIN.ts and <name>_TEST.ts in "
            + "--data-dir); default ${DEFAULT-VALUE}")
    List<String> datasets;

    @Option(names = "--data-dir", description = "folder of the .ts files; default shared/data/ucr beside the project")
    Path dataDir;

    @Option(names = "--trials", defaultValue = "20", description = "trials per dataset; default ${DEFAULT-VALUE}")
    int trials;

    @Option(names = "--minutes", description = "wall-clock budget per dataset in minutes, besides the trials")
    Double minutes;

    @Option(names = "--epochs", defaultValue = "20", description = "training epochs per candidate; default "
            + "${DEFAULT-VALUE}")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "16", description = "training batch size; default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--blocks", defaultValue = "3", description = "blocks per cell (POPNASv3: 5); default "
            + "${DEFAULT-VALUE}")
    int blocks;

    @Option(names = "--filters", defaultValue = "8", description = "filters of the first motif (POPNASv3: 24); "
            + "default ${DEFAULT-VALUE}")
    int filters;

    @Option(names = "--motifs", defaultValue = "2", description = "motifs (POPNASv3: 3); default ${DEFAULT-VALUE}")
    int motifs;

    @Option(names = "--normal-cells", defaultValue = "1", description = "normal cells per motif (POPNASv3: 2); "
            + "default ${DEFAULT-VALUE}")
    int normalCells;

    @Option(names = "--beam", defaultValue = "5", description = "architectures per POPNAS round; default "
            + "${DEFAULT-VALUE}")
    int beam;

    @Option(names = "--seed", defaultValue = "42", description = "root seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--parallelism", defaultValue = "1", description = "trials at once; default ${DEFAULT-VALUE}")
    int parallelism;

    @Option(names = "--native-threads", defaultValue = "1", description = "native threads per trial (these networks"
            + " are small: more threads mostly wait on each other); default ${DEFAULT-VALUE}")
    int nativeThreads;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TimeSeriesBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path dir = dataDir != null ? dataDir : sharedUcr();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--data-dir must be a folder of .ts files, but " + dir.toAbsolutePath()
                    + " is not a folder");
        }
        TimeSeriesSpace.Skeleton skeleton = new TimeSeriesSpace.Skeleton(blocks, filters, motifs, normalCells);
        for (String name : datasets) {
            TrainTest data = UcrArchive.load(dir, name);
            ComposedSpace space = TimeSeriesSpace.create(name.toLowerCase(Locale.ROOT), data.train().channels(),
                    data.train().width(), data.train().classes(), skeleton);
            long start = System.nanoTime();
            SearchResult result = search(space, data);
            double seconds = (System.nanoTime() - start) / 1e9;
            Trial best = result.best();
            System.out.printf(Locale.ROOT, "best of %s: %s (validation accuracy %.2f%%)%n", name,
                    best.architecture(), best.value(Metric.VALIDATION_ACCURACY));
            System.out.printf(Locale.ROOT, "RESULT dataset=%s best_test_acc=%.2f trials=%d search_seconds=%.1f"
                    + " params=%d%n", name, best.value(Metric.TEST_ACCURACY), result.trials().size(), seconds,
                    space.parameters(best.architecture()));
        }
        return 0;
    }

    private SearchResult search(ComposedSpace space, TrainTest data) {
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be >= 1, but was " + trials);
        }
        TrainingEstimator training = Estimators.training(data).epochs(epochs).batchSize(batchSize)
                .optimizer(TrainingEstimator.OptimizerKind.ADAM).learningRate(0.01).cosine(true)
                .normalize(false).testAccuracy(true).latencyRuns(0)
                .nativeThreads(nativeThreads)
                .networkFactory(new SpaceCompiler(space).modules(TimeSeriesModules.catalogue())).build();
        Budget budget = Budget.trials(trials);
        if (minutes != null) {
            budget = budget.orWallClock(Duration.ofMillis(Math.round(minutes * 60_000)));
        }
        int round = Math.max(2, beam);
        return SearchRunner.builder(space, Strategies.popnas().costMetric(Metric.TRAINING_SECONDS)
                        .search(Strategies.pnas().beamSize(round).initialSize(round)))
                .estimator(training)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .budget(budget)
                .parallelism(parallelism)
                .seed(seed)
                .build().run();
    }

    /** The shared UCR folder found by walking up from the working directory (or the path it would have). */
    static Path sharedUcr() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path t = d.resolve(SHARED_UCR);
            if (Files.isDirectory(t)) {
                return t;
            }
        }
        return Path.of("..").resolve(SHARED_UCR);
    }
}
