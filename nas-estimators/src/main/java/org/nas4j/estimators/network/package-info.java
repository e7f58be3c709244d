/**
 * Network compilation: turns an {@link org.nas4j.core.space.Architecture} into a stand-alone trainable network on
 * the engine's layers. {@link org.nas4j.estimators.network.GraphCell} executes any core
 * {@link org.nas4j.core.space.Graph} with ops made by an {@link org.nas4j.estimators.network.OpFactory}; a space's
 * {@link org.nas4j.estimators.network.NetworkFactory} puts its macro skeleton (stem, stages, head) around the cells;
 * {@link org.nas4j.estimators.network.NetworkCompiler} picks the factory of a space. NAS-Bench-101 cells, whose
 * vertices have their own channel counts, run in {@link org.nas4j.estimators.network.Nb101Cell} instead, built by
 * {@link org.nas4j.estimators.network.NasBench101Factory}. Every
 * {@link org.nas4j.estimators.network.Module} can also describe itself to a
 * {@link org.nas4j.estimators.network.GraphSink}, which is how the DL4J export sees the network.
 */
package org.nas4j.estimators.network;
