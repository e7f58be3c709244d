package org.nas4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.CheckpointableStrategy;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;

/**
 * The contract every {@link Strategy} must keep, as an abstract JUnit 5 test: subclass it, return the configuration
 * under test from {@link #factory()}, and JUnit runs every check on it. A stand-in estimator (a formula over the
 * choice vector, {@link #metrics}) replaces training, so the whole suite runs in seconds.
 *
 * <pre>{@code
 * class MyStrategyContractTest extends StrategyContract {
 *     protected StrategyFactory factory() {
 *         return new MyStrategy().populationSize(20);
 *     }
 * }
 * }</pre>
 *
 * <p>Every check drives the strategy with {@link #inFlight()} trials in flight at once (it asks that many times
 * before the first tell) and tells them out of order. The checks: the same seed gives the same answers; different
 * seeds give different proposals; every proposal is a valid architecture of the space that survives format/parse,
 * and names as parent only trials already told; WAIT comes only while trials are in flight and DONE is final (also
 * on a space of 4 architectures, {@link #smallSpace()}); and, for a {@link CheckpointableStrategy}, a state saved
 * mid-run (trials in flight) and restored into a fresh instance that was first fed a <em>different</em> history
 * continues exactly as the original, so a state that omits a field is caught.
 *
 * <p>Override {@link #space()}, {@link #objective()}, {@link #metrics}, {@link #inFlight()} or {@link #steps()} to
 * fit a strategy that needs, say, a space with structure of its own.
 */
public abstract class StrategyContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The strategy configuration under test. */
    protected abstract StrategyFactory factory();

    /** The space the checks search. Default: a {@link ChainSpace} of 8 edges with 5 ops (390,625 architectures). */
    protected SearchSpace space() {
        return new ChainSpace(8, 5);
    }

    /**
     * A space small enough to exhaust: a strategy that runs out of architectures must answer DONE (or propose
     * repeats), never WAIT with nothing in flight. Default: a {@link ChainSpace} of 2 edges with 2 ops.
     */
    protected SearchSpace smallSpace() {
        return new ChainSpace(2, 2);
    }

    /** The objective the strategies get. Default: maximise {@link Metric#VALIDATION_ACCURACY}. */
    protected Objective objective() {
        return Objective.maximize(Metric.VALIDATION_ACCURACY);
    }

    /**
     * The stand-in estimator: the metrics of {@code architecture} evaluated at {@code fidelity}. Default: a
     * validation accuracy that grows with the option indices (weighted by position, times {@code (1 + fidelity) / 2})
     * and a parameter count (the sum of the indices plus 1000), for strategies that model a cost.
     */
    protected Map<Metric, Double> metrics(Architecture architecture, double fidelity) {
        double score = 0;
        double cost = 1000;
        for (int i = 0; i < architecture.size(); i++) {
            score += architecture.index(i) * (1 + i % 3);
            cost += architecture.index(i);
        }
        Map<Metric, Double> m = new LinkedHashMap<>();
        m.put(Metric.VALIDATION_ACCURACY, score * (1 + fidelity) / 2);
        m.put(Metric.PARAMETERS, cost);
        return m;
    }

    /** Trials in flight at once, >= 1. Default 3. */
    protected int inFlight() {
        return 3;
    }

    /** Trials told in each check's run. Default 60. */
    protected int steps() {
        return 60;
    }

    /** A new strategy of {@link #factory()} on {@code space} with {@code seed}. */
    protected Strategy create(SearchSpace space, long seed) {
        return factory().create(new SearchContext(space, objective(), seed));
    }

    private TrialDriver driver(SearchSpace space, long seed) {
        return new TrialDriver(create(space, seed), space, this::metrics, inFlight());
    }

    @Test
    public void sameSeedGivesTheSameAnswers() {
        List<String> first = driver(space(), 1).run(steps()).log();
        assertEquals(first, driver(space(), 1).run(steps()).log());
    }

    @Test
    public void differentSeedsGiveDifferentProposals() {
        assertNotEquals(driver(space(), 1).run(steps()).log(), driver(space(), 2).run(steps()).log());
    }

    @Test
    public void proposesValidArchitecturesWithSeveralInFlight() {
        TrialDriver d = driver(space(), 4).run(steps());
        assertTrue(d.proposals() >= Math.min(steps(), 20), factory().configuration() + " made only "
                + d.proposals() + " proposals in " + steps() + " tells on a space of " + space().vectorCount()
                + " architectures: " + d.log());
    }

    @Test
    public void waitsOnlyWithTrialsInFlightAndDoneIsFinal() {
        TrialDriver d = driver(smallSpace(), 5).run(Math.max(steps(), 40));
        assertTrue(d.proposals() >= 1, "no proposal at all on " + smallSpace().identity() + ": " + d.log());
        if (d.isDone()) {
            for (int i = 0; i < 3; i++) {
                Ask again = d.strategy().ask();
                assertEquals(Ask.done(), again, "DONE must be final, but a later ask answered " + again);
            }
        }
    }

    @Test
    public void restoredStateContinuesIdenticallyEvenOverADifferentHistory() {
        assumeTrue(create(space(), 0) instanceof CheckpointableStrategy,
                factory().name() + " does not save its state (it is not a CheckpointableStrategy)");
        TrialDriver original = driver(space(), 3).run(steps() / 2);
        ObjectNode saved = roundTrip(((CheckpointableStrategy) original.strategy()).saveState());
        TrialDriver atSave = original.continuingWith(null);
        int mark = original.log().size();
        List<String> all = original.run(steps() / 2).log();
        List<String> expected = all.subList(mark, all.size());

        // a fresh instance with another seed, fed another history (inverted scores), trials left in flight
        TrialDriver other = driver(space(), 99).scoredBy((a, f) -> inverted(metrics(a, f))).run(steps() / 3 + 1);
        CheckpointableStrategy restored = (CheckpointableStrategy) other.strategy();
        restored.restoreState(saved);
        List<String> actual = atSave.continuingWith(restored).run(steps() / 2).log();
        assertEquals(expected, actual,
                "restored into an instance with another history, the strategy does not continue as the original: "
                        + "its saved state misses something");
    }

    private static Map<Metric, Double> inverted(Map<Metric, Double> m) {
        Map<Metric, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, -v));
        return out;
    }

    private static ObjectNode roundTrip(ObjectNode state) {
        try {
            return (ObjectNode) JSON.readTree(JSON.writeValueAsString(state));
        } catch (IOException e) {
            throw new UncheckedIOException("the saved state is not JSON that reads back", e);
        }
    }
}
