/**
 * Multi-fidelity strategies: random search with early stopping by successive halving and Hyperband (Li et al.;
 * Li and Talwalkar's random-search baseline), over the fidelity of {@link org.nas4j.core.search.Proposal}.
 */
package org.nas4j.strategies.multifidelity;
