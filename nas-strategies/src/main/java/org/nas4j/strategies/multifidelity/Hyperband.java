package org.nas4j.strategies.multifidelity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.CheckpointableStrategy;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.strategies.learning.StateCodec;

/**
 * Random search with early stopping: Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh and Talwalkar, JMLR 2018),
 * as used for NAS by Li and Talwalkar ("Random Search and Reproducibility for NAS", UAI 2019), over the fidelity of
 * {@link Proposal} (the share of the estimator's full budget). With {@code rungs} = s_max + 1 and maximum resource
 * R = eta^s_max (in units of the smallest fidelity), bracket s = s_max..0 starts n = ceil((s_max+1) eta^s / (s+1))
 * random architectures at fidelity eta^-s, and successive halving keeps the best floor(n_i / eta) of each rung for
 * the next, eta times the fidelity, until fidelity 1; then the next bracket, cycling while the budget lasts.
 * {@code successiveHalving(true)} runs only the most aggressive bracket s = s_max, over and over (successive halving,
 * Jamieson and Talwalkar 2016). A promoted architecture is proposed again at the higher fidelity (as a new trial):
 * the estimator decides whether to continue from a checkpoint. Random architectures are not repeated (by canonical
 * key) while the space has new ones. While a rung is in flight {@link #ask} answers WAIT.
 *
 * <p>Defaults: eta = 3 (the paper's), 4 rungs (fidelities 1/27, 1/9, 1/3, 1: R = 27, as in the paper's examples).
 *
 * <pre>{@code
 * StrategyFactory hb = Strategies.hyperband().eta(3).rungs(4);
 * }</pre>
 */
public final class Hyperband implements StrategyFactory {
    private final int eta;
    private final int rungs;
    private final boolean successiveHalvingOnly;

    private Hyperband(int eta, int rungs, boolean successiveHalvingOnly) {
        this.eta = eta;
        this.rungs = rungs;
        this.successiveHalvingOnly = successiveHalvingOnly;
    }

    /** Hyperband with eta 3 and 4 rungs. */
    public static Hyperband create() {
        return new Hyperband(3, 4, false);
    }

    /** Reduction factor, in [2, 100] (with eta^(rungs-1) <= 1e6, checked by {@link #validate()}). Default 3. */
    public Hyperband eta(int e) {
        if (e < 2 || e > 100) {
            throw new IllegalArgumentException("eta must be in [2, 100], but was " + e);
        }
        return new Hyperband(e, rungs, successiveHalvingOnly);
    }

    /**
     * Rungs (fidelity levels, s_max + 1), in [1, 20]; the smallest fidelity is eta^-(rungs-1), at least 1e-6
     * (checked by {@link #validate()}). Default 4.
     */
    public Hyperband rungs(int r) {
        if (r < 1 || r > 20) {
            throw new IllegalArgumentException("rungs must be in [1, 20], but was " + r);
        }
        return new Hyperband(eta, r, successiveHalvingOnly);
    }

    /** The smallest fidelity, eta^-(rungs-1), must be at least 1e-6. */
    @Override
    public void validate() {
        if (Math.pow(eta, rungs - 1) > 1e6) {
            throw new IllegalArgumentException("eta^(rungs-1) must be at most 1e6 (smallest fidelity 1e-6), but eta="
                    + eta + " and rungs=" + rungs + " give " + Math.pow(eta, rungs - 1));
        }
    }

    /** True: only the most aggressive bracket (successive halving); false: Hyperband's brackets. Default false. */
    public Hyperband successiveHalving(boolean only) {
        return new Hyperband(eta, rungs, only);
    }

    /**
     * The schedule of bracket {@code s} (in [0, rungs)): for each rung i = 0..s, the number of architectures
     * n_i = floor(n eta^-i) evaluated at fidelity eta^(i-s).
     */
    public List<Rung> bracket(int s) {
        if (s < 0 || s >= rungs) {
            throw new IllegalArgumentException("bracket must be in [0, " + rungs + "), but was " + s);
        }
        validate();
        int sMax = rungs - 1;
        int n = (int) Math.ceil((sMax + 1) * Math.pow(eta, s) / (s + 1) - 1e-9);
        List<Rung> out = new ArrayList<>();
        for (int i = 0; i <= s; i++) {
            out.add(new Rung((int) Math.max(1, Math.floor(n * Math.pow(eta, -i) + 1e-9)), Math.pow(eta, i - s)));
        }
        return out;
    }

