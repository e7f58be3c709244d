/**
 * Reinforcement-learning strategies: REINFORCE (Williams 1992) with a recurrent controller (Zoph and Le 2017,
 * NASNet) or with independent logits per choice (the NAS-Bench-201 baseline). The controllers are models on the
 * nas-estimators training engine (LSTM cell, embedding, dense heads, policy-gradient loss) behind the small {@link
 * org.nas4j.strategies.rl.Policy} interface, and are updated by the engine's Adam. ENAS' micro and macro controllers
 * ({@link org.nas4j.strategies.rl.EnasMicroController}, {@link org.nas4j.strategies.rl.EnasMacroController}) keep
 * their parameters in the engine's parameter set but run their forward and backward passes in plain Java.
 */
package org.nas4j.strategies.rl;
