package org.nas4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.estimators.data.FashionMnist;
import org.nas4j.estimators.data.ImageDataset;
import org.nas4j.strategies.Strategies;
import org.nas4j.strategies.oneshot.Enas;

/** What {@link EnasMicroSearch} and {@link EnasMacroSearch} share: the search's options, its run, its rewards. */
final class EnasExamples {
    /** The options of the search itself, with their defaults. */
    static final Map<String, String> SEARCH_OPTIONS = Map.of("--epochs", "2", "--steps", "10", "--samples", "20",
            "--batch", "32", "--train", "2000", "--seed", "1");

    private EnasExamples() {
    }

    /**
     * ENAS on the first {@code --train} bundled Fashion-MNIST training images: {@code --epochs} epochs of
     * {@code --steps} shared-weight steps and {@code --samples} controller samples, batches of {@code --batch}.
     */
    static Enas strategy(Arguments a) {
        ImageDataset train = FashionMnist.bundled().normalized().train()
                .head(Arguments.positiveInt("--train", a.get("--train")));
        return Strategies.enas(train).epochs(Arguments.positiveInt("--epochs", a.get("--epochs")))
                .stepsPerEpoch(Arguments.positiveInt("--steps", a.get("--steps")))
                .controllerSteps(Arguments.positiveInt("--samples", a.get("--samples")))
                .batchSize(Arguments.positiveInt("--batch", a.get("--batch")));
    }

    /** Prints the space and the strategy, then runs every sample of every epoch (one trial each) with {@code --seed}. */
    static SearchResult run(ComposedSpace space, Enas enas, Arguments a) {
        System.out.println("space: " + space.identity() + " choices=" + space.choices().size());
        System.out.println("strategy: " + enas.configuration());
        // one trial per controller sample: the runner's default budget (100 trials) would cut longer searches short
        int trials = Arguments.positiveInt("--epochs", a.get("--epochs"))
                * Arguments.positiveInt("--samples", a.get("--samples"));
        return SearchRunner.builder(space, enas).objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .budget(Budget.trials(trials)).seed(Long.parseLong(a.get("--seed"))).build().run();
    }

    /** The trials of each epoch, in epoch order. */
    static Map<Integer, List<Trial>> byEpoch(SearchResult r) {
        Map<Integer, List<Trial>> epochs = new TreeMap<>();
        for (Trial t : r.trials()) {
            epochs.computeIfAbsent(t.metrics().get(Metric.EPOCHS).intValue(), e -> new ArrayList<>()).add(t);
        }
        return epochs;
    }

    /** {@code samples=<n> mean_reward=<m> max_reward=<b>} of some trials. */
    static String rewards(List<Trial> trials) {
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (Trial t : trials) {
            double reward = t.metrics().get(Metric.VALIDATION_ACCURACY);
            sum += reward;
            max = Math.max(max, reward);
        }
        return String.format(Locale.ROOT, "samples=%d mean_reward=%.2f max_reward=%.2f", trials.size(),
                sum / trials.size(), max);
    }
}
