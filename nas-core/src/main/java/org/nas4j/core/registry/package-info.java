/** Named tables of built-in components (strategies, spaces), from which both their names and their lookup come. */
package org.nas4j.core.registry;
