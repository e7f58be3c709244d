package org.nas4j.strategies.smbo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nas4j.core.random.Seeds;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.CheckpointableStrategy;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.strategies.learning.StateCodec;

/**
 * The search loop shared by PNAS and POPNAS: rounds of {@code beamSize} proposals; the first round is random (or
 * planned by a {@link BeamCandidateGenerator}, e.g. PNAS's 1-block cells), each later one is chosen, once every
 * trial of the previous round has been told, by the surrogate(s) fitted on all finished trials. While a round
 * is in flight, {@link #ask} answers WAIT; with nothing in flight it answers DONE once the space has no unproposed
 * architecture left.
 */
final class ModelBasedSearch implements CheckpointableStrategy {
    /** Cost metrics in order of preference when none is configured. */
    static final List<Metric> COST_PREFERENCE = List.of(Metric.TRAINING_SECONDS, Metric.PARAMETERS, Metric.FLOPS);

    private final SearchSpace space;
    private final Objective objective;
    private final SmboSettings settings;
    private final boolean pareto;
    private final Metric costMetric;
    private final Surrogate accuracy;
    private final Surrogate cost;
    private SplitMix64 rng;
    private final List<Evaluated> history = new ArrayList<>();
    private final Deque<Architecture> queue = new ArrayDeque<>();
    private final List<Architecture> proposed = new ArrayList<>();
    private final Set<String> proposedKeys = new HashSet<>();
    private int inFlight;

    /** A finished trial as the surrogates see it: its score and its candidate cost metrics. */
    private record Evaluated(Architecture architecture, double score, double[] costs) {
    }

    ModelBasedSearch(SearchContext context, SmboSettings settings, boolean pareto, Metric costMetric) {
        this.space = context.space();
        this.objective = context.objective();
        this.settings = settings;
        this.pareto = pareto;
        this.costMetric = costMetric;
        long seed = context.seed();
        this.accuracy = new Surrogate(space, settings.ensembleSize(), settings.hidden(), settings.learningRate(),
                settings.trainingSteps(), settings.batchSize(), Seeds.derive(seed, "accuracy-surrogate"));
        this.cost = pareto ? new Surrogate(space, settings.ensembleSize(), settings.hidden(), settings.learningRate(),
                settings.trainingSteps(), settings.batchSize(), Seeds.derive(seed, "cost-surrogate")) : null;
        this.rng = new SplitMix64(Seeds.derive(seed, "search"));
    }

    @Override
    public Ask ask() {
        if (queue.isEmpty()) {
            if (inFlight > 0) {
                return Ask.waitForTrials();
            }
            nextRound();
            if (queue.isEmpty()) {
                return Ask.done();
            }
        }
        Architecture a = queue.poll();
        inFlight++;
        proposed.add(a);
        return Ask.propose(a);
    }

    @Override
    public void tell(Trial trial) {
        inFlight = Math.max(0, inFlight - 1);
        double[] costs = new double[COST_PREFERENCE.size()];
        for (int i = 0; i < costs.length; i++) {
            costs[i] = trial.value(COST_PREFERENCE.get(i));
        }
        if (costMetric != null && !COST_PREFERENCE.contains(costMetric)) {
            costs = new double[] {trial.value(costMetric)};
        }
        history.add(new Evaluated(trial.architecture(), objective.score(trial), costs));
    }

    private void nextRound() {
        List<Evaluated> scored = history.stream().filter(e -> Double.isFinite(e.score())).toList();
        if (scored.size() < 2) {
            queue.addAll(history.isEmpty() ? firstRound() : randomNew(settings.beamSize()));
            return;
        }
        List<Architecture> candidates = candidates(scored);
        if (candidates.isEmpty()) {
            queue.addAll(randomNew(settings.beamSize()));
            return;
        }
        double worst = scored.stream().mapToDouble(Evaluated::score).min().orElseThrow();
        List<double[]> xs = new ArrayList<>();
        double[] ys = new double[history.size()];
        for (int i = 0; i < history.size(); i++) {
            xs.add(accuracy.encode(history.get(i).architecture()));
            ys[i] = Double.isFinite(history.get(i).score()) ? history.get(i).score() : worst;
        }
        accuracy.fit(xs, ys, rng);
        List<double[]> cx = new ArrayList<>();
        for (Architecture c : candidates) {
            cx.add(accuracy.encode(c));
        }
        double[] predicted = accuracy.predict(cx);
        int costIndex = pareto ? costIndex() : -1;
        List<Integer> chosen;
        if (costIndex >= 0) {
            List<double[]> costX = new ArrayList<>();
            List<Double> costY = new ArrayList<>();
            for (Evaluated e : history) {
                double c = e.costs()[costIndex];
                if (Double.isFinite(c)) {
                    costX.add(cost.encode(e.architecture()));
                    costY.add(Math.log1p(Math.max(0, c)));
                }
            }
            cost.fit(costX, costY.stream().mapToDouble(Double::doubleValue).toArray(), rng);
            double[] predictedCost = cost.predict(cx);
            chosen = paretoSelect(predicted, predictedCost, settings.beamSize());
        } else {
            chosen = topK(predicted, settings.beamSize());
        }
        for (int i : chosen) {
            queue.add(candidates.get(i));
            proposedKeys.add(candidates.get(i).key());
        }
    }

