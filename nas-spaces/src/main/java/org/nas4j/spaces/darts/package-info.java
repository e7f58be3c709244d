/**
 * The NASNet / DARTS cell search space and its interchange format, the DARTS {@code Genotype} text.
 *
 * <ul>
 *   <li>{@link org.nas4j.spaces.darts.DartsSpace}: normal and reduction cells of two inputs and B intermediate
 *       nodes, each node summing two (op, input) pairs; choices over the generic choice vector, so every
 *       multi-trial strategy works on it.</li>
 *   <li>{@link org.nas4j.spaces.darts.Genotype}: the DARTS repository's {@code Genotype(normal=[...], ...)} text,
 *       parsed and printed; {@link org.nas4j.spaces.darts.Genotypes} holds the published cells (NASNet-A,
 *       AmoebaNet-A, DARTS V1/V2, P-DARTS, PC-DARTS).</li>
 *   <li>{@link org.nas4j.spaces.darts.DartsCostModel}: the reference evaluation network (NetworkCIFAR /
 *       NetworkImageNet of the DARTS code) laid out as data, with exact parameter and multiply-add counts from
 *       op specifications ({@link org.nas4j.spaces.darts.DartsOps}), without building a trainable network.</li>
 * </ul>
 */
package org.nas4j.spaces.darts;
