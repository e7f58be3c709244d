/** Tabular benchmarks: estimators that look architectures up in tables of measured results (NAS-Bench-201). */
package org.nas4j.estimators.tabular;
