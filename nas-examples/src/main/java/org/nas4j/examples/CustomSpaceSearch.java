package org.nas4j.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Listeners;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.core.space.builder.SpaceBuilder;
import org.nas4j.core.space.builder.Width;
import org.nas4j.estimators.Estimators;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.TrainTest;
import org.nas4j.estimators.export.ComputationGraphExport;
import org.nas4j.estimators.training.TrainingEstimator;
import org.nas4j.estimators.training.TrainingResult;
import org.nas4j.strategies.Strategies;

/**
 * A search space of your own, searched for real: a stem and a residual reduction, then 2 to 4 blocks whose op
 * (pre- or post-activation convolution), kernel size and width are chosen per block, then a classifier, on the Fashion-MNIST subset shipped with nas4j. Regularized evolution
 * proposes, every candidate is trained from scratch for a few steps and scored on held-out images (about 2 minutes
 * on 2 cores with the defaults); the best architecture is printed as
 * {@code RESULT space=<name> best=<text form> params=<n> valid_acc=<a>}, retrained and exported as a DL4J
 * ComputationGraph. docs/spaces/custom.md walks through it.
 *
 * <p>Arguments: {@code --trials 60} {@code --minutes 1.25} (search wall clock) {@code --steps 30} (SGD steps of 64
 * images per candidate) {@code --final-steps 60} (retraining of the best; 0 = skip retraining and export)
 * {@code --seed 42} {@code --parallelism 2} {@code --export target/custom-space-best.zip} (empty: no export) {@code --report target/custom-space-report.html} (empty: none).
 */
public final class CustomSpaceSearch {
    private CustomSpaceSearch() {
    }

    /** The space: stem, 2-4 blocks (op x kernel x width chosen per block), classifier; 1x28x28 in, 10 classes. */
    static ComposedSpace space() {
        return SpaceBuilder.create("fashion-blocks")
                .input(1, 28, 28).classes(10)
                .layer("stem", "conv_bn_3x3", Width.of(8))
                .layer("reduce", "res_block_3x3", Width.of(16), 2)
                .repeat("blocks", 2, 4, block -> block
                        .value("k", 3, 5)
                        .value("width", 16, 24, 32)
                        .choice("op", List.of("nor_conv_{k}x{k}", "conv_bn_relu_{k}x{k}"), Width.value("width"), 1))
                .head("bn_relu_pool_linear")
                .maxParameters(60_000)
                .build();
    }

    public static void main(String[] args) {
        Arguments a = Arguments.parse(args, Map.ofEntries(
                Map.entry("--trials", "60"),
                Map.entry("--minutes", "1.25"),
                Map.entry("--steps", "30"),
                Map.entry("--final-steps", "60"),
                Map.entry("--seed", "42"),
                Map.entry("--parallelism", "2"),
                Map.entry("--export", "target/custom-space-best.zip"),
                Map.entry("--report", "target/custom-space-report.html")));
        ComposedSpace space = space();
        System.out.println(space.definition());
        TrainTest data = FashionMnist.bundled();
        long seed = Long.parseLong(a.get("--seed"));
        TrainingEstimator training = Estimators.training(data).epochs(1)
                .stepsPerEpoch(Arguments.positiveInt("--steps", a.get("--steps")))
                .batchSize(64).learningRate(0.1).build();
        SearchResult result = SearchRunner.builder(space, Strategies.regularizedEvolution()
                        .populationSize(10).sampleSize(3))
                .estimator(training)
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .budget(Budget.trials(Arguments.positiveInt("--trials", a.get("--trials")))
                        .orWallClock(Duration.ofSeconds(Math.round(60 * Double.parseDouble(a.get("--minutes"))))))
                .parallelism(Arguments.positiveInt("--parallelism", a.get("--parallelism")))
                .seed(seed)
                .listener(Listeners.progressBar())
                .build().run();

        Trial best = result.best();
        System.out.printf(Locale.ROOT, "RESULT space=%s best=%s params=%d valid_acc=%.2f%n", space.name(),
                best.architecture(), space.parameters(best.architecture()), best.value(Metric.VALIDATION_ACCURACY));
        System.out.printf(Locale.ROOT, "%d trials; %.2f M multiply-adds; key %s%n", result.trials().size(),
                space.multiplyAdds(best.architecture()) / 1e6, best.architecture().key());

        int finalSteps = Integer.parseInt(a.get("--final-steps"));
        if (finalSteps > 0 && !a.get("--export").isEmpty()) {
            TrainingEstimator full = Estimators.training(data).epochs(1).stepsPerEpoch(finalSteps).batchSize(64)
                    .learningRate(0.1).validationFraction(0).testAccuracy(true).build();
            TrainingResult trained = full.train(best.architecture(), seed);
            System.out.printf(Locale.ROOT, "retrained %d steps: test accuracy %.2f%% on %d test images%n", finalSteps,
                    trained.evaluation().value(Metric.TEST_ACCURACY), data.test().size());
            try {
                Path file = Path.of(a.get("--export"));
                ComputationGraphExport.save(trained.network(), file);
                System.out.println("exported to " + file + " (ModelSerializer.restoreComputationGraph reads it back)");
            } catch (IOException e) {
                System.err.println("export failed: " + e);
            }
        }
        ReportFile.write(result, a.get("--report"));
    }
}
