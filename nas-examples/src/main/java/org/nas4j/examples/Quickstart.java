package org.nas4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Listeners;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.backend.NativeBackend;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.export.ComputationGraphExport;
import org.nas4j.estimators.training.TrainingEstimator;
import org.nas4j.estimators.training.TrainingResult;
import org.nas4j.spaces.Spaces;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.strategies.Strategies;

/**
 * The quickstart: a real search in about 5 minutes on 2 cores. Regularized evolution over the NAS-Bench-201 cell
 * space (small network: C=8, one cell per stage, 1-channel 28x28 input) where every candidate is trained from
 * scratch (60 SGD steps of 64 images) on the Fashion-MNIST subset shipped with nas4j and scored on 2,000
 * held-out validation images, with a progress bar; then the best architecture is retrained on all 10,000
 * training images, scored on the 2,000 test images and exported as a DL4J ComputationGraph.
 *
 * <p>Arguments: {@code --trials 100} {@code --minutes 3.5} (search wall clock) {@code --epochs 1} and
 * {@code --steps 60} (per candidate; 0 = full epoch) {@code --final-epochs 2} {@code --channels 8}
 * {@code --cells 1} {@code --seed 42} {@code --parallelism 2} {@code --journal DIR} (resumable)
 * {@code --export target/quickstart-best.zip} (empty: no export) {@code --report target/quickstart-report.html} (empty: none; the last line says where). The table-based quickstart (seconds) is
 * {@link TabularQuickstart}.
 */
public final class Quickstart {
    private Quickstart() {
    }

    public static void main(String[] args) {
        Arguments a = Arguments.parse(args, Map.ofEntries(
                Map.entry("--trials", "100"),
                Map.entry("--minutes", "3.5"),
                Map.entry("--epochs", "1"),
                Map.entry("--steps", "60"),
                Map.entry("--final-epochs", "2"),
                Map.entry("--channels", "8"),
                Map.entry("--cells", "1"),
                Map.entry("--seed", "42"),
                Map.entry("--parallelism", "2"),
                Map.entry("--journal", ""),
                Map.entry("--export", "target/quickstart-best.zip"),
                Map.entry("--report", "target/quickstart-report.html")));
        int parallelism = Arguments.positiveInt("--parallelism", a.get("--parallelism"));
        NasBench201Space space = Spaces.nasBench201Builder()
                .channels(Arguments.positiveInt("--channels", a.get("--channels")))
                .cellsPerStage(Arguments.positiveInt("--cells", a.get("--cells")))
                .inputChannels(1).imageSize(28).build();
        TrainTest data = FashionMnist.bundled();
        long seed = Long.parseLong(a.get("--seed"));
        TrainingEstimator training = Estimators.training(data)
                .epochs(Arguments.positiveInt("--epochs", a.get("--epochs")))
                .stepsPerEpoch(Integer.parseInt(a.get("--steps")))
                .batchSize(64).learningRate(0.1)
                .build();
        System.out.println("ND4J: " + NativeBackend.describe() + "; " + training.nativeThreads(parallelism) + ", "
                + parallelism + " trial(s) at a time");
        System.out.println("space: " + space.identity());
        System.out.println("estimator: " + training.description());

        SearchRunner.Builder search = SearchRunner.builder(space, Strategies.regularizedEvolution()
                        .populationSize(10).sampleSize(3))
                .estimator(training)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .budget(Budget.trials(Arguments.positiveInt("--trials", a.get("--trials")))
                        .orWallClock(Duration.ofSeconds(
                                Math.round(60 * Double.parseDouble(a.get("--minutes"))))))
                .parallelism(parallelism)
                .seed(seed)
                .listener(Listeners.progressBar());
        if (!a.get("--journal").isEmpty()) {
            search.journal(Path.of(a.get("--journal")));
        }
        long start = System.nanoTime();
        SearchResult result = search.build().run();
        double searchSeconds = (System.nanoTime() - start) / 1e9;

        Trial best = result.best();
        System.out.printf(Locale.ROOT, "search: %d trials in %.0f s%n", result.trials().size(), searchSeconds);
        System.out.println("best architecture: " + best.architecture());
        System.out.printf(Locale.ROOT, "  validation accuracy %.2f%%, %,d parameters, %.2f M multiply-adds, "
                        + "latency %.2f ms (trial %d)%n", best.value(Metric.VALIDATION_ACCURACY),
                (long) best.value(Metric.PARAMETERS), best.value(Metric.FLOPS) / 1e6,
                best.value(Metric.LATENCY_MS), best.id());
        System.out.println("top 5 by validation accuracy:");
        for (Trial t : result.top(5)) {
            System.out.printf(Locale.ROOT, "  %.2f  %s%n", t.value(Metric.VALIDATION_ACCURACY), t.architecture());
        }

        int finalEpochs = Arguments.positiveInt("--final-epochs", a.get("--final-epochs"));
        System.out.printf(Locale.ROOT, "retraining the best architecture on all %d training images for %d epochs...%n",
                data.train().size(), finalEpochs);
        TrainingEstimator full = Estimators.training(data).epochs(finalEpochs).batchSize(64).learningRate(0.1)
                .validationFraction(0).testAccuracy(true).build();
        start = System.nanoTime();
        TrainingResult trained = full.train(best.architecture(), seed);
        System.out.printf(Locale.ROOT, "test accuracy %.2f%% on %d test images (retraining took %.0f s)%n",
                trained.evaluation().value(Metric.TEST_ACCURACY), data.test().size(),
                (System.nanoTime() - start) / 1e9);
        if (!a.get("--export").isEmpty()) {
            try {
                Path file = Path.of(a.get("--export"));
                ComputationGraph graph = ComputationGraphExport.save(trained.network(), file);
                System.out.printf(Locale.ROOT, "exported to %s: a DL4J ComputationGraph with %d layers "
                        + "(ModelSerializer.restoreComputationGraph reads it back)%n", file, graph.getLayers().length);
            } catch (IOException e) {
                System.err.println("export failed: " + e);
            }
        }
        ReportFile.write(result, a.get("--report"));
    }
}
