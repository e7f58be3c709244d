/**
 * Optimizers over a {@link org.nas4j.estimators.engine.ParameterSet}'s flat buffers: {@link
 * org.nas4j.estimators.engine.optim.Sgd} (momentum, Nesterov, weight decay) and {@link
 * org.nas4j.estimators.engine.optim.Adam} (libnd4j's {@code adam_updater} over contiguous ranges), learning-rate
 * schedules, and gradient-norm clipping.
 *
 * <p>An optimizer updates only the parameters whose gradient was written since its last step (see {@link
 * org.nas4j.estimators.engine.Parameter#hasGradient()}), like PyTorch skips parameters without a gradient, so the
 * candidate ops a single-path step did not run keep their weights and optimizer state.
 */
package org.nas4j.estimators.engine.optim;
