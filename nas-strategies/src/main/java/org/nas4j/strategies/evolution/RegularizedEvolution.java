package org.nas4j.strategies.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.nas4j.core.config.Configuration;
import org.nas4j.core.random.SplitMix64;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.CheckpointableStrategy;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;

/**
 * Regularized (aging) evolution, Real et al., "Regularized Evolution for Image Classifier Architecture Search"
 * (AAAI 2019). The first {@code populationSize} proposals are random; after that each proposal is a mutation
 * (the space's one-choice mutation) of the best of {@code sampleSize} members drawn at random from the
 * population, and every told trial joins the population while the <em>oldest</em> member leaves it. With
 * {@code aging(false)} the <em>worst</em> member leaves instead (the non-aging variant the paper compares with).
 * Immutable configuration; each search gets its own {@link Strategy}.
 *
 * <p>Defaults are those of the NAS-Bench-201 paper's REA baseline: population 10, sample 3.
 *
 * <pre>{@code
 * StrategyFactory rea = Strategies.regularizedEvolution().populationSize(50).sampleSize(10);
 * }</pre>
 */
public final class RegularizedEvolution implements StrategyFactory {
    private final int populationSize;
    private final int sampleSize;
    private final boolean aging;

    private RegularizedEvolution(int populationSize, int sampleSize, boolean aging) {
        this.populationSize = populationSize;
        this.sampleSize = sampleSize;
        this.aging = aging;
    }

    /** Aging evolution with population 10 and tournament sample 3. */
    public static RegularizedEvolution create() {
        return new RegularizedEvolution(10, 3, true);
    }

    /** Population size P, >= 2 (and >= sampleSize, checked by {@link #validate()}). Default 10. */
    public RegularizedEvolution populationSize(int p) {
        if (p < 2) {
            throw new IllegalArgumentException("populationSize must be >= 2, but was " + p);
        }
        return new RegularizedEvolution(p, sampleSize, aging);
    }

    /** Tournament sample size S, >= 1 (and <= populationSize, checked by {@link #validate()}). Default 3. */
    public RegularizedEvolution sampleSize(int s) {
        if (s < 1) {
            throw new IllegalArgumentException("sampleSize must be >= 1, but was " + s);
        }
        return new RegularizedEvolution(populationSize, s, aging);
    }

    /** The tournament sample cannot be larger than the population: sampleSize <= populationSize. */
    @Override
    public void validate() {
        if (sampleSize > populationSize) {
            throw new IllegalArgumentException("sampleSize must be at most populationSize, but sampleSize="
                    + sampleSize + " and populationSize=" + populationSize);
        }
    }

    /** True: the oldest member dies (regularized evolution); false: the worst dies. Default true. */
    public RegularizedEvolution aging(boolean oldestDies) {
        return new RegularizedEvolution(populationSize, sampleSize, oldestDies);
    }

    @Override
    public String name() {
        return aging ? "rea" : "evolution-no-aging";
    }

    @Override
    public String configuration() {
        return Configuration.of("regularized-evolution").with("populationSize", populationSize)
                .with("sampleSize", sampleSize).with("aging", aging).toString();
    }

    @Override
    public Strategy create(SearchContext context) {
        validate();
        return new Search(context.space(), context.objective(), new SplitMix64(context.seed()));
    }

    /** A population member: an architecture and its score (larger is better). */
    private record Member(Architecture architecture, double score) {
    }

    private final class Search implements CheckpointableStrategy {
        private final SearchSpace space;
        private final Objective objective;
        private SplitMix64 rng;
        private final Deque<Member> population = new ArrayDeque<>();
        private int proposed;

        Search(SearchSpace space, Objective objective, SplitMix64 rng) {
            this.space = space;
            this.objective = objective;
            this.rng = rng;
        }

        @Override
        public Ask ask() {
            if (proposed < populationSize) {
                proposed++;
                return Ask.propose(space.sample(rng));
            }
            if (population.isEmpty()) {
                return Ask.waitForTrials(); // every proposal so far is in flight
            }
            proposed++;
            return Ask.propose(space.mutate(tournament(), rng));
        }

        /** The best of up to sampleSize members drawn without replacement; the first drawn wins ties. */
        private Architecture tournament() {
            List<Member> members = new ArrayList<>(population);
            int n = Math.min(sampleSize, members.size());
            Member best = null;
            for (int i = 0; i < n; i++) {
                int j = i + rng.nextInt(members.size() - i);
                Member m = members.get(j);
                members.set(j, members.get(i));
                members.set(i, m);
                if (best == null || m.score() > best.score()) {
                    best = m;
                }
            }
            return best.architecture();
        }

        @Override
        public void tell(Trial trial) {
            population.addLast(new Member(trial.architecture(), objective.score(trial)));
            if (population.size() > populationSize) {
                if (aging) {
                    population.removeFirst();
                } else {
                    removeWorst();
                }
            }
        }

        private void removeWorst() {
            Member worst = null;
            for (Member m : population) {
                if (worst == null || m.score() < worst.score()) {
                    worst = m;
                }
            }
            population.remove(worst);
        }

        @Override
        public ObjectNode saveState() {
            ObjectNode s = JsonNodeFactory.instance.objectNode();
            s.put("rng", rng.state());
            s.put("proposed", proposed);
            ArrayNode pop = s.putArray("population");
            for (Member m : population) {
                pop.addObject().put("architecture", m.architecture().toString()).put("score", m.score());
            }
            return s;
        }

        @Override
        public void restoreState(ObjectNode state) {
            rng = SplitMix64.fromState(state.get("rng").asLong());
            proposed = state.get("proposed").asInt();
            population.clear();
            for (JsonNode m : state.withArray("population")) {
                population.addLast(new Member(space.parse(m.get("architecture").asText()), m.get("score").asDouble()));
            }
        }
    }
}
