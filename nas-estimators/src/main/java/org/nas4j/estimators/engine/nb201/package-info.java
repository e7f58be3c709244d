/**
 * The NAS-Bench-201 network on the engine: stem, three stages of cells (C, 2C, 4C channels) joined by ResNet
 * basic-block reductions, and a BN-ReLU-GAP-linear head; as a weight-sharing supernet driven by a
 * {@link org.nas4j.estimators.engine.supernet.PathPolicy}, or as the stand-alone network of one architecture.
 * The same network as the PyTorch peer benchmark {@code torch_nb201_supernet.py}.
 */
package org.nas4j.estimators.engine.nb201;
