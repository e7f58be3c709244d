/** Runnable examples: the quickstart, benchmarks (including the engine step benchmark against the PyTorch peer), and tools. */
package org.nas4j.examples;
