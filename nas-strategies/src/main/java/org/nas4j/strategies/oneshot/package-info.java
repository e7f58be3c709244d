/**
 * One-shot strategies: the gradient-based methods (DARTS, GDAS, ProxylessNAS) that train a weight-sharing supernet
 * and propose the architecture derived from it after every epoch. See {@code docs/oneshot.md}.
 */
package org.nas4j.strategies.oneshot;
