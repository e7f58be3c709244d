/**
 * MobileNet-style chain spaces: ProxylessNAS' MobileNetV2 backbone with searchable MBConv layers
 * ({@link org.nas4j.spaces.mobile.ProxylessSpace}) and its published searched networks
 * ({@link org.nas4j.spaces.mobile.ProxylessNets}), all written with the space builder over the catalogue's
 * {@link org.nas4j.core.space.builder.MobileOps}.
 */
package org.nas4j.spaces.mobile;
