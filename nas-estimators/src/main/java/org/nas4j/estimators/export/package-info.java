/**
 * Export of a compiled, trained network to a standard DL4J {@code ComputationGraph} with the same weights and the
 * same inference outputs: {@link org.nas4j.estimators.export.ComputationGraphExport}.
 */
package org.nas4j.estimators.export;
