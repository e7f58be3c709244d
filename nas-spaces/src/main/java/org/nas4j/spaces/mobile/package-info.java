/**
 * MobileNet-style chain spaces: ProxylessNAS' MobileNetV2 backbone with searchable MBConv layers
 * ({@link org.nas4j.spaces.mobile.ProxylessSpace}) and its published searched networks
 * ({@link org.nas4j.spaces.mobile.ProxylessNets}), SPOS' ShuffleNetV2 space
 * ({@link org.nas4j.spaces.mobile.SposSpace}) and its searched network ({@link org.nas4j.spaces.mobile.SposNets}),
 * all written with the space builder over {@link org.nas4j.core.space.builder.MobileOps} and
 * {@link org.nas4j.core.space.builder.ShuffleOps}.
 */
package org.nas4j.spaces.mobile;
