/**
 * Real training as an estimator: {@link org.nas4j.estimators.training.TrainingEstimator} compiles each candidate
 * into a stand-alone network ({@link org.nas4j.estimators.network}) and trains it from scratch on the engine, with
 * seeded data order, initialisation and augmentation, early stopping, divergence detection and measured latency.
 * Optionally (weight inheritance) it keeps each trial's trained weights in a
 * {@link org.nas4j.estimators.training.WeightStore} and starts a child from its parent's
 * {@link org.nas4j.estimators.training.TrainedWeights} where names and shapes match.
 */
package org.nas4j.estimators.training;
