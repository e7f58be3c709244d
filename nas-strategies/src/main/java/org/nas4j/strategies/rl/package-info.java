/**
 * Reinforcement-learning strategies: REINFORCE (Williams 1992) with a recurrent controller (Zoph and Le 2017,
 * NASNet) or with independent logits per choice (the NAS-Bench-201 baseline). The controllers are plain Java
 * double arrays behind the {@link org.nas4j.strategies.rl.Policy} interface, so that they can later be replaced by
 * models trained with the nas-estimators engine.
 */
package org.nas4j.strategies.rl;
