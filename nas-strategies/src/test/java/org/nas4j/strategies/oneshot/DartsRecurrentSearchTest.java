package org.nas4j.strategies.oneshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.core.search.Ask;
import org.nas4j.core.search.Objective;
import org.nas4j.core.search.Proposal;
import org.nas4j.core.search.SearchContext;
import org.nas4j.core.search.Strategy;
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
        return tinyTrainer(2);
    }

    private static RecurrentSupernetTrainer tinyTrainer(int segments) {
        return tinyTrainer(segments, false);
    }

    private static RecurrentSupernetTrainer tinyTrainer(int segments, boolean unrolled) {
        String[] words = {"the ", "cat ", "sat ", "on ", "a ", "mat. "};
        SplittableRandom rng = new SplittableRandom(1);
        StringBuilder b = new StringBuilder();
        while (b.length() < 2000) {
            b.append(words[rng.nextInt(words.length)]);
        }
        return RecurrentSupernetTrainer.builder(CharacterCorpus.of("words", b.toString())).hiddenSize(4).batch(4)
                .bptt(3).segments(segments).checkpointEvery(2).unrolled(unrolled).build();
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
    void secondOrderProposesItsCellAndNamesItsOrderInTheConfiguration() {
        RecurrentCellSpace space = RecurrentCellSpace.darts();
        DartsRecurrentSearch second = new DartsRecurrentSearch(tinyTrainer(2, true));
        assertTrue(second.configuration().contains("unrolled=true"), second.configuration());
        assertTrue(new DartsRecurrentSearch(tinyTrainer(2, false)).configuration().contains("unrolled=false"));
        SearchResult r = SearchRunner.builder(space, second).estimator(identityNodes(space))
                .objective(org.nas4j.core.search.Objective.minimize(Metric.VALIDATION_PERPLEXITY))
                .budget(Budget.trials(5)).seed(3).build().run();
        assertEquals(1, r.trials().size(), "one proposal, then done");
        assertEquals(8, space.genotype(r.best().architecture()).size());
        assertTrue(Double.isFinite(r.best().value(DartsRecurrentSearch.SEARCH_TRAIN_LOSS)));
    }

    @Test
    void refusesAnotherSpace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SearchRunner.builder(
                RecurrentCellSpace.enas(), new DartsRecurrentSearch(tinyTrainer())).estimator(identityNodes(
                        RecurrentCellSpace.enas())).budget(Budget.trials(1)).build().run());
        assertTrue(e.getMessage().contains("darts-rnn"), e.getMessage());
    }

    @Test
    void aStoppedSearchResumesFromTheJournalDirectoryAndProposesWhatAnUninterruptedOneWould(@TempDir Path dir) {
        RecurrentCellSpace space = RecurrentCellSpace.darts();
        Objective objective = Objective.minimize(Metric.VALIDATION_PERPLEXITY);
        DartsRecurrentSearch search = new DartsRecurrentSearch(tinyTrainer(6));
        Proposal whole = search.create(new SearchContext(space, objective, 4)).ask().proposal();
        int[] asked = {0};
        // stopped before the fifth segment: the journal holds the checkpoint of segment 4
        Strategy stopped = search.create(new SearchContext(space, objective, 4, Optional.of(dir),
                () -> ++asked[0] > 4));
        assertEquals(Ask.Kind.DONE, stopped.ask().kind(), "a stopped search proposes nothing");
        assertTrue(Files.exists(dir.resolve(RecurrentSupernetTrainer.CHECKPOINT)));
        int[] resumedAsks = {0};
        Proposal resumed = search.create(new SearchContext(space, objective, 4, Optional.of(dir), () -> {
            resumedAsks[0]++;
            return false;
        })).ask().proposal();
        assertEquals(2, resumedAsks[0], "segments 5 and 6 run after the restore");
        assertEquals(whole.architecture(), resumed.architecture());
        assertEquals(whole.measured().get(DartsRecurrentSearch.SEARCH_TRAIN_LOSS),
                resumed.measured().get(DartsRecurrentSearch.SEARCH_TRAIN_LOSS));
    }
}
