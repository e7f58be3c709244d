/**
 * The search loop: {@link org.nas4j.core.search.Strategy} (ask/tell), {@link org.nas4j.core.search.Estimator},
 * {@link org.nas4j.core.search.Trial}s with their {@link org.nas4j.core.search.TrialState}, typed
 * {@link org.nas4j.core.search.Metric}s, {@link org.nas4j.core.search.Objective}s with constraints,
 * {@link org.nas4j.core.search.Budget}s, and the {@link org.nas4j.core.search.SearchRunner} that composes them.
 */
package org.nas4j.core.search;
