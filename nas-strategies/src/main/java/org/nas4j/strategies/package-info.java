/** Search strategies; {@link org.nas4j.strategies.Strategies} is the entry point. */
package org.nas4j.strategies;
