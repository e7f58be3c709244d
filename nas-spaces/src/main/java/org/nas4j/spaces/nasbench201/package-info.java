/** The NAS-Bench-201 cell space, its arch strings, isomorphism key and network cost model. */
package org.nas4j.spaces.nasbench201;
