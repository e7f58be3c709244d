/**
 * Trials as Apache Spark tasks: {@link org.nas4j.spark.SparkExecutor}, a {@link
 * org.nas4j.core.search.TrialExecutor} for searches that outgrow one machine. The strategy and the journal stay on
 * the driver; each trial is a one-task Spark job; the space and the estimator are rebuilt once per executor JVM
 * from serializable {@link org.nas4j.spark.Recipe}s shipped as a broadcast.
 */
package org.nas4j.spark;
