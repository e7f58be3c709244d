/**
 * The search-space model: {@link org.nas4j.core.space.Choice}s, the generic choice vector
 * ({@link org.nas4j.core.space.Architecture}), the {@link org.nas4j.core.space.SearchSpace} contract with generic
 * sampling, mutation and neighbours, concrete cell {@link org.nas4j.core.space.Graph}s, and op specifications for
 * parameter and FLOP counts.
 */
package org.nas4j.core.space;
