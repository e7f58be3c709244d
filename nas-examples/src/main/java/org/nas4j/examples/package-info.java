/** Runnable examples: the quickstart, benchmarks, and tools. */
package org.nas4j.examples;
