/** Explicit, restorable randomness: one root seed, child seeds derived from it, no global generators. */
package org.nas4j.core.random;
