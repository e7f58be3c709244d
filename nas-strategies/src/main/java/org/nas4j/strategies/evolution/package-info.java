/** Evolutionary strategies: regularized (aging) evolution, its non-aging variant, and large-scale evolution. */
package org.nas4j.strategies.evolution;
