/** Evolutionary strategies: regularized (aging) evolution and its non-aging variant. */
package org.nas4j.strategies.evolution;
