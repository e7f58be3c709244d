package org.nas4j.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Pareto;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Graph;
import org.nas4j.core.space.SearchSpace;

/**
 * The numbers of one search's report, computed from its trials alone (so the report of a resumed search equals the
 * report of an uninterrupted one): every trial with its metrics and cells, the best-so-far curve, the Pareto fronts
 * of the objective against each cost metric, and op frequencies among the top trials. Written as JSON for the page.
 */
final class ReportData {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The cost metrics a scatter plot is drawn against, when the trials have them. */
    static final List<String> COSTS = List.of(Metric.PARAMETERS.name(), Metric.FLOPS.name(),
            Metric.LATENCY_MS.name(), Metric.MEMORY_BYTES.name(), Metric.TRAINING_SECONDS.name());

    private ReportData() {
    }

    /**
     * The report's data.
     *
     * @param title     the page's title
     * @param header    what the search was (space, strategy, estimator, objective, seed, parallelism), as in the
     *                  journal's header; fields may be missing
     * @param objective the metric ranked and whether it is maximised
     * @param trials    the finished trials
     * @param topK      how many of the best trials the op frequencies count
     */
    static ObjectNode of(String title, Map<String, String> header, ObjectiveSpec objective, List<Trial> trials,
                         int topK) {
        List<Trial> ordered = new ArrayList<>(trials);
        ordered.sort(Comparator.comparingInt(Trial::id));
        ObjectNode root = JSON.createObjectNode();
        root.put("title", title);
        ObjectNode h = root.putObject("header");
        header.forEach(h::put);
        root.putObject("objective").put("metric", objective.metric()).put("maximize", objective.maximize());
        ObjectNode states = root.putObject("states");
        for (TrialState s : TrialState.values()) {
            long n = ordered.stream().filter(t -> t.state() == s).count();
            if (n > 0) {
                states.put(s.name(), n);
            }
        }
        ArrayNode list = root.putArray("trials");
        for (Trial t : ordered) {
            list.add(trial(t));
        }
        root.set("bestSoFar", bestSoFar(ordered, objective, parallelism(header)));
        ObjectNode fronts = root.putObject("pareto");
        for (String cost : COSTS) {
            if (ordered.stream().anyMatch(t -> ranked(t, objective) && Double.isFinite(value(t, cost)))) {
                ArrayNode ids = fronts.putArray(cost);
                paretoFront(ordered, objective, cost).forEach(ids::add);
            }
        }
        root.set("opFrequencies", opFrequencies(ordered, objective, topK));
        return root;
    }

    /** What the search optimised: a metric's name and its direction. */
    record ObjectiveSpec(String metric, boolean maximize) {

        /** Reads {@code "maximize valid_acc"} or {@code "minimize x subject to ..."}, as a journal header has it. */
        static ObjectiveSpec parse(String text) {
            String[] words = text == null ? new String[0] : text.trim().split("\\s+");
            if (words.length < 2 || !(words[0].equals("maximize") || words[0].equals("minimize"))) {
                throw new IllegalArgumentException("objective must read 'maximize <metric>' or 'minimize <metric>', "
                        + "but was '" + text + "'");
            }
            return new ObjectiveSpec(words[1], words[0].equals("maximize"));
        }
    }

