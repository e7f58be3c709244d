/**
 * Configurations as text: {@link org.nas4j.core.config.Configuration} renders the settings of a space, strategy,
 * estimator, network factory or dataset as one stable line, {@code name(key=value, ...)}, parses it back and names
 * the fields in which two configurations differ. Journal headers are made of these lines, so that any difference in
 * a setting refuses a resume and the refusal names the setting.
 */
package org.nas4j.core.config;
