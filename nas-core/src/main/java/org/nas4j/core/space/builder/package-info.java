/**
 * The fluent space builder: a search space of your own in a few lines. {@link
 * org.nas4j.core.space.builder.SpaceBuilder} describes a network as a chain of parts (fixed layers, op choices,
 * repeated blocks, cells from a {@link org.nas4j.core.space.builder.CellTemplate}, joins of any earlier parts
 * ({@link org.nas4j.core.space.builder.Join}), a head) with value choices
 * shared by name, input choices (k of n) inside cells, and constraints; {@code build()} checks the definition
 * (naming each error with a {@link org.nas4j.core.space.builder.DefinitionError}) and gives a
 * {@link org.nas4j.core.space.builder.ComposedSpace}, a {@link org.nas4j.core.space.SearchSpace} like the built-in
 * ones. Ops are named from an {@link org.nas4j.core.space.builder.OpCatalogue} whose entries carry the cost
 * formulas, so parameter and multiply-add counts come from the definition without building a network
 * ({@link org.nas4j.core.space.builder.NetworkPlan}). Plain Java: nothing here depends on a training engine.
 */
package org.nas4j.core.space.builder;