    private static int parallelism(Map<String, String> header) {
        try {
            return Math.max(1, Integer.parseInt(header.getOrDefault("parallelism", "1")));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static ObjectNode trial(Trial t) {
        SearchSpace space = t.architecture().space();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", t.id());
        n.put("state", t.state().name());
        n.put("arch", space.format(t.architecture()));
        ObjectNode metrics = n.putObject("metrics");
        t.metrics().forEach((m, v) -> {
            if (Double.isFinite(v)) {
                metrics.put(m.name(), v);
            }
        });
        n.put("seconds", t.seconds());
        n.put("fidelity", t.fidelity());
        if (!t.reason().isEmpty()) {
            n.put("reason", t.reason());
        }
        t.parent().ifPresent(p -> n.put("parent", p));
        ArrayNode cells = n.putArray("cells");
        for (Graph g : space.cells(t.architecture())) {
            cells.add(cell(g));
        }
        return n;
    }

    private static ObjectNode cell(Graph g) {
        ObjectNode c = JSON.createObjectNode();
        c.put("name", g.name());
        ArrayNode nodes = c.putArray("nodes");
        for (Graph.Node node : g.nodes()) {
            nodes.addObject().put("id", node.id()).put("op", node.op()).put("combine", node.combine().name());
        }
        ArrayNode edges = c.putArray("edges");
        for (Graph.Edge e : g.edges()) {
            edges.addObject().put("from", e.from()).put("to", e.to()).put("op", e.op());
        }
        return c;
    }

    private static double value(Trial t, String metric) {
        return t.value(Metric.named(metric));
    }

    /** Whether {@code t} counts in the ranking: complete, with a finite objective value. */
    private static boolean ranked(Trial t, ObjectiveSpec objective) {
        return t.state() == TrialState.COMPLETE && Double.isFinite(value(t, objective.metric()));
    }

    /** Larger is better. */
    private static double oriented(Trial t, ObjectiveSpec objective) {
        double v = value(t, objective.metric());
        return objective.maximize() ? v : -v;
    }

    /**
     * The best objective value after each ranked trial, in id order, with the trial's position and the estimated
     * wall time: the cumulative evaluation seconds divided by the trials run at once.
     */
    private static ArrayNode bestSoFar(List<Trial> ordered, ObjectiveSpec objective, int parallelism) {
        ArrayNode curve = JSON.createArrayNode();
        double seconds = 0;
        Trial best = null;
        for (Trial t : ordered) {
            seconds += t.seconds();
            if (!ranked(t, objective)) {
                continue;
            }
            if (best == null || oriented(t, objective) > oriented(best, objective)) {
                best = t;
            }
            curve.addObject().put("id", t.id()).put("wallSeconds", seconds / parallelism)
                    .put("value", value(best, objective.metric())).put("bestId", best.id());
        }
        return curve;
    }

    /**
     * The ids of the complete trials that no other complete trial beats on both the objective and {@code cost}
     * (lower cost is better; {@link Pareto#front}), in order of increasing cost.
     */
    static List<Integer> paretoFront(List<Trial> trials, ObjectiveSpec objective, String cost) {
        List<Integer> front = new ArrayList<>();
        for (Trial t : Pareto.front(trials, Metric.named(objective.metric()), objective.maximize(), Metric.named(cost),
                false)) {
            front.add(0, t.id()); // Pareto lists the best objective first, i.e. the highest cost
        }
        return front;
    }

    /**
     * How often each op appears in the cells of the {@code topK} best trials and of all ranked trials, as shares of
     * the ops counted (edge ops, and node ops other than inputs and plain sums).
     */
    private static ObjectNode opFrequencies(List<Trial> ordered, ObjectiveSpec objective, int topK) {
        List<Trial> ranked = new ArrayList<>();
        for (Trial t : ordered) {
            if (ranked(t, objective)) {
                ranked.add(t);
            }
        }
        ranked.sort(Comparator.<Trial>comparingDouble(t -> oriented(t, objective)).reversed()
                .thenComparingInt(Trial::id));
        List<Trial> top = ranked.subList(0, Math.min(topK, ranked.size()));
        ObjectNode n = JSON.createObjectNode();
        n.put("k", top.size());
        n.set("top", shares(top));
        n.set("all", shares(ranked));
        return n;
    }

    private static ObjectNode shares(List<Trial> trials) {
        Map<String, Integer> counts = new TreeMap<>();
        int total = 0;
        for (Trial t : trials) {
            for (Graph g : t.architecture().space().cells(t.architecture())) {
                for (Graph.Edge e : g.edges()) {
                    if (!e.op().equals("identity")) {
                        counts.merge(e.op(), 1, Integer::sum);
                        total++;
                    }
                }
                for (Graph.Node node : g.nodes()) {
                    if (node.combine() != Graph.Combine.INPUT && !node.op().equals("identity")) {
                        counts.merge(node.op(), 1, Integer::sum);
                        total++;
                    }
                }
            }
        }
        ObjectNode n = JSON.createObjectNode();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            n.put(e.getKey(), (double) e.getValue() / total);
        }
        return n;
    }
}
