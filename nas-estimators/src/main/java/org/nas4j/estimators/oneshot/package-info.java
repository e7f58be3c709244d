/**
 * What the one-shot searches add on top of the supernet ({@link org.nas4j.estimators.engine.supernet}): here,
 * ProxylessNAS' hardware-aware objective, a {@link org.nas4j.estimators.oneshot.LatencyTable} of every candidate
 * op's latency (measured on this backend by {@link org.nas4j.estimators.oneshot.LatencyMeasurement}, or fitted to
 * a device table by {@link org.nas4j.estimators.oneshot.LatencyCsv}) and the
 * {@link org.nas4j.estimators.oneshot.LatencyLoss} that adds the expected latency to the architecture step's loss.
 * See docs/supernet.md, "ProxylessNAS latency loss".
 */
package org.nas4j.estimators.oneshot;
