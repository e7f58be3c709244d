package org.nas4j.core.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
        List<Trial> candidates = new ArrayList<>();
        for (Trial t : trials) {
            if (t.isComplete() && !Double.isNaN(t.value(first)) && !Double.isNaN(t.value(second))) {
                candidates.add(t);
            }
        }
        candidates.sort(Comparator.comparingDouble((Trial t) -> -first.oriented(t.value(first)))
                .thenComparingDouble(t -> -second.oriented(t.value(second)))
                .thenComparingInt(Trial::id));
        List<Trial> front = new ArrayList<>();
        double bestSecond = Double.NEGATIVE_INFINITY;
        for (Trial t : candidates) {
            double s = second.oriented(t.value(second));
            if (s > bestSecond) {
                front.add(t);
                bestSecond = s;
            }
        }
        return front;
    }
}
