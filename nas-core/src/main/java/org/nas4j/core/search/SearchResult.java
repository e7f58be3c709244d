package org.nas4j.core.search;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of a search: every trial in id order, the objective they were ranked by, and views on them (best,
 * top k, Pareto front). Immutable.
 *
 * <pre>{@code
 * result.best().architecture();
 * result.paretoFront(Metric.VALIDATION_ACCURACY, Metric.PARAMETERS);
 * }</pre>
 */
public final class SearchResult {
    private final List<Trial> trials;
    private final Objective objective;

    public SearchResult(List<Trial> trials, Objective objective) {
        this.trials = List.copyOf(trials);
        this.objective = Objects.requireNonNull(objective, "objective");
    }

    /** All trials, in id order. */
    public List<Trial> trials() {
        return trials;
    }

    public Objective objective() {
        return objective;
    }

    /** The best complete, feasible trial, if there is one (ties go to the lower id). */
    public Optional<Trial> bestIfAny() {
        return top(1).stream().findFirst();
    }

    /**
     * The best complete, feasible trial; an exception saying how many trials failed and how many were rejected
     * unevaluated if there is none.
     */
    public Trial best() {
        return bestIfAny().orElseThrow(() -> new IllegalStateException("no complete, feasible trial among "
                + trials.size() + " (" + count(TrialState.FAILED) + " failed, " + rejected() + " rejected before "
                + "evaluation by a constraint): see trials() for the reasons"));
    }

    /**
     * The number of trials rejected before evaluation because the costs their estimator knew beforehand violate a
     * constraint ({@link TrialState#REJECTED}; SPOS' search counts the candidates it never evaluates).
     */
    public int rejected() {
        return count(TrialState.REJECTED);
    }

    /**
     * The {@code k} best complete, feasible trials of distinct architectures (by canonical key), best first; of
     * several trials of the same architecture the best one (then the earliest) stands for it.
     */
    public List<Trial> top(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, but was " + k);
        }
        List<Trial> ranked = new ArrayList<>();
        for (Trial t : trials) {
            if (objective.score(t) > Double.NEGATIVE_INFINITY) {
                ranked.add(t);
            }
        }
        ranked.sort(Comparator.comparingDouble((Trial t) -> -objective.score(t)).thenComparingInt(Trial::id));
        List<Trial> top = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Trial t : ranked) {
            if (top.size() == k) {
                break;
            }
            if (keys.add(t.architecture().key())) {
                top.add(t);
            }
        }
        return List.copyOf(top);
    }

    /** The number of trials in {@code state}. */
    public int count(TrialState state) {
        int n = 0;
        for (Trial t : trials) {
            if (t.state() == state) {
                n++;
            }
        }
        return n;
    }

    /** The Pareto front of the complete trials over two metrics, each in its preferred direction. */
    public List<Trial> paretoFront(Metric first, Metric second) {
        return Pareto.front(trials, first, second);
    }

    /**
     * Writes every trial as one CSV row: id, architecture, state, seconds, reason, the parent trial (a column only
     * when some trial has one; empty for none), then every metric seen.
     */
    public void writeCsv(Path file) throws IOException {
        Set<Metric> metrics = new LinkedHashSet<>();
        trials.forEach(t -> metrics.addAll(t.metrics().keySet()));
        boolean parents = trials.stream().anyMatch(t -> t.parent().isPresent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,architecture,state,seconds,reason" + (parents ? ",parent" : ""));
            for (Metric m : metrics) {
                w.write("," + m.name());
            }
            w.write("\n");
            for (Trial t : trials) {
                w.write(t.id() + "," + quote(t.architecture().toString()) + "," + t.state() + "," + t.seconds() + ","
                        + quote(t.reason()));
                if (parents) {
                    w.write("," + (t.parent().isPresent() ? Integer.toString(t.parent().getAsInt()) : ""));
                }
                for (Metric m : metrics) {
                    double v = t.value(m);
                    w.write("," + (Double.isNaN(v) ? "" : Double.toString(v)));
                }
                w.write("\n");
            }
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
