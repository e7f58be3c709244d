package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.CheckpointableStrategy;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.learning.ModelState;
import org.nas4j.strategies.rl.Policy;
import org.nas4j.strategies.rl.Reinforce;

class ReinforceTest {
    private static final SearchSpace SPACE = Spaces.nasBench201();
    private static final int CONV3 = SPACE.choices().get(0).indexOf("nor_conv_3x3");

    /** Reward 1 for every nor_conv_3x3, 0 otherwise: the policy should learn to pick it. */
    private static double toyReward(Architecture a) {
        double r = 0;
        for (int i = 0; i < a.size(); i++) {
            r += a.index(i) == CONV3 ? 1 : 0;
        }
        return r;
    }

    private static double probabilityOfAllConv3(Reinforce config, int steps, long seed) {
        Strategy s = config.create(new SearchContext(SPACE, Objective.maximize(Metric.VALIDATION_ACCURACY), seed));
        for (int i = 0; i < steps; i++) {
            Proposal p = s.ask().proposal();
            s.tell(new Trial(i, p.architecture(), TrialState.COMPLETE,
                    Map.of(Metric.VALIDATION_ACCURACY, toyReward(p.architecture())), "", 0, 1, 0));
        }
        Policy policy = config.policy(SPACE, seed);
        ModelState.restoreValues(((CheckpointableStrategy) s).saveState().get("parameters"), policy.parameters(), "controller");
        int[] all = new int[SPACE.choices().size()];
        java.util.Arrays.fill(all, CONV3);
        return Math.exp(policy.logProbability(all));
    }

    @Test
    void lstmControllerIncreasesTheProbabilityOfRewardedChoices() {
        double before = Math.pow(1.0 / 5, 6);
        double after = probabilityOfAllConv3(Strategies.reinforce(), 300, 1);
        assertTrue(after > 100 * before, "p(all conv3) went from about " + before + " to " + after);
    }

    @Test
    void independentLogitsIncreaseTheProbabilityOfRewardedChoices() {
        double after = probabilityOfAllConv3(Strategies.reinforce().controller(Reinforce.Controller.INDEPENDENT)
                .learningRate(0.05), 300, 2);
        assertTrue(after > 100 * Math.pow(1.0 / 5, 6), "p(all conv3) only " + after);
    }

    @Test
    void defaultsAreDocumentedThePapersAreOneCallAwayAndBadValuesAreNamed() {
        assertEquals("reinforce(controller=LSTM, hiddenUnits=100, learningRate=0.002, baselineDecay=0.9, "
                + "entropyWeight=1.0E-4, initRange=0.08, rankRewards=true, avoidDuplicates=true)",
                Strategies.reinforce().configuration());
        assertEquals(0.1, Strategies.reinforce().controller(Reinforce.Controller.INDEPENDENT).learningRate());
        assertEquals("reinforce(controller=LSTM, hiddenUnits=100, learningRate=6.0E-4, baselineDecay=0.9, "
                + "entropyWeight=1.0E-4, initRange=0.08, rankRewards=false, avoidDuplicates=true)",
                Strategies.reinforce().paperSettings().configuration());
        assertEquals(0.01, Strategies.reinforce().controller(Reinforce.Controller.INDEPENDENT).paperSettings()
                .learningRate());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.reinforce().baselineDecay(1.0));
        assertEquals("baselineDecay must be in [0, 1), but was 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Strategies.reinforce().hiddenUnits(0));
        assertEquals("hiddenUnits must be in [1, 1024], but was 0", e.getMessage());
    }

    @Test
    void neverProposesAnArchitectureAlreadyEvaluatedOrInFlight() {
        SearchSpace space = Spaces.nasBench201();
        Strategy s = Strategies.reinforce().controller(Reinforce.Controller.INDEPENDENT)
                .create(new SearchContext(space, Objective.maximize(Metric.VALIDATION_ACCURACY), 5));
        java.util.Set<String> keys = new java.util.HashSet<>();
        java.util.List<Architecture> inFlight = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Architecture a = s.ask().proposal().architecture();
            assertTrue(keys.add(a.key()), "repeat at " + i + ": " + a);
            inFlight.add(a);
            if (inFlight.size() == 2) {        // two in flight, as with parallelism 2
                Architecture done = inFlight.remove(0);
                double conv3 = 0;
                for (int k = 0; k < done.size(); k++) {
                    conv3 += done.option(k).equals("nor_conv_3x3") ? 1 : 0;
                }
                s.tell(new Trial(i, done, TrialState.COMPLETE, Map.of(Metric.VALIDATION_ACCURACY, conv3), "", 0, 1,
                        0));
            }
        }
    }
}
