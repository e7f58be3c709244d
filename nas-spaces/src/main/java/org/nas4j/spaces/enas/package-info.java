/**
 * ENAS' macro search space ({@link org.nas4j.spaces.enas.EnasMacroSpace}): a chain of layers that each choose one
 * of six branches and any subset of skip connections from earlier layers, written with the space builder's joins
 * over {@link org.nas4j.core.space.builder.EnasOps}. See {@code docs/spaces/enas.md}.
 */
package org.nas4j.spaces.enas;
