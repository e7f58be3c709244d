/**
 * Recurrent pieces of the engine. {@link org.nas4j.estimators.engine.recurrent.LstmCell} runs a sequence step by
 * step (each step's input may depend on the previous step's output, as in a sampling controller) and
 * back-propagates through the whole sequence in one call, so that its parameter gradients are written once per
 * sequence, as the {@link org.nas4j.estimators.engine.Layer} contract asks of one backward call.
 */
package org.nas4j.estimators.engine.recurrent;
