/** Runnable example programs of nas4j, including the engine's step benchmark against the PyTorch peer. */
package org.nas4j.examples;
