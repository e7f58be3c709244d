/**
 * The trial journal: finished trials as JSON lines, written before the strategy hears of them; resume support, with
 * repair of a last line cut by a kill and the definitions of custom metrics.
 */
package org.nas4j.core.journal;
