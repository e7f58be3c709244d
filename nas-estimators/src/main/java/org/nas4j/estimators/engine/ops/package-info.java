/**
 * The engine's layers: convolutions (plain, depthwise, dilated; square or rectangular kernels), pooling, batch norm, ReLU, dense, global average
 * pooling, identity, zero, sums, concatenation, ShuffleNetV2's channel shuffle, channel split and concatenated
 * branches, dropout, drop-path, the softmax cross-entropy loss, and the DARTS
 * compound ops (separable and dilated convolution, ReLU-Conv-BN, factorized reduce) built from them; and the pieces
 * of the small learned models inside strategies: sigmoid, tanh, embedding lookup, ensemble dense layer, mean squared
 * error and the policy-gradient loss.
 *
 * <p>All layers follow the {@link org.nas4j.estimators.engine.Layer} contract; multi-input ones ({@link
 * org.nas4j.estimators.engine.ops.Sum}, {@link org.nas4j.estimators.engine.ops.WeightedSum}, {@link
 * org.nas4j.estimators.engine.ops.Concat}) have the same buffer rules with their own signatures. Images are NCHW;
 * convolution weights are {@code [outChannels, inChannels, kH, kW]} (PyTorch's layout, libnd4j weight format 1).
 */
package org.nas4j.estimators.engine.ops;
