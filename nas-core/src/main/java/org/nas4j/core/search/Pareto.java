package org.nas4j.core.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Pareto fronts over two metrics, each taken in its own preferred {@link Metric.Direction}. */
public final class Pareto {
    private Pareto() {
    }

    /**
     * The complete trials that no other complete trial dominates on {@code first} and {@code second} (at least as
     * good on both, better on one), sorted by {@code first} from best to worst. Trials missing either metric are
     * ignored; of trials with equal values on both, the one with the lowest id is kept.
     */
    public static List<Trial> front(List<Trial> trials, Metric first, Metric second) {
        return front(trials, first, first.direction() == Metric.Direction.MAXIMIZE, second,
                second.direction() == Metric.Direction.MAXIMIZE);
    }

    /**
     * As {@link #front(List, Metric, Metric)}, each metric taken in the given direction instead of its own (e.g. an
     * objective that minimises a metric the library maximises by default).
     */
    public static List<Trial> front(List<Trial> trials, Metric first, boolean maximizeFirst, Metric second,
                                    boolean maximizeSecond) {
        List<Trial> candidates = new ArrayList<>();
        for (Trial t : trials) {
            if (t.isComplete() && !Double.isNaN(t.value(first)) && !Double.isNaN(t.value(second))) {
                candidates.add(t);
            }
        }
        ToDoubleFunction<Trial> a = t -> maximizeFirst ? t.value(first) : -t.value(first);
        ToDoubleFunction<Trial> b = t -> maximizeSecond ? t.value(second) : -t.value(second);
        candidates.sort(Comparator.comparingDouble((Trial t) -> -a.applyAsDouble(t))
                .thenComparingDouble(t -> -b.applyAsDouble(t))
                .thenComparingInt(Trial::id));
        List<Trial> front = new ArrayList<>();
        double bestSecond = Double.NEGATIVE_INFINITY;
        for (Trial t : candidates) {
            double s = b.applyAsDouble(t);
            if (s > bestSecond) {
                front.add(t);
                bestSecond = s;
            }
        }
        return front;
    }
}
