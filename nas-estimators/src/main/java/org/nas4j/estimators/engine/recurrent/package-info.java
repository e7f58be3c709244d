/**
 * Recurrent pieces of the engine. {@link org.nas4j.estimators.engine.recurrent.LstmCell} runs a sequence step by
 * step (each step's input may depend on the previous step's output, as in a sampling controller) and
 * back-propagates through the whole sequence in one call, so that its parameter gradients are written once per
 * sequence, as the {@link org.nas4j.estimators.engine.Layer} contract asks of one backward call.
 * {@link org.nas4j.estimators.engine.recurrent.GenotypeCell} is a searched cell of DARTS or ENAS (highway nodes
 * over chosen states, variational masks), unrolled over a whole sequence and back-propagated through it the same
 * way; {@link org.nas4j.estimators.engine.recurrent.RecurrentLanguageModel} puts it between a tied embedding and
 * decoder.
 */
package org.nas4j.estimators.engine.recurrent;
