/**
 * Network compilation: turns an {@link org.nas4j.core.space.Architecture} into a stand-alone trainable network on
 * the engine's layers. {@link org.nas4j.estimators.network.GraphCell} executes any core
 * {@link org.nas4j.core.space.Graph} with ops made by an {@link org.nas4j.estimators.network.OpFactory}; a space's
 * {@link org.nas4j.estimators.network.NetworkFactory} puts its macro skeleton (stem, stages, head) around the cells.
 * {@link org.nas4j.estimators.network.SpaceCompiler} is the one compiler of every space with a composed form
 * (spaces made with the space builder, NAS-Bench-201), and
 * {@link org.nas4j.estimators.network.ComposedSupernet} its weight-sharing supernet;
 * {@link org.nas4j.estimators.network.NetworkCompiler} asks a space for its composed form. NAS-Bench-101 cells, whose
 * vertices have their own channel counts, run in {@link org.nas4j.estimators.network.Nb101Cell} instead, built by
 * {@link org.nas4j.estimators.network.NasBench101Factory}. Every
 * {@link org.nas4j.estimators.network.Module} can also describe itself to a
 * {@link org.nas4j.estimators.network.GraphSink}, which is how the DL4J export sees the network.
 */
package org.nas4j.estimators.network;
