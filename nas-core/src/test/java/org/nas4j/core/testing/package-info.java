/**
 * Test kit shipped as nas-core's test-jar: {@link org.nas4j.core.testing.StrategyContract}, the JUnit 5 contract
 * every {@link org.nas4j.core.search.Strategy} must keep, and {@link org.nas4j.core.testing.ChainSpace}, a small
 * space to run it on. Add it to a project with the {@code nas-core} dependency of {@code <type>test-jar</type>}
 * (see docs/guide.md).
 */
package org.nas4j.core.testing;
