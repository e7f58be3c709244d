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
import org.nas4j.spaces.enas.EnasMacroSpace;
import org.nas4j.strategies.Strategies;
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
        Arguments a = Arguments.parse(args, Map.ofEntries(Map.entry("--channels", "whole"),
                Map.entry("--controller", "macro"), Map.entry("--layers", "6"), Map.entry("--filters", "16"),
                Map.entry("--epochs", "2"), Map.entry("--steps", "10"), Map.entry("--samples", "20"),
                Map.entry("--batch", "32"), Map.entry("--train", "2000"), Map.entry("--seed", "1")));
        String channels = a.get("--channels");
        if (!channels.equals("whole") && !channels.equals("ranges")) {
            throw new IllegalArgumentException("--channels must be whole or ranges, but was '" + channels + "'");
        }
        String controller = a.get("--controller");
        if (!controller.equals("macro") && !controller.equals("lstm")) {
            throw new IllegalArgumentException("--controller must be macro or lstm, but was '" + controller + "'");
        }
        ComposedSpace space = EnasMacroSpace.small().wholeChannels(channels.equals("whole"))
                .layers(Arguments.positiveInt("--layers", a.get("--layers")))
                .outFilters(Arguments.positiveInt("--filters", a.get("--filters"))).build();
        ImageDataset train = FashionMnist.bundled().normalized().train()
                .head(Arguments.positiveInt("--train", a.get("--train")));
        Enas enas = Strategies.enas(train).epochs(Arguments.positiveInt("--epochs", a.get("--epochs")))
                .stepsPerEpoch(Arguments.positiveInt("--steps", a.get("--steps")))
                .controllerSteps(Arguments.positiveInt("--samples", a.get("--samples")))
                .batchSize(Arguments.positiveInt("--batch", a.get("--batch")));
        if (controller.equals("macro")) {
            enas = enas.controller(Enas.macroController());
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
        Map<Integer, double[]> perEpoch = new TreeMap<>();     // epoch -> {sum, max, count, skips, skip flags}
        for (Trial t : r.trials()) {
            int epoch = t.metrics().get(Metric.EPOCHS).intValue();
            double reward = t.metrics().get(Metric.VALIDATION_ACCURACY);
            double[] s = perEpoch.computeIfAbsent(epoch, e -> new double[] {0, Double.NEGATIVE_INFINITY, 0, 0, 0});
            s[0] += reward;
            s[1] = Math.max(s[1], reward);
            s[2]++;
            int[] skips = skipFlags(space, t);
            s[3] += skips[0];
            s[4] += skips[1];
        }
        perEpoch.forEach((epoch, s) -> System.out.printf(Locale.ROOT, "EPOCH %d samples=%d mean_reward=%.2f"
                + " max_reward=%.2f skip_share=%.3f%n", epoch, (int) s[2], s[0] / s[2], s[1], s[3] / s[4]));
        Trial best = r.best();
        System.out.printf(Locale.ROOT, "RESULT channels=%s controller=%s best=%s reward=%.2f seconds=%.1f%n",
                channels, controller, EnasMacroSpace.toReference(best.architecture()).replace(' ', ','),
                best.metrics().get(Metric.VALIDATION_ACCURACY), seconds);
    }

    /** The skip connections {@code t}'s architecture takes, and the skip choices it has. */
    private static int[] skipFlags(ComposedSpace space, Trial t) {
        int taken = 0;
        int all = 0;
        for (int i = 0; i < space.choices().size(); i++) {
            if (space.choices().get(i).name().contains(".skip")) {
                all++;
                taken += t.architecture().option(i).equals("skip_connect") ? 1 : 0;
            }
        }
        return new int[] {taken, all};
    }
}
