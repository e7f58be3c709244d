package org.nas4j.examples;

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
import org.nas4j.spaces.enas.EnasMicroSpace;
import org.nas4j.strategies.Strategies;
import org.nas4j.strategies.oneshot.Enas;

/**
 * ENAS on the micro space's search child ({@code enas-micro-search}'s cells and sizes, on 1x28x28 Fashion-MNIST
 * images from the bundled set), with the reference's micro controller ({@code --controller micro}, default) or
 * nas4j's generic LSTM controller ({@code --controller lstm}); rewards in training mode, as the reference computes
 * them. Prints, per epoch, the mean and best reward of the controller's samples, then
 * {@code RESULT controller=<c> best=<arc> reward=<percent> seconds=<s>} with the best arc in the reference's
 * format. Options: {@code --layers 6} {@code --filters 20} {@code --nodes 5} (the search script's),
 * {@code --epochs 2} {@code --steps 10} (shared-weight steps per epoch) {@code --samples 20} (controller samples per
 * epoch) {@code --batch 32} {@code --train 2000} (training images used) {@code --seed 1}.
 */
public final class EnasMicroSearch {
    private EnasMicroSearch() {
    }

    public static void main(String[] args) {
        Arguments a = Arguments.parse(args, Map.ofEntries(Map.entry("--controller", "micro"),
                Map.entry("--layers", "6"), Map.entry("--filters", "20"), Map.entry("--nodes", "5"),
                Map.entry("--epochs", "2"), Map.entry("--steps", "10"), Map.entry("--samples", "20"),
                Map.entry("--batch", "32"), Map.entry("--train", "2000"), Map.entry("--seed", "1")));
        String controller = a.get("--controller");
        if (!controller.equals("micro") && !controller.equals("lstm")) {
            throw new IllegalArgumentException("--controller must be micro or lstm, but was '" + controller + "'");
        }
        ComposedSpace space = EnasMicroSpace.builder().name("enas-micro-search").searchChild(true).input(1, 28)
                .layers(Integer.parseInt(a.get("--layers")))
                .outFilters(Arguments.positiveInt("--filters", a.get("--filters")))
                .nodes(Arguments.positiveInt("--nodes", a.get("--nodes"))).build();
        ImageDataset train = FashionMnist.bundled().normalized().train()
                .head(Arguments.positiveInt("--train", a.get("--train")));
        Enas enas = Strategies.enas(train).epochs(Arguments.positiveInt("--epochs", a.get("--epochs")))
                .stepsPerEpoch(Arguments.positiveInt("--steps", a.get("--steps")))
                .controllerSteps(Arguments.positiveInt("--samples", a.get("--samples")))
                .batchSize(Arguments.positiveInt("--batch", a.get("--batch"))).rewardsInTrainingMode(true);
        if (controller.equals("micro")) {
            enas = enas.controller(Enas.microController());
        }
        System.out.println("space: " + space.identity() + " choices=" + space.choices().size());
        System.out.println("strategy: " + enas.configuration());
        long start = System.nanoTime();
        // one trial per controller sample: the runner's default budget (100 trials) would cut longer searches short
        int trials = Arguments.positiveInt("--epochs", a.get("--epochs"))
                * Arguments.positiveInt("--samples", a.get("--samples"));
        SearchResult r = SearchRunner.builder(space, enas).objective(Objective.maximize(Metric.VALIDATION_ACCURACY))
                .budget(Budget.trials(trials)).seed(Long.parseLong(a.get("--seed"))).build().run();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Integer, double[]> perEpoch = new TreeMap<>();     // epoch -> {sum, max, count}
        for (Trial t : r.trials()) {
            int epoch = t.metrics().get(Metric.EPOCHS).intValue();
            double reward = t.metrics().get(Metric.VALIDATION_ACCURACY);
            double[] s = perEpoch.computeIfAbsent(epoch, e -> new double[] {0, Double.NEGATIVE_INFINITY, 0});
            s[0] += reward;
            s[1] = Math.max(s[1], reward);
            s[2]++;
        }
        perEpoch.forEach((epoch, s) -> System.out.printf(Locale.ROOT, "EPOCH %d samples=%d mean_reward=%.2f"
                + " max_reward=%.2f%n", epoch, (int) s[2], s[0] / s[2], s[1]));
        Trial best = r.best();
        System.out.printf(Locale.ROOT, "RESULT controller=%s best=%s reward=%.2f seconds=%.1f%n", controller,
                EnasMicroSpace.toReference(best.architecture()).replace(' ', ','),
                best.metrics().get(Metric.VALIDATION_ACCURACY), seconds);
    }
}
