package org.nas4j.strategies.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Large-scale evolution, Real et al., "Large-Scale Evolution of Image Classifiers" (ICML 2017): a population of
 * evaluated individuals; each step picks two at random, <em>kills the worse</em> at once (it leaves the population),
 * and the better one reproduces: its child, a mutation (the space's own), is evaluated and then joins the
 * population. So the population shrinks by one at every ask and grows back by one at every tell; with p trials in
 * flight it holds populationSize - p individuals. The first {@code populationSize} proposals are random (the paper
 * starts from trivial individuals; a generic space has no "trivial" architecture). Ties: the first drawn survives.
 * If fewer than two individuals are left while children are in flight, {@link #ask} waits (answers WAIT); if
 * none are in flight it proposes a random immigrant.
 *
 * <p>Defaults: the paper evolves 1,000 individuals over ~20,000 evaluations (a population of 5% of the budget).
 * The default population here is 20, which keeps that order of ratio for budgets of a few hundred trials and lets a
 * 100-trial budget spend 80% of it on evolution.
 *
 * <p>Weight inheritance ({@link #weightInheritance(boolean)}, off by default): each child's proposal names the
 * tournament winner it was mutated from as its parent, so an estimator that {@linkplain
 * org.nas4j.core.search.Estimator#supportsWeightInheritance() supports it} starts the child from the parent's
 * trained weights wherever the mutation left a layer's shape unchanged (see docs/strategies/evolution.md). The
 * architectures proposed are the same with or without it.
 *
 * <pre>{@code
 * StrategyFactory lse = Strategies.largeScaleEvolution().populationSize(50);
 * StrategyFactory paper = Strategies.largeScaleEvolution().weightInheritance(true);   // needs e.g. a
 *                                                     // TrainingEstimator built with weightInheritance(dir)
 * }</pre>
 */
public final class LargeScaleEvolution implements StrategyFactory {
    private final int populationSize;
    private final boolean weightInheritance;

    private LargeScaleEvolution(int populationSize, boolean weightInheritance) {
        this.populationSize = populationSize;
        this.weightInheritance = weightInheritance;
    }

    /** Large-scale evolution with a population of 20, without weight inheritance. */
    public static LargeScaleEvolution create() {
        return new LargeScaleEvolution(20, false);
    }

    /** Population size, in [2, 1000000]. Default 20 (paper: 1000, for ~20,000 evaluations). */
    public LargeScaleEvolution populationSize(int p) {
        if (p < 2 || p > 1_000_000) {
            throw new IllegalArgumentException("populationSize must be in [2, 1000000], but was " + p);
        }
        return new LargeScaleEvolution(p, weightInheritance);
    }

    /**
     * Whether each child names the tournament winner it was mutated from as its parent trial, so that the
     * estimator starts it from the winner's trained weights (the paper's weight inheritance). The search runner then
     * requires an estimator that supports inheritance. Default false: tabular benchmarks cannot use it.
     */
    public LargeScaleEvolution weightInheritance(boolean inherit) {
        return new LargeScaleEvolution(populationSize, inherit);
    }

    @Override
    public boolean inheritsWeights() {
        return weightInheritance;
    }

    @Override
    public String name() {
        return "evolution";
    }

    @Override
    public String configuration() {
        return Configuration.of("large-scale-evolution").with("populationSize", populationSize)
                .with("weightInheritance", weightInheritance).toString();
    }

    @Override
    public Strategy create(SearchContext context) {
        return new Search(context.space(), context.objective(), new SplitMix64(context.seed()));
    }

    /** An individual: its trial (-1 if unknown, in states saved before trial ids were kept), architecture, score. */
    private record Individual(int trialId, Architecture architecture, double score) {
    }

    /** The strategy of one search; {@link #populationSize()} is visible for tests. */
    public final class Search implements CheckpointableStrategy {
        private final SearchSpace space;
        private final Objective objective;
        private SplitMix64 rng;
        private final List<Individual> population = new ArrayList<>();
        private int proposed;
        private int inFlight;

        Search(SearchSpace space, Objective objective, SplitMix64 rng) {
            this.space = space;
            this.objective = objective;
            this.rng = rng;
        }

        /** The individuals alive now. */
        public int populationSize() {
            return population.size();
        }

        @Override
        public Ask ask() {
            if (proposed < populationSize) {
                return propose(Proposal.of(space.sample(rng)));
            }
            if (population.size() < 2) {
                return inFlight > 0 ? Ask.waitForTrials() : propose(Proposal.of(space.sample(rng)));
            }
            int i = rng.nextInt(population.size());
            int j = rng.nextInt(population.size() - 1);
            if (j >= i) {
                j++;
            }
            Individual a = population.get(i);
            Individual b = population.get(j);
            Individual parent = b.score() > a.score() ? b : a;
            population.remove(parent == a ? j : i);
            Architecture child = space.mutate(parent.architecture(), rng);
            return propose(weightInheritance && parent.trialId() >= 0 ? Proposal.child(child, parent.trialId())
                    : Proposal.of(child));
        }

        private Ask propose(Proposal p) {
            proposed++;
            inFlight++;
            return Ask.propose(p);
        }

        @Override
        public void tell(Trial trial) {
            inFlight = Math.max(0, inFlight - 1);
            population.add(new Individual(trial.id(), trial.architecture(), objective.score(trial)));
        }

        @Override
        public ObjectNode saveState() {
            ObjectNode s = JsonNodeFactory.instance.objectNode();
            s.put("rng", rng.state());
            s.put("proposed", proposed);
            s.put("inFlight", inFlight);
            ArrayNode pop = s.putArray("population");
            for (Individual m : population) {
                pop.addObject().put("trial", m.trialId()).put("architecture", m.architecture().toString())
                        .put("score", Double.doubleToRawLongBits(m.score()));
            }
            return s;
        }

        @Override
        public void restoreState(ObjectNode state) {
            rng = SplitMix64.fromState(state.get("rng").asLong());
            proposed = state.get("proposed").asInt();
            inFlight = state.get("inFlight").asInt();
            population.clear();
            for (JsonNode m : state.withArray("population")) {
                population.add(new Individual(m.path("trial").asInt(-1), space.parse(m.get("architecture").asText()),
                        Double.longBitsToDouble(m.get("score").asLong())));
            }
        }
    }
}
