/** Random search (the baseline every NAS method must beat). */
package org.nas4j.strategies.random;
