/**
 * Seeing and steering searches: offline HTML reports of a search or of several ({@link org.nas4j.report.Reports}),
 * and the live dashboard ({@link org.nas4j.report.Dashboard}) on which an analyst restricts the space between the
 * rounds of a {@link org.nas4j.report.SteeringSession}.
 */
package org.nas4j.report;
