/** The trial journal: finished trials as JSON lines, written before the strategy hears of them; resume support. */
package org.nas4j.core.journal;
