package org.nas4j.strategies.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.core.search.Trial;
import org.nas4j.core.search.TrialState;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.engine.Parameter;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.strategies.Strategies;
import org.nas4j.strategies.rl.Policy;
import org.nas4j.strategies.rl.Reinforce;

/**
 * ENAS on a restricted NAS-Bench-201 space: the controller masks the removed options' logits, so it never samples
 * them (neither for the shared weights' paths nor for the proposals), its log-probabilities are those of the
 * distribution over the allowed options, and the removed options' logits get no gradient.
 */
class RestrictedEnasTest {

    private static final int REMOVED = NasBench201Space.OPS.indexOf(MaskedSupernetTest.REMOVED);
    private static final int PINNED = NasBench201Space.OPS.indexOf(MaskedSupernetTest.PINNED);

    @Test
    void everyProposalOfEnasOnARestrictedSpaceHoldsOnlyAllowedOptions(@TempDir Path dir) {
        SearchResult r = SearchRunner.builder(RestrictedGradientOneShotTest.RESTRICTED,
                        Strategies.enas(RestrictedGradientOneShotTest.FASHION).epochs(2).stepsPerEpoch(2)
                                .controllerSteps(6).batchSize(8))
                .objective(Objective.maximize(Metric.VALIDATION_ACCURACY)).budget(Budget.trials(100)).seed(8)
                .journal(dir).build().run();
        assertEquals(12, r.trials().size());
        for (Trial t : r.trials()) {
            assertEquals(TrialState.COMPLETE, t.state(), t.reason());
            assertTrue(MaskedSupernetTest.honours(t.architecture()), t.architecture().toString());
        }
    }

    @Test
    void theMaskedLstmControllerNeverSamplesARemovedOptionAndGivesItsLogitsNoGradient() {
        Policy lstm = Reinforce.create().policy(RestrictedGradientOneShotTest.RESTRICTED, 4);
        SplittableRandom rng = new SplittableRandom(9);
        for (int[] v : lstm.sample(rng, 2000)) {
            assertEquals(PINNED, v[0]);
            for (int i = 1; i < v.length; i++) {
                assertNotEquals(REMOVED, v[i], "choice " + i);
            }
        }
        int[] actions = {PINNED, 0, 1, 2, 3, 0};
        lstm.objective(actions, -1.0, -1e-4, true);
        Parameter bias = lstm.parameters().parameters().stream().filter(p -> p.name().equals("heads.bias"))
                .findFirst().orElseThrow();
        double[] g = bias.gradient().toDoubleVector();
        int options = NasBench201Space.OPS.size();
        for (int i = 0; i < 6; i++) {
            for (int o = 0; o < options; o++) {
                if (i == 0 ? o != PINNED : o == REMOVED) {
                    assertEquals(0.0, g[i * options + o], "gradient of the logit of option " + o + " of choice " + i);
                }
            }
        }
        assertNotEquals(0.0, g[options + 1], "an allowed option's logit gets a gradient");
    }

    @Test
    void theMaskedIndependentControllerIsUniformOverTheAllowedOptions() {
        Policy independent = Reinforce.create().controller(Reinforce.Controller.INDEPENDENT)
                .policy(RestrictedGradientOneShotTest.RESTRICTED, 4);
        Architecture a = RestrictedGradientOneShotTest.RESTRICTED.sample(new SplittableRandom(2));
        // zero logits: 1 allowed option on the pinned choice, 4 on each of the other five
        assertEquals(5 * -Math.log(4), independent.logProbability(a.vector()), 1e-12);
        SplittableRandom rng = new SplittableRandom(3);
        for (int n = 0; n < 2000; n++) {
            assertTrue(MaskedSupernetTest.honours(Architecture.of(RestrictedGradientOneShotTest.NB201,
                    independent.sample(rng))));
        }
    }
}
