/**
 * One-shot estimation: {@link org.nas4j.estimators.oneshot.SupernetEstimator} scores the architectures a
 * multi-trial strategy proposes (random search, evolution) on a trained weight-sharing supernet
 * ({@link org.nas4j.estimators.network.ComposedSupernet}) with the weights they inherit from it, after recomputing
 * the batch-norm statistics of each candidate's path, as SPOS' search does.
 */
package org.nas4j.estimators.oneshot;
