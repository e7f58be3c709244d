/**
 * The NAS-Bench-101 search space (Ying et al., "NAS-Bench-101: Towards Reproducible Neural Architecture
 * Search", ICML 2019), faithful to the benchmark's code: cells as an upper-triangular adjacency matrix plus op
 * labels ({@link org.nas4j.spaces.nasbench101.NasBench101Cell}) with the benchmark's pruning and validity rules,
 * its graph hash ({@link org.nas4j.spaces.nasbench101.NasBench101Hash}, the key of its table), the space over
 * the generic choice vector with the paper's mutation ({@link org.nas4j.spaces.nasbench101.NasBench101Space}),
 * the enumeration of its 423,624 unique cells ({@link org.nas4j.spaces.nasbench101.NasBench101Enumeration}) and
 * the trainable parameter count of its CIFAR-10 network
 * ({@link org.nas4j.spaces.nasbench101.NasBench101CostModel}).
 */
package org.nas4j.spaces.nasbench101;
