/**
 * Language modelling as an estimator for recurrent cell spaces:
 * {@link org.nas4j.estimators.language.LanguageModelEstimator} trains each candidate cell's
 * {@link org.nas4j.estimators.engine.recurrent.RecurrentLanguageModel} for a number of truncated-BPTT steps on a
 * {@link org.nas4j.estimators.data.CharacterCorpus} and reports its validation perplexity;
 * {@link org.nas4j.estimators.language.TokenBatches} lays a token stream out in columns as the reference's
 * {@code batchify} / {@code get_batch}.
 */
package org.nas4j.estimators.language;
