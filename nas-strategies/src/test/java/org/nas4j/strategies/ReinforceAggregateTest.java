package org.nas4j.strategies;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.CheckpointableStrategy;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.core.space.SearchSpace;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.estimators.engine.optim.Adam;
import org.nas4j.estimators.engine.optim.LearningRateSchedule;
import org.nas4j.spaces.Spaces;
import org.nas4j.strategies.learning.ModelState;
import org.nas4j.strategies.rl.Policy;
import org.nas4j.strategies.rl.Reinforce;

class ReinforceAggregateTest {
    private static final SearchSpace SPACE = Spaces.nasBench201();
    private static final Objective OBJECTIVE = Objective.maximize(Metric.VALIDATION_ACCURACY);
    private static final double DECAY = 0.9;
    private static final double ENTROPY = 1e-3;
    private static final Reinforce CONFIG = Strategies.reinforce().controller(Reinforce.Controller.INDEPENDENT)
            .learningRate(0.05).rankRewards(false).baselineDecay(DECAY).entropyWeight(ENTROPY).avoidDuplicates(false)
            .aggregate(3);
    private static final double[] REWARDS = {40, 70, 55};

    private static CheckpointableStrategy start() {
        return (CheckpointableStrategy) CONFIG.create(new SearchContext(SPACE, OBJECTIVE, 7));
    }

    private static Trial trial(int id, Architecture a, double reward) {
        return new Trial(id, a, TrialState.COMPLETE, Map.of(Metric.VALIDATION_ACCURACY, reward), "", 0, 1, 0);
    }

    private static double[] parameters(CheckpointableStrategy s) {
        Policy p = CONFIG.policy(SPACE, 7);
        ModelState.restoreValues(s.saveState().get("parameters"), p.parameters(), "controller");
        return p.parameters().values().toDoubleVector();
    }

    @Test
    void theControllerStepsOnceOnTheMeanPolicyGradientOfItsTrials() {
        CheckpointableStrategy s = start();
        double[] initial = parameters(s);
        Architecture[] sampled = new Architecture[3];
        for (int i = 0; i < 3; i++) {
            sampled[i] = s.ask().proposal().architecture();
            s.tell(trial(i, sampled[i], REWARDS[i]));
            if (i < 2) {
                assertArrayEquals(initial, parameters(s), 0.0, "no step before the third trial");
            }
        }
        // the same by hand: the baseline moves with every reward, the three gradients are averaged, one Adam step
        Policy policy = CONFIG.policy(SPACE, 7);
        int n = (int) policy.parameters().size();
        double[] mean = new double[n];
        double baseline = Double.NaN;
        for (int i = 0; i < 3; i++) {
            baseline = Double.isNaN(baseline) ? REWARDS[i] : baseline;
            double advantage = REWARDS[i] - baseline;
            baseline = DECAY * baseline + (1 - DECAY) * REWARDS[i];
            policy.objective(sampled[i].vector(), -advantage, -ENTROPY, true);
            double[] g = policy.parameters().gradients().toDoubleVector();
            for (int j = 0; j < n; j++) {
                mean[j] += g[j];
            }
        }
        for (int j = 0; j < n; j++) {
            policy.parameters().gradients().putScalar(j, mean[j] / 3);
        }
        policy.parameters().parameters().forEach(Parameter::markGradient);
        Adam.builder(policy.parameters(), LearningRateSchedule.constant(0.05)).build().step();
        double[] expected = policy.parameters().values().toDoubleVector();
        double[] actual = parameters(s);
        assertFalse(java.util.Arrays.equals(initial, actual), "the third trial stepped");
        // the same operations in the same order in DOUBLE; only the sums' association may differ
        assertArrayEquals(expected, actual, 1e-12);
    }

    @Test
    void aResumeInTheMiddleOfAnAggregateEndsWhereAnUninterruptedRunDoes() {
        CheckpointableStrategy straight = start();
        CheckpointableStrategy first = start();
        Architecture[] sampled = new Architecture[3];
        for (int i = 0; i < 3; i++) {
            sampled[i] = straight.ask().proposal().architecture();
            straight.tell(trial(i, sampled[i], REWARDS[i]));
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(sampled[i], first.ask().proposal().architecture());
            first.tell(trial(i, sampled[i], REWARDS[i]));
        }
        ObjectNode state = first.saveState();
        assertEquals(2, state.get("aggregated").asInt());
        CheckpointableStrategy resumed = start();
        resumed.restoreState(state);
        assertEquals(sampled[2], resumed.ask().proposal().architecture());
        resumed.tell(trial(2, sampled[2], REWARDS[2]));
        assertArrayEquals(parameters(straight), parameters(resumed), 0.0);
    }

    @Test
    void theSettingIsNamedOnlyWhenUsedAndBadValuesAreRefused() {
        assertFalse(Strategies.reinforce().configuration().contains("aggregate"),
                "a step per trial keeps the configuration (and journals) of before");
        assertTrue(Strategies.reinforce().aggregate(10).configuration().endsWith(", aggregate=10)"),
                Strategies.reinforce().aggregate(10).configuration());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Strategies.reinforce().aggregate(0));
        assertEquals("aggregate must be >= 1, but was 0", e.getMessage());
    }
}
