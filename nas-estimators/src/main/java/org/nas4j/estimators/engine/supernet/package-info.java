/**
 * Weight-sharing supernets: an edge holds every candidate op once ({@link
 * org.nas4j.estimators.engine.supernet.SupernetEdge}), and a {@link
 * org.nas4j.estimators.engine.supernet.PathPolicy} decides, per forward pass, which candidates run and with which
 * weights. The one-shot strategies differ only in their policy:
 * <ul>
 *   <li>{@link org.nas4j.estimators.engine.supernet.MixedPolicy}: softmax-weighted sum of all ops with learnable
 *       architecture weights (DARTS);</li>
 *   <li>{@link org.nas4j.estimators.engine.supernet.SinglePathPolicy}: one uniformly drawn op per edge (SPOS,
 *       random search with weight sharing);</li>
 *   <li>{@link org.nas4j.estimators.engine.supernet.FixedPolicy}: a given architecture;</li>
 *   <li>{@link org.nas4j.estimators.engine.supernet.GdasPolicy}: Gumbel-softmax hard one-hot with a
 *       straight-through gradient (GDAS);</li>
 *   <li>{@link org.nas4j.estimators.engine.supernet.ProxylessPolicy}: two ops sampled from softmax(alpha), binary
 *       gates, gradient through the two gates (ProxylessNAS);</li>
 *   <li>{@link org.nas4j.estimators.engine.supernet.PathDropoutPolicy}: every op, each dropped at random (one-shot
 *       with path dropout).</li>
 * </ul>
 * A single-path step computes only the chosen ops.
 */
package org.nas4j.estimators.engine.supernet;
