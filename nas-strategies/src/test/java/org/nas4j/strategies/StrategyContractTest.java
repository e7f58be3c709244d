package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.StrategyFactory;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.spaces.Spaces;

/**
 * The contract every built-in strategy must keep, run on NAS-Bench-201 with a formula as the estimator (no
 * training): same seed same proposals, different seeds different ones, save/restore mid-run continues identically
 * (through a JSON round trip), proposals are valid architectures of the space. New strategies join by being listed
 * in {@link Strategies#names()}.
 */
class StrategyContractTest {
    private static final SearchSpace SPACE = Spaces.nasBench201();
    private static final Objective OBJECTIVE = Objective.maximize(Metric.VALIDATION_ACCURACY);
    private static final int STEPS = 120;

    static Stream<String> strategies() {
        return Strategies.names().stream();
    }

    /** A deterministic stand-in for accuracy: rewards convolutions, with a little structure. */
    static double formula(Architecture a) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += switch (a.option(i)) {
                case "nor_conv_3x3" -> 3;
                case "nor_conv_1x1" -> 2;
                case "skip_connect" -> 1 + i * 0.1;
                case "avg_pool_3x3" -> 0.5;
                default -> 0;
            };
        }
        return s;
    }

    /** Runs {@code steps} sequential ask/tell rounds and returns the proposals (as text). */
    static List<String> drive(Strategy s, int firstId, int steps) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            Optional<Proposal> p = s.ask();
            if (p.isEmpty()) {
                break;
            }
            Architecture a = p.get().architecture();
            out.add(a + "@" + p.get().fidelity());
            s.tell(new Trial(firstId + i, a, TrialState.COMPLETE, Map.of(Metric.VALIDATION_ACCURACY, formula(a)),
                    "", 0, p.get().fidelity(), 0));
        }
        return out;
    }

    static Strategy create(String name, long seed) {
        StrategyFactory f = Strategies.byName(name);
        return f.create(new SearchContext(SPACE, OBJECTIVE, seed));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void sameSeedGivesTheSameProposals(String name) {
        assertEquals(drive(create(name, 1), 0, STEPS), drive(create(name, 1), 0, STEPS));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void differentSeedsGiveDifferentProposals(String name) {
        assertNotEquals(drive(create(name, 1), 0, STEPS), drive(create(name, 2), 0, STEPS));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void saveAndRestoreMidRunContinuesIdentically(String name) throws Exception {
        Strategy original = create(name, 3);
        drive(original, 0, STEPS / 2);
        String saved = new ObjectMapper().writeValueAsString(original.saveState());
        List<String> expected = drive(original, STEPS / 2, STEPS / 2);

        Strategy restored = create(name, 99);
        restored.restoreState((ObjectNode) new ObjectMapper().readTree(saved));
        assertEquals(expected, drive(restored, STEPS / 2, STEPS / 2));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void proposalsAreValidArchitecturesOfTheSpace(String name) {
        Strategy s = create(name, 4);
        List<String> proposals = drive(s, 0, STEPS);
        assertTrue(proposals.size() >= 50, name + " proposed only " + proposals.size());
        for (String p : proposals) {
            Architecture a = SPACE.parse(p.substring(0, p.lastIndexOf('@')));
            assertTrue(SPACE.isValid(a), p);
        }
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void learnsFromTellsOrAtLeastCoversTheSpace(String name) {
        // every strategy should beat the mean of the formula over the space within 120 trials
        // (the space's mean is about 8.1). Multi-fidelity strategies spend most of their 120 proposals on
        // re-evaluating promoted architectures at higher fidelity, so they see fewer distinct ones: 12 for them.
        Strategy s = create(name, 5);
        double best = Double.NEGATIVE_INFINITY;
        boolean lowFidelity = false;
        for (String p : drive(s, 0, STEPS)) {
            best = Math.max(best, formula(SPACE.parse(p.substring(0, p.lastIndexOf('@')))));
            lowFidelity |= Double.parseDouble(p.substring(p.lastIndexOf('@') + 1)) < 1;
        }
        assertTrue(best >= (lowFidelity ? 12 : 15), name + " found only " + best);
    }
}
