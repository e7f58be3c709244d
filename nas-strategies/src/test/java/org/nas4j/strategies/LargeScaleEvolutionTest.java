package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.evolution.LargeScaleEvolution;

class LargeScaleEvolutionTest {
    private static final SearchSpace SPACE = Spaces.nasBench201();

    private static Trial trial(int id, Architecture a) {
        return new Trial(id, a, TrialState.COMPLETE,
                Map.of(Metric.VALIDATION_ACCURACY, StrategyContractTest.formula(a)), "", 0, 1, 0);
    }

    @Test
    void populationShrinksAtEachAskAndGrowsBackAtEachTell() {
        LargeScaleEvolution.Search s = (LargeScaleEvolution.Search) Strategies.largeScaleEvolution().populationSize(8)
                .create(new SearchContext(SPACE, Objective.maximize(Metric.VALIDATION_ACCURACY), 1));
        int id = 0;
        List<Architecture> initial = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            initial.add(s.ask().proposal().architecture());
        }
        assertEquals(0, s.populationSize());
        for (Architecture a : initial) {
            s.tell(trial(id++, a));
        }
        assertEquals(8, s.populationSize());
        // three children in flight: three individuals killed
        List<Proposal> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(s.ask().proposal());
            assertEquals(8 - i - 1, s.populationSize());
        }
        for (Proposal p : children) {
            s.tell(trial(id++, p.architecture()));
        }
        assertEquals(8, s.populationSize());
    }

    @Test
    void theBestIndividualIsNeverKilledAndEveryChildIsAMutation() {
        LargeScaleEvolution.Search s = (LargeScaleEvolution.Search) Strategies.largeScaleEvolution().populationSize(6)
                .create(new SearchContext(SPACE, Objective.maximize(Metric.VALIDATION_ACCURACY), 2));
        Map<String, Architecture> alive = new HashMap<>();
        for (int id = 0; id < 200; id++) {
            Architecture a = s.ask().proposal().architecture();
            if (id >= 6) {
                boolean mutant = alive.values().stream().anyMatch(p -> differences(p, a) == 1);
                assertTrue(mutant, "child " + id + " is not a one-choice mutation of a living individual");
            }
            s.tell(trial(id, a));
            alive.put(a.toString(), a);
        }
        // the best score ever seen survives: a pairwise tournament never kills the better of the two
        double best = alive.values().stream().mapToDouble(StrategyContractTest::formula).max().orElseThrow();
        String saved = s.saveState().toString();
        assertTrue(saved.contains("\"score\":" + Double.doubleToRawLongBits(best)), "best " + best + " was killed");
    }

    @Test
    void withWeightInheritanceEveryChildNamesTheTournamentWinnerItWasMutatedFrom() {
        LargeScaleEvolution plain = Strategies.largeScaleEvolution().populationSize(6);
        LargeScaleEvolution inheriting = plain.weightInheritance(true);
        assertFalse(plain.inheritsWeights());
        assertTrue(inheriting.inheritsWeights());
        assertEquals("large-scale-evolution(populationSize=6, weightInheritance=false)", plain.configuration());
        assertEquals("large-scale-evolution(populationSize=6, weightInheritance=true)", inheriting.configuration());

        LargeScaleEvolution.Search s = search(inheriting, 3);
        LargeScaleEvolution.Search reference = search(plain, 3);
        Map<Integer, Trial> told = new HashMap<>();
        int id = 0;
        int children = 0;
        while (id < 150) {
            // two children in flight at a time, as with parallelism 2
            List<Proposal> batch = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                List<Integer> before = liveTrials(s);
                Proposal p = s.ask().proposal();
                List<Integer> after = liveTrials(s);
                Proposal r = reference.ask().proposal();
                assertEquals(r.architecture(), p.architecture(), "inheritance must not change the proposals");
                assertTrue(r.parent().isEmpty());
                if (id + k < 6) {
                    assertTrue(p.parent().isEmpty(), "the initial population has no parents");
                } else {
                    int parent = p.parent().orElseThrow();
                    List<Integer> killed = new ArrayList<>(before);
                    killed.removeAll(after);
                    assertEquals(1, killed.size(), "one individual dies per tournament");
                    assertTrue(after.contains(parent), "the parent " + parent + " is the surviving winner");
                    assertTrue(told.get(parent).value(Metric.VALIDATION_ACCURACY)
                            >= told.get(killed.get(0)).value(Metric.VALIDATION_ACCURACY),
                            "the parent won its tournament against " + killed.get(0));
                    assertEquals(1, differences(told.get(parent).architecture(), p.architecture()),
                            "child " + (id + k) + " is not a mutation of its parent " + parent);
                    children++;
                }
                batch.add(p);
            }
            for (Proposal p : batch) {
                Trial t = trial(id++, p.architecture());
                told.put(t.id(), t);
                s.tell(t);
                reference.tell(t);
            }
        }
        assertEquals(144, children);
    }

    @Test
    void savedStateKeepsTheTrialIdsOfTheIndividuals() throws Exception {
        LargeScaleEvolution f = Strategies.largeScaleEvolution().populationSize(5).weightInheritance(true);
        LargeScaleEvolution.Search a = search(f, 9);
        for (int id = 0; id < 30; id++) {
            a.tell(trial(id, a.ask().proposal().architecture()));
        }
        ObjectNode state = (ObjectNode) new ObjectMapper().readTree(a.saveState().toString());
        LargeScaleEvolution.Search b = search(f, 1);
        b.restoreState(state);
        for (int id = 30; id < 60; id++) {
            Proposal pa = a.ask().proposal();
            Proposal pb = b.ask().proposal();
            assertEquals(pa, pb);
            assertTrue(pa.parent().isPresent());
            a.tell(trial(id, pa.architecture()));
            b.tell(trial(id, pb.architecture()));
        }
        // a state saved before trial ids were kept restores with unknown parents: children then have none
        for (JsonNode m : state.withArray("population")) {
            ((ObjectNode) m).remove("trial");
        }
        LargeScaleEvolution.Search old = search(f, 1);
        old.restoreState(state);
        assertTrue(old.ask().proposal().parent().isEmpty());
    }

    private static LargeScaleEvolution.Search search(LargeScaleEvolution f, long seed) {
        return (LargeScaleEvolution.Search) f.create(new SearchContext(SPACE,
                Objective.maximize(Metric.VALIDATION_ACCURACY), seed));
    }

    /** The trial ids of the individuals alive in {@code s}, read from its saved state. */
    private static List<Integer> liveTrials(LargeScaleEvolution.Search s) {
        List<Integer> ids = new ArrayList<>();
        for (JsonNode m : s.saveState().withArray("population")) {
            ids.add(m.get("trial").asInt());
        }
        return ids;
    }

    @Test
    void populationSizeIsValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.largeScaleEvolution().populationSize(1));
        assertEquals("populationSize must be in [2, 1000000], but was 1", e.getMessage());
    }

    private static int differences(Architecture a, Architecture b) {
        int d = 0;
        for (int i = 0; i < a.size(); i++) {
            d += a.index(i) != b.index(i) ? 1 : 0;
        }
        return d;
    }
}
