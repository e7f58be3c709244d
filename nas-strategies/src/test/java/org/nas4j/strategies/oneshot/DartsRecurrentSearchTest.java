package org.nas4j.strategies.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Budget;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.Metric;
import org.nas4j.core.search.SearchResult;
import org.nas4j.core.search.SearchRunner;
import org.nas4j.estimators.data.CharacterCorpus;
import org.nas4j.estimators.language.RecurrentSupernetTrainer;
import org.nas4j.spaces.recurrent.RecurrentCellSpace;

/** DARTS' recurrent search through the runner: one proposal in the darts-rnn space, then done. */
class DartsRecurrentSearchTest {

    private static RecurrentSupernetTrainer tinyTrainer() {
        String[] words = {"the ", "cat ", "sat ", "on ", "a ", "mat. "};
        SplittableRandom rng = new SplittableRandom(1);
        StringBuilder b = new StringBuilder();
        while (b.length() < 2000) {
            b.append(words[rng.nextInt(words.length)]);
        }
        return RecurrentSupernetTrainer.builder(CharacterCorpus.of("words", b.toString())).hiddenSize(4).batch(4)
                .bptt(3).segments(2).build();
    }

    /** Scores a cell by its count of identity nodes (no training). */
    private static org.nas4j.core.search.Estimator identityNodes(RecurrentCellSpace space) {
        return new org.nas4j.core.search.Estimator() {
            @Override
            public String description() {
                return "identity-nodes";
            }

            @Override
            public Evaluation evaluate(org.nas4j.core.search.EvaluationRequest request) {
                long identities = space.genotype(request.architecture()).nodes().stream()
                        .filter(n -> n.activation().equals("identity")).count();
                return Evaluation.of(Metric.VALIDATION_PERPLEXITY, identities);
            }
        };
    }

    @Test
    void proposesTheDerivedCellOnceThroughTheRunner() {
        RecurrentCellSpace space = RecurrentCellSpace.darts();
        SearchResult r = SearchRunner.builder(space, new DartsRecurrentSearch(tinyTrainer()))
                .estimator(identityNodes(space)).objective(org.nas4j.core.search.Objective.minimize(Metric.VALIDATION_PERPLEXITY))
                .budget(Budget.trials(5)).seed(3).build().run();
        assertEquals(1, r.trials().size(), "one proposal, then done");
        assertTrue(r.best().value(DartsRecurrentSearch.SEARCH_SECONDS) > 0);
        assertTrue(Double.isFinite(r.best().value(DartsRecurrentSearch.SEARCH_TRAIN_LOSS)));
        assertEquals(8, space.genotype(r.best().architecture()).size());
    }

    @Test
    void refusesAnotherSpace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchRunner.builder(
                RecurrentCellSpace.enas(), new DartsRecurrentSearch(tinyTrainer())).estimator(identityNodes(
                        RecurrentCellSpace.enas())).budget(Budget.trials(1)).build().run());
        assertTrue(e.getMessage().contains("darts-rnn"), e.getMessage());
    }
}
