package org.nas4j.examples;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.enas.EnasMicroSpace;
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
        Map<String, String> options = new HashMap<>(EnasExamples.SEARCH_OPTIONS);
        options.putAll(Map.of("--controller", "micro", "--layers", "6", "--filters", "20", "--nodes", "5"));
        Arguments a = Arguments.parse(args, options);
        String controller = a.oneOf("--controller", "micro", "lstm");
        ComposedSpace space = EnasMicroSpace.builder().name("enas-micro-search").searchChild(true).input(1, 28)
                .layers(Integer.parseInt(a.get("--layers")))
                .outFilters(Arguments.positiveInt("--filters", a.get("--filters")))
                .nodes(Arguments.positiveInt("--nodes", a.get("--nodes"))).build();
        Enas enas = EnasExamples.strategy(a).rewardsInTrainingMode(true);
        if (controller.equals("micro")) {
            enas = enas.controller(Enas.microController());
        }
        long start = System.nanoTime();
        SearchResult r = EnasExamples.run(space, enas, a);
        double seconds = (System.nanoTime() - start) / 1e9;
        EnasExamples.byEpoch(r).forEach((epoch, trials) -> System.out.println("EPOCH " + epoch + " "
                + EnasExamples.rewards(trials)));
        Trial best = r.best();
        System.out.printf(Locale.ROOT, "RESULT controller=%s best=%s reward=%.2f seconds=%.1f%n", controller,
                EnasMicroSpace.toReference(best.architecture()).replace(' ', ','),
                best.metrics().get(Metric.VALIDATION_ACCURACY), seconds);
    }
}