    /** One rung of a bracket: how many architectures, at which fidelity. */
    public record Rung(int size, double fidelity) {
    }

    @Override
    public String name() {
        return "hyperband";
    }

    @Override
    public String configuration() {
        return Configuration.of("hyperband").with("eta", eta).with("rungs", rungs)
                .with("successiveHalving", successiveHalvingOnly).toString();
    }

    @Override
    public Strategy create(SearchContext context) {
        validate();
        return new Search(context.space(), context.objective(), new SplitMix64(context.seed()));
    }

    private final class Search implements CheckpointableStrategy {
        private final SearchSpace space;
        private final Objective objective;
        private SplitMix64 rng;
        private int bracketsStarted;
        private int s;
        private int rung;
        private List<Architecture> members = new ArrayList<>();
        private int next;
        private int inFlight;
        private final Map<String, Double> scores = new HashMap<>();
        private final Set<String> seen = new HashSet<>();

        Search(SearchSpace space, Objective objective, SplitMix64 rng) {
            this.space = space;
            this.objective = objective;
            this.rng = rng;
        }

        @Override
        public Ask ask() {
            if (next >= members.size()) {
                if (inFlight > 0) {
                    return Ask.waitForTrials();
                }
                advance();
            }
            Architecture a = members.get(next++);
            inFlight++;
            return Ask.propose(new Proposal(a, bracket(s).get(rung).fidelity()));
        }

        /** Promotes the best of the finished rung, or starts the next bracket. */
        private void advance() {
            if (!members.isEmpty() && rung < s) {
                int keep = bracket(s).get(rung + 1).size();
                List<Architecture> ranked = new ArrayList<>(members);
                ranked.sort(Comparator.comparingDouble(
                        (Architecture a) -> -scores.getOrDefault(a.key(), Double.NEGATIVE_INFINITY)));
                members = new ArrayList<>(ranked.subList(0, Math.min(keep, ranked.size())));
                rung++;
            } else {
                s = successiveHalvingOnly ? rungs - 1 : rungs - 1 - bracketsStarted % rungs;
                bracketsStarted++;
                rung = 0;
                members = new ArrayList<>();
                int n = bracket(s).get(0).size();
                for (int attempt = 0; members.size() < n; attempt++) {
                    Architecture a = space.sample(rng);
                    boolean fresh = seen.add(a.key());
                    if ((fresh || attempt >= 1000 * n) && members.stream().noneMatch(m -> m.key().equals(a.key()))) {
                        members.add(a);
                    } else if (attempt >= 2000 * n) {
                        members.add(a); // a space smaller than one rung: allow repeats rather than stall
                    }
                }
            }
            scores.clear();
            next = 0;
        }

        @Override
        public void tell(Trial trial) {
            inFlight = Math.max(0, inFlight - 1);
            scores.put(trial.architecture().key(), objective.score(trial));
        }

        @Override
        public ObjectNode saveState() {
            ObjectNode st = JsonNodeFactory.instance.objectNode();
            st.put("rng", rng.state());
            st.put("bracketsStarted", bracketsStarted);
            st.put("s", s);
            st.put("rung", rung);
            st.put("next", next);
            st.put("inFlight", inFlight);
            members.forEach(a -> st.withArray("members").add(a.toString()));
            double[] v = new double[members.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = scores.getOrDefault(members.get(i).key(), Double.NaN);
            }
            st.put("scores", StateCodec.encode(v));
            seen.forEach(k -> st.withArray("seen").add(k));
            return st;
        }

        @Override
        public void restoreState(ObjectNode st) {
            rng = SplitMix64.fromState(st.get("rng").asLong());
            bracketsStarted = st.get("bracketsStarted").asInt();
            s = st.get("s").asInt();
            rung = st.get("rung").asInt();
            next = st.get("next").asInt();
            inFlight = st.get("inFlight").asInt();
            members = new ArrayList<>();
            for (JsonNode a : st.withArray("members")) {
                members.add(space.parse(a.asText()));
            }
            scores.clear();
            double[] v = StateCodec.decode(st.get("scores").asText());
            for (int i = 0; i < v.length; i++) {
                if (!Double.isNaN(v[i])) {
                    scores.put(members.get(i).key(), v[i]);
                }
            }
            seen.clear();
            for (JsonNode k : st.withArray("seen")) {
                seen.add(k.asText());
            }
        }
    }
}
