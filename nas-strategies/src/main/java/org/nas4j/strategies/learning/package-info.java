/**
 * Small learned models used inside strategies (policy controllers, surrogate predictors), written in plain Java
 * double arrays: a multi-layer perceptron, the Adam optimiser, and exact (bit-level) state encoding for
 * save/restore. Each model keeps its parameters in one flat vector so that it can later be swapped for the
 * nas-estimators training engine without changing the strategies that use it.
 */
package org.nas4j.strategies.learning;
