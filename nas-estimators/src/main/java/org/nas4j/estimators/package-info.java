/** Estimators: everything that turns an architecture into numbers. {@link org.nas4j.estimators.Estimators} is the entry point. */
package org.nas4j.estimators;
