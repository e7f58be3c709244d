/**
 * What the one-shot searches add on top of the supernet ({@link org.nas4j.estimators.engine.supernet}):
 * <ul>
 *   <li>{@link org.nas4j.estimators.oneshot.SupernetTrainer}, the training every one-shot method shares (bilevel
 *       split, weight and architecture optimizers, epoch checkpoints, cooperative stop);</li>
 *   <li>{@link org.nas4j.estimators.oneshot.SupernetEstimator}, which scores the architectures a multi-trial
 *       strategy proposes on a trained supernet with the weights they inherit from it, after recomputing the
 *       batch-norm statistics of each candidate's path, as SPOS' search does;</li>
 *   <li>ProxylessNAS' hardware-aware objective: a {@link org.nas4j.estimators.oneshot.LatencyTable} of every
 *       candidate op's latency (measured on this backend by
 *       {@link org.nas4j.estimators.oneshot.LatencyMeasurement}, or fitted to a device table by
 *       {@link org.nas4j.estimators.oneshot.LatencyCsv}) and the {@link org.nas4j.estimators.oneshot.LatencyLoss}
 *       that adds the expected latency to the architecture step's loss.</li>
 * </ul>
 * See docs/oneshot.md and docs/supernet.md.
 */
package org.nas4j.estimators.oneshot;
