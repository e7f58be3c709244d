/**
 * The DARTS cell search network on the engine: {@link org.nas4j.estimators.engine.darts.DartsSupernet} (the
 * reference's {@code model_search.Network}: every edge of every cell holds all candidate ops of a
 * {@link org.nas4j.spaces.darts.DartsSpace} plus {@code none}, combined by any
 * {@link org.nas4j.estimators.engine.supernet.PathPolicy}), and
 * {@link org.nas4j.estimators.engine.darts.GenotypeDerivation} (DARTS' rule that turns architecture weights into a
 * genotype).
 */
package org.nas4j.estimators.engine.darts;
