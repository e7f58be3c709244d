/**
 * Sequential model-based optimisation: PNAS (Liu et al. 2018), which ranks candidates with an ensemble of MLP
 * predictors and evaluates the top K, and POPNASv3 (Falanti et al. 2023), which adds a cost predictor and picks
 * candidates from the predicted Pareto front of accuracy and cost. On a block-structured space
 * ({@link org.nas4j.core.space.ProgressiveSpace}) the candidates grow cells one block per level
 * ({@link org.nas4j.strategies.smbo.ProgressiveCandidates}); elsewhere they are random and mutated architectures.
 */
package org.nas4j.strategies.smbo;
