package org.nas4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;

/**
 * Drives a strategy as a parallel runner would, but harder: up to {@code window} trials in flight, and tells out of
 * order (alternately the newest and the oldest trial in flight). Records every answer, and fails on a contract
 * breach: an invalid proposal, a parent that was not told yet, WAIT with nothing in flight, a proposal after DONE.
 * Not thread-safe.
 */
final class TrialDriver {
    private final Strategy strategy;
    private final SearchSpace space;
    private final BiFunction<Architecture, Double, Map<Metric, Double>> metrics;
    private final int window;
    private final List<Proposed> inFlight;
    private final Set<Integer> told;
    private final List<String> log;
    private int nextId;
    private boolean done;

    /** A trial proposed and not yet told. */
    private record Proposed(int id, Proposal proposal) {
    }

    TrialDriver(Strategy strategy, SearchSpace space, BiFunction<Architecture, Double, Map<Metric, Double>> metrics,
                int window) {
        this(strategy, space, metrics, window, new ArrayList<>(), new HashSet<>(), new ArrayList<>(), 0, false);
    }

    private TrialDriver(Strategy strategy, SearchSpace space,
                        BiFunction<Architecture, Double, Map<Metric, Double>> metrics, int window,
                        List<Proposed> inFlight, Set<Integer> told, List<String> log, int nextId, boolean done) {
        this.strategy = strategy;
        this.space = space;
        this.metrics = metrics;
        this.window = window;
        this.inFlight = inFlight;
        this.told = told;
        this.log = log;
        this.nextId = nextId;
        this.done = done;
    }

    /** This driver's position (trials in flight, ids, DONE) driving {@code other} instead, with an empty log. */
    TrialDriver continuingWith(Strategy other) {
        return new TrialDriver(other, space, metrics, window, new ArrayList<>(inFlight), new HashSet<>(told),
                new ArrayList<>(), nextId, done);
    }

    /** This driver with a different stand-in estimator. */
    TrialDriver scoredBy(BiFunction<Architecture, Double, Map<Metric, Double>> other) {
        return new TrialDriver(strategy, space, other, window, inFlight, told, log, nextId, done);
    }

    Strategy strategy() {
        return strategy;
    }

    boolean isDone() {
        return done;
    }

    int proposals() {
        return nextId;
    }

    int inFlight() {
        return inFlight.size();
    }

    /** Every answer so far: {@code id:architecture@fidelity[<parent]}, {@code WAIT}, {@code DONE}. */
    List<String> log() {
        return List.copyOf(log);
    }

    /** Runs until {@code tells} more trials were told, or the strategy is DONE and nothing is in flight. */
    TrialDriver run(int tells) {
        for (int t = 0; t < tells; t++) {
            fill();
            if (inFlight.isEmpty()) {
                return this;
            }
            tellOne();
        }
        return this;
    }

    /** Asks until the window is full, the strategy waits, or it is done. */
    private void fill() {
        while (!done && inFlight.size() < window) {
            Ask a = strategy.ask();
            assertNotNull(a, "ask() must not return null");
            switch (a.kind()) {
                case DONE -> {
                    log.add("DONE");
                    done = true;
                }
                case WAIT -> {
                    log.add("WAIT");
                    assertFalse(inFlight.isEmpty(), "the strategy answered WAIT with no trial in flight (after "
                            + nextId + " proposals): it must answer DONE when it has nothing more to propose");
                    return;
                }
                case PROPOSE -> accept(a.proposal());
                default -> fail("unknown answer " + a);
            }
        }
    }

    private void accept(Proposal p) {
        int id = nextId++;
        Architecture a = p.architecture();
        assertEquals(space.identity(), a.space().identity(), "proposal " + id + " belongs to another space");
        assertTrue(space.isValid(a), "proposal " + id + " is not a valid architecture of the space: " + a);
        assertEquals(a, space.parse(space.format(a)), "proposal " + id + " does not survive format/parse: " + a);
        if (p.parent().isPresent()) {
            assertTrue(told.contains(p.parent().getAsInt()), "proposal " + id + " names parent trial "
                    + p.parent().getAsInt() + ", which the strategy has not been told of (told: " + told + ")");
        }
        inFlight.add(new Proposed(id, p));
        log.add(id + ":" + a + "@" + p.fidelity() + (p.parent().isPresent() ? "<" + p.parent().getAsInt() : ""));
    }

    /** Tells one trial in flight: the newest on even counts, the oldest on odd ones (out of id order). */
    private void tellOne() {
        Proposed p = inFlight.remove(told.size() % 2 == 0 ? inFlight.size() - 1 : 0);
        Architecture a = p.proposal().architecture();
        strategy.tell(new Trial(p.id(), a, TrialState.COMPLETE, metrics.apply(a, p.proposal().fidelity()), "",
                p.id(), p.proposal().fidelity(), 0, p.proposal().parent()));
        told.add(p.id());
    }
}
