/**
 * Training-free estimation: zero-cost proxies (synflow, snip, grasp, grad_norm, fisher, jacob_cov, naswot, and the
 * params and flops baselines) computed on a compiled network at initialisation from one batch, as an
 * {@link org.nas4j.estimators.zerocost.ZeroCostEstimator} that any strategy searches with.
 */
package org.nas4j.estimators.zerocost;
