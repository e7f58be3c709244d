package org.nas4j.estimators.engine.ops;

/**
 * What the backward pass of a batch norm with a fused activation needs to mask its output gradient: the activation
 * and the forward pass's per-channel mean, scale and shift, from which the Java kernels recompute each normalized
 * value exactly as the forward pass computed it ({@link FloatBatchNorm}, {@link DoubleBatchNorm}).
 */
record ActivationMask(BatchNorm.Activation activation, double[] mean, double[] scale, double[] shift) {
}