    /** The index in {@link #COST_PREFERENCE} (or 0 for a custom metric) of the cost to model, or -1 if none. */
    private int costIndex() {
        int n = costMetric == null ? COST_PREFERENCE.size() : 1;
        int from = costMetric == null ? 0 : Math.max(0, COST_PREFERENCE.indexOf(costMetric));
        for (int i = from; i < from + n && i < history.get(0).costs().length; i++) {
            int k = i;
            long known = history.stream().filter(e -> Double.isFinite(e.costs()[k])).count();
            if (known >= 2) {
                return i;
            }
        }
        return -1;
    }

    /** New, valid, not yet proposed candidates from the generator, without duplicates. */
    private List<Architecture> candidates(List<Evaluated> scored) {
        List<Architecture> best = scored.stream().sorted(Comparator.comparingDouble(e -> -e.score()))
                .map(Evaluated::architecture).toList();
        Map<String, Architecture> unique = new LinkedHashMap<>();
        for (Architecture a : BeamCandidateGenerator.candidates(settings.generator(), space, best,
                settings.beamSize(), rng)) {
            if (space.isValid(a) && !proposedKeys.contains(a.key())) {
                unique.putIfAbsent(a.key(), a);
            }
        }
        return new ArrayList<>(unique.values());
    }

    /** The generator's first round (new architectures only), or {@code initialSize} random ones. */
    private List<Architecture> firstRound() {
        List<Architecture> planned = BeamCandidateGenerator.firstRound(settings.generator(), space,
                settings.initialSize(), rng);
        if (planned.isEmpty()) {
            return randomNew(settings.initialSize());
        }
        return planned.stream().filter(a -> proposedKeys.add(a.key())).toList();
    }

    private List<Architecture> randomNew(int n) {
        List<Architecture> out = new ArrayList<>();
        for (int attempt = 0; attempt < 1000 * n && out.size() < n; attempt++) {
            Architecture a = space.sample(rng);
            if (proposedKeys.add(a.key())) {
                out.add(a);
            }
        }
        return out;
    }

    /** The indices of the {@code k} largest values, largest first (ties: lower index first). */
    static List<Integer> topK(double[] values, int k) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            idx.add(i);
        }
        idx.sort(Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(i -> i));
        return idx.subList(0, Math.min(k, idx.size()));
    }

    /**
     * Up to {@code k} indices chosen front by front from the non-dominated sorting of (accuracy: larger is better,
     * cost: smaller is better); within a front, by accuracy from best to worst. When the first front has at least
     * {@code k} members, every chosen index is Pareto-optimal.
     */
    static List<Integer> paretoSelect(double[] accuracy, double[] cost, int k) {
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < accuracy.length; i++) {
            remaining.add(i);
        }
        remaining.sort(Comparator.comparingDouble((Integer i) -> -accuracy[i]).thenComparingDouble(i -> cost[i])
                .thenComparingInt(i -> i));
        List<Integer> chosen = new ArrayList<>();
        while (chosen.size() < k && !remaining.isEmpty()) {
            List<Integer> front = new ArrayList<>();
            List<Integer> rest = new ArrayList<>();
            double bestCost = Double.POSITIVE_INFINITY;
            for (int i : remaining) {
                if (cost[i] < bestCost) {
                    front.add(i);
                    bestCost = cost[i];
                } else {
                    rest.add(i);
                }
            }
            for (int i : front) {
                if (chosen.size() < k) {
                    chosen.add(i);
                }
            }
            remaining = rest;
        }
        return chosen;
    }

    @Override
    public ObjectNode saveState() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("rng", rng.state());
        s.put("inFlight", inFlight);
        ArrayNode h = s.putArray("history");
        for (Evaluated e : history) {
            double[] v = new double[e.costs().length + 1];
            v[0] = e.score();
            System.arraycopy(e.costs(), 0, v, 1, e.costs().length);
            h.addObject().put("architecture", e.architecture().toString()).put("values", StateCodec.encode(v));
        }
        queue.forEach(a -> s.withArray("queue").add(a.toString()));
        proposed.forEach(a -> s.withArray("proposed").add(a.toString()));
        s.set("accuracy", accuracy.save());
        if (cost != null) {
            s.set("cost", cost.save());
        }
        return s;
    }

    @Override
    public void restoreState(ObjectNode state) {
        rng = SplitMix64.fromState(state.get("rng").asLong());
        inFlight = state.get("inFlight").asInt();
        history.clear();
        for (JsonNode e : state.withArray("history")) {
            double[] v = StateCodec.decode(e.get("values").asText());
            double[] costs = new double[v.length - 1];
            System.arraycopy(v, 1, costs, 0, costs.length);
            history.add(new Evaluated(space.parse(e.get("architecture").asText()), v[0], costs));
        }
        queue.clear();
        proposedKeys.clear();
        proposed.clear();
        for (JsonNode a : state.withArray("queue")) {
            Architecture arch = space.parse(a.asText());
            queue.add(arch);
            proposedKeys.add(arch.key());
        }
        for (JsonNode a : state.withArray("proposed")) {
            Architecture arch = space.parse(a.asText());
            proposed.add(arch);
            proposedKeys.add(arch.key());
        }
        accuracy.restore(state.get("accuracy"));
        if (cost != null) {
            cost.restore(state.get("cost"));
        }
    }
}
