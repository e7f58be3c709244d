package org.nas4j.examples;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.builder.ComposedSpace;
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nas4j.strategies.oneshot.Enas;

/**
 * ENAS on the macro space's search child ({@code EnasMacroSpace.small()}: 1x28x28 Fashion-MNIST images from the
 * bundled set), each layer one whole branch ({@code --channels whole}, default) or every branch on a channel range
 * ({@code --channels ranges}, the reference's {@code whole_channels=False}, on {@code EnasChannelSupernet}), with the
 * reference's macro controller ({@code --controller macro}, default) or nas4j's generic LSTM controller
 * ({@code --controller lstm}). Prints, per epoch, the mean and best reward of the controller's samples and the share
 * of skip connections they hold, then {@code RESULT channels=<c> controller=<c> best=<arc> reward=<percent>
 * seconds=<s>} with the best arc in the reference's format. Options: {@code --layers 6} {@code --filters 16}
 * {@code --epochs 2} {@code --steps 10} (shared-weight steps per epoch) {@code --samples 20} (controller samples per
 * epoch) {@code --batch 32} {@code --train 2000} (training images used) {@code --seed 1}.
 */
public final class EnasMacroSearch {
    private EnasMacroSearch() {
    }

    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>(EnasExamples.SEARCH_OPTIONS);
        options.putAll(Map.of("--channels", "whole", "--controller", "macro", "--layers", "6", "--filters", "16"));
        Arguments a = Arguments.parse(args, options);
        String channels = a.oneOf("--channels", "whole", "ranges");
        String controller = a.oneOf("--controller", "macro", "lstm");
        ComposedSpace space = EnasMacroSpace.small().wholeChannels(channels.equals("whole"))
                .layers(Arguments.positiveInt("--layers", a.get("--layers")))
                .outFilters(Arguments.positiveInt("--filters", a.get("--filters"))).build();
        Enas enas = EnasExamples.strategy(a);
        if (controller.equals("macro")) {
            enas = enas.controller(Enas.macroController());
        }
        long start = System.nanoTime();
        SearchResult r = EnasExamples.run(space, enas, a);
        double seconds = (System.nanoTime() - start) / 1e9;
        EnasExamples.byEpoch(r).forEach((epoch, trials) -> System.out.printf(Locale.ROOT, "EPOCH %d %s"
                + " skip_share=%.3f%n", epoch, EnasExamples.rewards(trials), skipShare(space, trials)));
        Trial best = r.best();
        System.out.printf(Locale.ROOT, "RESULT channels=%s controller=%s best=%s reward=%.2f seconds=%.1f%n",
                channels, controller, EnasMacroSpace.toReference(best.architecture()).replace(' ', ','),
                best.metrics().get(Metric.VALIDATION_ACCURACY), seconds);
    }

    /** The share of the skip choices that {@code trials}' architectures take. */
    private static double skipShare(ComposedSpace space, List<Trial> trials) {
        int taken = 0;
        int all = 0;
        for (Trial t : trials) {
            for (int i = 0; i < space.choices().size(); i++) {
                if (space.choices().get(i).name().contains(".skip")) {
                    all++;
                    taken += t.architecture().option(i).equals("skip_connect") ? 1 : 0;
                }
            }
        }
        return (double) taken / all;
    }
}
