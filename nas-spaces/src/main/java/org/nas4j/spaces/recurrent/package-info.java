/**
 * Recurrent cells for language models, as searched by DARTS (Liu et al., 2019) and ENAS (Pham et al., 2018).
 *
 * <ul>
 *   <li>{@link org.nas4j.spaces.recurrent.RecurrentGenotype}: the DARTS repository's
 *       {@code Genotype(recurrent=[...], concat=...)} text of a cell, parsed and printed;
 *       {@link org.nas4j.spaces.recurrent.RecurrentGenotypes} holds the published cells (DARTS V1 and V2).</li>
 *   <li>{@link org.nas4j.spaces.recurrent.RecurrentCellSpace}: the space of such cells (each node picks an
 *       earlier node and an activation), with sampling, mutation, the text form and a canonical key that is
 *       equal for cells that are the same network up to the numbering of their nodes.</li>
 *   <li>{@link org.nas4j.spaces.recurrent.LanguageModelSize}: the sizes of the language model around a cell and
 *       its exact parameter count (the reference's encoder, cell matrices and tied decoder).</li>
 * </ul>
 */
package org.nas4j.spaces.recurrent;
