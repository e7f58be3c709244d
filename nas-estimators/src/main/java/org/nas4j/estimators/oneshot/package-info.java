/**
 * What the one-shot (weight-sharing) strategies compute on a {@link
 * org.nas4j.estimators.engine.supernet.Supernet} beyond a plain training step: {@link
 * org.nas4j.estimators.oneshot.UnrolledArchitectureStep}, the architecture gradient of second-order DARTS through
 * one unrolled weight step.
 */
package org.nas4j.estimators.oneshot;
