/**
 * Small learned models used inside strategies, built on the nas-estimators training engine: {@link
 * org.nas4j.strategies.learning.MlpEnsemble} (the surrogate predictors of PNAS and POPNAS), and exact (bit-level)
 * encoding of model weights and optimizer state for a strategy's save/restore ({@link
 * org.nas4j.strategies.learning.ModelState}, {@link org.nas4j.strategies.learning.StateCodec}). The REINFORCE
 * controllers are in {@code org.nas4j.strategies.rl}.
 */
package org.nas4j.strategies.learning;
