package org.nas4j.estimators.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nas4j.core.search.Evaluation;
import org.nas4j.core.search.EvaluationRequest;
import org.nas4j.core.search.Metric;
import org.nas4j.core.space.Architecture;
import org.nas4j.estimators.data.CharacterCorpus;
import org.nas4j.estimators.engine.recurrent.LanguageModelDropout;
import org.nas4j.spaces.nasbench201.NasBench201Space;
import org.nas4j.spaces.recurrent.RecurrentCellSpace;
import org.nas4j.spaces.recurrent.RecurrentGenotypes;

/** Training a cell's language model lowers its validation perplexity; metrics, costs and bad input. */
class LanguageModelEstimatorTest {

    /** Sentences drawn from a few words: learnable structure (spelling) with some entropy (word order). */
    private static CharacterCorpus corpus() {
        String[] words = {"the ", "cat ", "sat ", "on ", "a ", "mat ", "and ", "dog ", "ran. "};
        SplittableRandom rng = new SplittableRandom(3);
        StringBuilder b = new StringBuilder();
        while (b.length() < 6000) {
            b.append(words[rng.nextInt(words.length)]);
        }
        return CharacterCorpus.of("words", b.toString());
    }

    private static LanguageModelEstimator.Builder small(CharacterCorpus c) {
        return LanguageModelEstimator.builder(c).hiddenSize(24).batch(8).bptt(20).evaluationBatch(4)
                .dropout(LanguageModelDropout.NONE);
    }

    @Test
    void trainingLowersValidationPerplexityFarBelowTheVocabulary() {
        CharacterCorpus c = corpus();
        LanguageModelEstimator e = small(c).steps(120).adam(1e-2).test(true).build();
        Evaluation one = e.evaluate(RecurrentGenotypes.DARTS_V2, 7, 1.0 / 120);
        Evaluation trained = e.evaluate(RecurrentGenotypes.DARTS_V2, 7, 1.0);
        double untrained = one.value(Metric.VALIDATION_PERPLEXITY);
        double ppl = trained.value(Metric.VALIDATION_PERPLEXITY);
        // one step leaves the model near uniform over the vocabulary (14 characters); the word list spells
        // every word out once its first letter is known, so a trained model is far below that
        assertTrue(untrained > 0.5 * c.vocabulary(), "after one step: " + untrained);
        assertTrue(ppl < 0.4 * untrained, "trained " + ppl + " vs one step " + untrained);
        assertEquals(Math.log(ppl), trained.value(Metric.VALIDATION_LOSS), 1e-9);
        assertTrue(trained.value(Metric.TEST_PERPLEXITY) < 0.4 * untrained);
        assertTrue(trained.value(Metric.TRAINING_SECONDS) > 0);
    }

    @Test
    void theReferenceSgdSettingsLearnToo() {
        CharacterCorpus c = corpus();
        LanguageModelEstimator e = small(c).steps(150).dropout(LanguageModelDropout.DARTS_PTB).build();
        double untrained = e.evaluate(RecurrentGenotypes.DARTS_V2, 8, 1.0 / 150).value(Metric.VALIDATION_PERPLEXITY);
        double ppl = e.evaluate(RecurrentGenotypes.DARTS_V2, 8, 1.0).value(Metric.VALIDATION_PERPLEXITY);
        assertTrue(ppl < 0.7 * untrained, "trained " + ppl + " vs one step " + untrained);
    }

    @Test
    void architecturesOfTheSpaceAreEvaluatedWithTheirParameterCountKnownBefore() {
        CharacterCorpus c = corpus();
        LanguageModelEstimator e = small(c).steps(2).build();
        RecurrentCellSpace space = RecurrentCellSpace.enas();
        Architecture a = space.sample(new SplittableRandom(4));
        Evaluation ev = e.evaluate(new EvaluationRequest(0, a, 5, 1.0));
        double params = ev.value(Metric.PARAMETERS);
        assertEquals(params, e.costs(a).get(Metric.PARAMETERS));
        // V*H + (H+H)*2H + 11*H*2H + V for V = 14 characters ("the cat sat on a mat and dog ran."), H = 24
        assertEquals(14, c.vocabulary());
        assertEquals(14 * 24 + 48 * 48 + 11 * 24 * 48 + 14, params);
        assertTrue(Double.isFinite(ev.value(Metric.VALIDATION_PERPLEXITY)));
    }

    @Test
    void ntAsgdKeepsTheSgdTrajectoryAndReportsItsBestEvaluation() {
        CharacterCorpus c = corpus();
        LanguageModelEstimator plain = small(c).steps(20).sgd(2).build();
        double plainLoss = plain.evaluate(RecurrentGenotypes.DARTS_V2, 9, 1.0).value(Metric.VALIDATION_LOSS);
        // never switching (at most 4 evaluations against nonmono 100) and evaluated only at the end: plain SGD
        LanguageModelEstimator last = small(c).steps(20).sgd(2).averagedAfterStall(100, 20).build();
        assertTrue(last.description().contains("ntAsgd=(nonmono=100, every=20)"), last.description());
        assertEquals(plainLoss, last.evaluate(RecurrentGenotypes.DARTS_V2, 9, 1.0).value(Metric.VALIDATION_LOSS));
        // evaluated every 5 segments (the carried training state put back after each): the best of four
        // evaluations of the same iterates, the last of which is plain SGD's
        double best = small(c).steps(20).sgd(2).averagedAfterStall(100, 5).build()
                .evaluate(RecurrentGenotypes.DARTS_V2, 9, 1.0).value(Metric.VALIDATION_LOSS);
        assertTrue(best <= plainLoss, best + " vs " + plainLoss);
        // switching at the first stall (nonmono 1, every segment) under the reference's dropouts: still finite
        Evaluation averaged = small(c).steps(20).dropout(LanguageModelDropout.DARTS_PTB).averagedAfterStall(1, 1)
                .build().evaluate(RecurrentGenotypes.DARTS_V2, 9, 1.0);
        assertTrue(Double.isFinite(averaged.value(Metric.VALIDATION_PERPLEXITY)));
        assertEquals("nonmono must be >= 1, but was 0", assertThrows(IllegalArgumentException.class,
                () -> small(c).averagedAfterStall(0, 5)).getMessage());
        assertEquals("evaluateEvery must be >= 1, but was -2", assertThrows(IllegalArgumentException.class,
                () -> small(c).averagedAfterStall(5, -2)).getMessage());
        assertEquals("averagedAfterStall (NT-ASGD) averages SGD steps, but the optimizer was ADAM",
                assertThrows(IllegalArgumentException.class, () -> small(c).adam(1e-3).averagedAfterStall(5, 5)
                        .build()).getMessage());
        assertFalse(plain.description().contains("ntAsgd"), "the default's description is unchanged");
    }

    @Test
    void badInputIsNamed() {
        CharacterCorpus c = corpus();
        LanguageModelEstimator e = small(c).steps(1).build();
        Architecture other = NasBench201Space.standard().sample(new SplittableRandom(1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> e.evaluate(new EvaluationRequest(0, other, 1,
                1.0))).getMessage().contains("recurrent cell space"));
        assertThrows(IllegalArgumentException.class, () -> LanguageModelEstimator.builder(c).hiddenSize(0));
        assertThrows(IllegalArgumentException.class, () -> LanguageModelEstimator.builder(c).sgd(-1));
        assertThrows(IllegalArgumentException.class, () -> LanguageModelEstimator.builder(c).batch(10_000).build());
        assertThrows(IllegalArgumentException.class, () -> e.evaluate(RecurrentGenotypes.DARTS_V2, 1, 0));
    }
}
